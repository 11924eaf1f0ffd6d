-- grain: major_event_id
-- references: unit_id -> dim_org.org_id, start_date -> dim_date.date_day, end_date -> dim_date.date_day
-- One row per support period, with the live tickets reported inside it; unit_id is the city
-- bureau (the support covers the whole system).
create or replace table fact_ops_major_event as
with events as (select * from stg_ops__ops_major_event),
tickets as (select * from stg_ops__ops_ticket),
city as (select org_id from dim_org where parent_id is null),
during as (
    select
        e.ops_major_event_id,
        count(t.ops_ticket_id) as tickets,
        count(t.ops_ticket_id) filter (where t.priority = 'P1') as p1_tickets
    from events e
    left join tickets t on t.reported_at between e.start_at and e.end_at
    group by e.ops_major_event_id
),
final as (
    select
        e.ops_major_event_id as major_event_id,
        e.name,
        e.kind,
        e.level,
        (select org_id from city) as unit_id,
        e.start_at,
        e.end_at,
        cast(e.start_at as date) as start_date,
        cast(e.end_at as date) as end_date,
        epoch(e.end_at - e.start_at) / 3600.0 as duration_hours,
        e.onsite_engineers,
        d.tickets,
        d.p1_tickets,
        e.note
    from events e
    join during d on d.ops_major_event_id = e.ops_major_event_id
)
select * from final;
