-- grain: inspection_id
-- references: unit_id -> dim_org.org_id, finding_ticket_id -> fact_ops_ticket.ticket_id, planned_date -> dim_date.date_day
-- One row per planned daily inspection of a module. inspection_completion = is_done / rows;
-- findings that became tickets = rows with finding_ticket_id. Inspections cover the whole
-- system, so unit_id is the city bureau (only a city-wide scope sees them).
create or replace table fact_ops_inspection as
with inspections as (select * from stg_ops__ops_inspection),
tickets as (select * from stg_ops__ops_ticket),
city as (select org_id from dim_org where parent_id is null),
final as (
    select
        i.ops_inspection_id as inspection_id,
        i.module,
        (select org_id from city) as unit_id,
        i.planned_date,
        i.done_at,
        i.done_at is not null as is_done,
        i.result,
        i.result = '异常' as is_abnormal,
        i.inspector,
        t.ops_ticket_id as finding_ticket_id,
        i.note
    from inspections i
    left join tickets t on t.ops_ticket_id = i.finding_ticket_id
)
select * from final;
