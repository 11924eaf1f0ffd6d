-- grain: ticket_id
-- references: reporter_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, reported_date -> dim_date.date_day, resolved_date -> dim_date.date_day
-- One row per live ticket with its milestones, the SLA policy of its current priority (valid
-- at the report date) and a summary of its history; response and resolution times in the policy
-- calendar are the SLA engine's job and come from reported_at, acknowledged_at, resolved_at and
-- the status intervals of fact_ops_ticket_status. unit_id is the reporter's unit.
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_ops_ticket as
with tickets as (select * from stg_ops__ops_ticket),
history as (select * from stg_ops__ops_ticket_history),
policies as (select * from stg_ops__ops_sla_policy),
staff as (select person_id from stg_hr__person),
changes as (
    select
        ticket_id,
        count(*) filter (where kind = '状态' and to_status = '挂起') as pause_count,
        count(*) filter (where kind = '优先级') as priority_change_count,
        arg_min(from_priority, changed_at) filter (where kind = '优先级') as initial_priority
    from history
    group by ticket_id
),
policy_of_ticket as (
    select t.ops_ticket_id, p.respond_minutes, p.resolve_minutes, p.calendar
    from tickets t
    join policies p on p.priority = t.priority and p.valid_from <= cast(t.reported_at as date)
    qualify row_number() over (partition by t.ops_ticket_id order by p.valid_from desc) = 1
),
final as (
    select
        t.ops_ticket_id as ticket_id,
        t.ticket_no,
        t.module,
        t.category,
        t.priority,
        coalesce(c.initial_priority, t.priority) as initial_priority,
        t.title,
        s.person_id as reporter_id,
        t.reporter_unit_id as unit_id,
        t.assignee,
        t.status,
        t.status in ('新建', '已响应', '处理中', '挂起', '重新打开') as is_open,
        t.reported_at,
        cast(t.reported_at as date) as reported_date,
        t.acknowledged_at,
        t.resolved_at,
        cast(t.resolved_at as date) as resolved_date,
        t.closed_at,
        t.reopen_count,
        coalesce(c.pause_count, 0) as pause_count,
        coalesce(c.priority_change_count, 0) as priority_change_count,
        p.respond_minutes as sla_respond_minutes,
        p.resolve_minutes as sla_resolve_minutes,
        p.calendar as sla_calendar,
        t.cause,
        t.fix
    from tickets t
    left join changes c on c.ticket_id = t.ops_ticket_id
    left join policy_of_ticket p on p.ops_ticket_id = t.ops_ticket_id
    left join staff s on s.person_id = t.reporter_id
)
select * from final;
