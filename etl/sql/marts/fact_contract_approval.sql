-- grain: approval_id
-- references: contract_id -> fact_contract.contract_id, unit_id -> dim_org.org_id, approver_unit_id -> dim_org.org_id, approver_id -> stg_hr__person.person_id, started_date -> dim_date.date_day
-- One row per approval step instance of a live contract. unit_id is the contract's department
-- (the scope of the record); approver_unit_id the approver's unit that day. duration_workdays
-- is decided_at - started_at in working time (09:00-18:00 on China workdays) / 9 hours.
create or replace table fact_contract_approval as
with approvals as (select * from stg_contract__contract_approval),
contracts as (select * from stg_contract__contract),
flows as (select * from stg_contract__contract_approval_flow),
person as (select * from dim_person),
calendar as (select * from dim_date),
positioned as (
    select
        a.*,
        cast(a.started_at as date) as started_date,
        work_minute_at(a.started_at, cs.work_minutes_before, cs.is_workday) as start_minute,
        work_minute_at(a.decided_at, ce.work_minutes_before, ce.is_workday) as end_minute
    from approvals a
    join calendar cs on cs.date_day = cast(a.started_at as date)
    left join calendar ce on ce.date_day = cast(a.decided_at as date)
),
final as (
    select
        p.contract_approval_id as approval_id,
        p.contract_id,
        c.contract_type,
        c.unit_id,
        c.amount,
        p.round_no,
        p.step_no,
        f.step_name,
        f.approver_role,
        p.approver_id,
        pe.unit_id as approver_unit_id,
        p.started_at,
        p.started_date,
        p.decided_at,
        cast(p.decided_at as date) as decided_date,
        p.decision,
        p.decided_at is null as is_pending,
        p.decision = '驳回' as is_rejected,
        p.opinion,
        round((p.end_minute - p.start_minute) / 540.0, 3) as duration_workdays
    from positioned p
    join contracts c on c.contract_id = p.contract_id
    left join flows f on f.contract_approval_flow_id = p.flow_id
    left join person pe
        on pe.person_id = p.approver_id and p.started_date >= pe.valid_from
        and p.started_date < pe.valid_to
)
select * from final;
