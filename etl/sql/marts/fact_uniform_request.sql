-- grain: uniform_request_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, item_id -> stg_uniform__uniform_item.uniform_item_id, reviewer_id -> stg_hr__person.person_id
-- One row per request (withdrawn ones excluded), with the requester's unit on the request day,
-- lead time in workdays (workdays after the request day up to and including the issue day,
-- METRICS.md lead_time) and when the item is next due (issue date + the item's cycle).
create or replace table fact_uniform_request as
with request as (select * from stg_uniform__uniform_request),
item as (select * from stg_uniform__uniform_item),
person as (select * from dim_person),
calendar as (select * from dim_date),
workday_number as (
    select date_day, sum(case when is_workday then 1 else 0 end) over (order by date_day) as n
    from calendar
),
final as (
    select
        r.uniform_request_id, r.person_id, p.unit_id, r.item_id, i.code as item_code,
        i.name as item_name, i.category as item_category, r.size, r.quantity, r.status,
        r.requested_at, cast(r.requested_at as date) as requested_date, r.reviewer_id,
        r.reviewed_at, r.issued_at, cast(r.issued_at as date) as issued_date, r.signed_at,
        r.reject_reason,
        r.issued_at is not null as is_issued,
        r.signed_at is not null as is_signed,
        r.status = '驳回' as is_rejected,
        wi.n - wr.n as lead_time_workdays,
        cast(cast(r.issued_at as date) + to_months(i.cycle_months) as date) as next_due_date,
        r.quantity * i.unit_price as amount
    from request r
    join item i on i.uniform_item_id = r.item_id
    left join workday_number wr on wr.date_day = cast(r.requested_at as date)
    left join workday_number wi on wi.date_day = cast(r.issued_at as date)
    left join person p
        on p.person_id = r.person_id and cast(r.requested_at as date) >= p.valid_from
        and cast(r.requested_at as date) < p.valid_to
)
select * from final;
