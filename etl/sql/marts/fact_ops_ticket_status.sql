-- grain: ticket_history_id
-- references: ticket_id -> fact_ops_ticket.ticket_id, unit_id -> dim_org.org_id, change_date -> dim_date.date_day
-- One row per change of a live ticket, in order. For status rows, status_until is when the
-- ticket left to_status (null while it still holds it): the intervals the SLA engine needs
-- (挂起 and resolved-to-reopened are pauses).
create or replace table fact_ops_ticket_status as
with history as (select * from stg_ops__ops_ticket_history),
tickets as (select * from stg_ops__ops_ticket),
ordered as (
    select
        h.*,
        row_number() over (partition by h.ticket_id order by h.changed_at, h.ops_ticket_history_id)
            as change_no,
        case when h.kind = '状态' then
            lead(h.changed_at) over (partition by h.ticket_id, h.kind
                                     order by h.changed_at, h.ops_ticket_history_id)
        end as status_until
    from history h
),
final as (
    select
        o.ops_ticket_history_id as ticket_history_id,
        o.ticket_id,
        o.change_no,
        t.module,
        t.priority as current_priority,
        t.reporter_unit_id as unit_id,
        o.changed_at,
        cast(o.changed_at as date) as change_date,
        o.kind,
        o.from_status,
        o.to_status,
        o.status_until,
        o.from_priority,
        o.to_priority,
        o.note
    from ordered o
    join tickets t on t.ops_ticket_id = o.ticket_id
)
select * from final;
