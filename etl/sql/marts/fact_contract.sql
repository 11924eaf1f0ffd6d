-- grain: contract_id
-- references: unit_id -> dim_org.org_id, drafter_id -> stg_hr__person.person_id, submitted_date -> dim_date.date_day, signed_date -> dim_date.date_day
-- One row per live contract. approval_cycle_workdays = (signed_at, else the final approval)
-- - submitted_at, in working time (09:00-18:00 on China workdays) / 9 hours. pending: status
-- 审批中, current_step_* is the step waiting for a decision (none while awaiting signature).
-- expiring as of d: is_active and end_date between d and d + 30/60/90.
create or replace table fact_contract as
with contracts as (select * from stg_contract__contract),
approvals as (select * from stg_contract__contract_approval),
flows as (select * from stg_contract__contract_approval_flow),
calendar as (select * from dim_date),
configured as (
    -- steps the flow configuration requires for the contract's type and amount
    select c.contract_id, count(f.contract_approval_flow_id) as required_steps
    from contracts c
    left join flows f
        on f.contract_type = c.contract_type and f.is_active and c.amount >= f.min_amount
    group by c.contract_id
),
rounds as (
    select
        contract_id,
        count(*) as approval_count,
        max(round_no) as round_count,
        bool_or(decision = '驳回') as has_rejection
    from approvals
    group by contract_id
),
last_round as (
    select
        a.contract_id,
        count(*) as step_count,
        count(*) filter (where a.decided_at is null) as pending_count,
        count(*) filter (where a.decision = '驳回') as rejected_count,
        max(a.decided_at) as last_decided_at
    from approvals a
    join rounds r on r.contract_id = a.contract_id and r.round_count = a.round_no
    group by a.contract_id
),
current_step as (
    select a.contract_id, a.step_no, f.step_name, f.approver_role, a.approver_id, a.started_at
    from approvals a
    left join flows f on f.contract_approval_flow_id = a.flow_id
    where a.decided_at is null
    qualify row_number() over (partition by a.contract_id order by a.round_no desc, a.step_no) = 1
),
approved as (
    select
        c.*,
        case
            when c.signed_at is not null then l.last_decided_at
            when l.pending_count = 0 and l.rejected_count = 0 and l.step_count >= g.required_steps
                then l.last_decided_at
        end as final_approved_at
    from contracts c
    left join last_round l on l.contract_id = c.contract_id
    left join configured g on g.contract_id = c.contract_id
),
positioned as (
    select
        a.*,
        coalesce(a.signed_at, a.final_approved_at) as approval_end_at,
        work_minute_at(a.submitted_at, cs.work_minutes_before, cs.is_workday) as start_minute,
        work_minute_at(coalesce(a.signed_at, a.final_approved_at), ce.work_minutes_before,
                       ce.is_workday) as end_minute
    from approved a
    left join calendar cs on cs.date_day = cast(a.submitted_at as date)
    left join calendar ce on ce.date_day = cast(coalesce(a.signed_at, a.final_approved_at) as date)
),
final as (
    select
        p.contract_id,
        p.contract_no,
        p.title,
        p.contract_type,
        p.counterparty,
        p.amount,
        p.unit_id,
        p.drafter_id,
        p.status,
        p.drafted_at,
        p.submitted_at,
        cast(p.submitted_at as date) as submitted_date,
        p.signed_at,
        cast(p.signed_at as date) as signed_date,
        p.start_date,
        p.end_date,
        p.terminated_date,
        p.signed_at is not null as is_signed,
        p.status in ('已签订', '履行中') as is_active,
        coalesce(r.approval_count, 0) as approval_count,
        coalesce(r.round_count, 0) as round_count,
        coalesce(r.has_rejection, false) as has_rejection,
        p.final_approved_at,
        round((p.end_minute - p.start_minute) / 540.0, 2) as approval_cycle_workdays,
        p.status = '审批中' and p.final_approved_at is not null as is_awaiting_signature,
        s.step_no as current_step_no,
        s.step_name as current_step_name,
        s.approver_role as current_approver_role,
        s.approver_id as current_approver_id,
        s.started_at as current_step_started_at
    from positioned p
    left join rounds r on r.contract_id = p.contract_id
    left join current_step s on s.contract_id = p.contract_id
)
select * from final;
