-- grain: box_id, date_day
-- references: box_id -> stg_cabinet__cabinet_box.cabinet_box_id, cabinet_id -> stg_cabinet__cabinet.cabinet_id, cabinet_unit_id -> dim_org.org_id, box_unit_id -> dim_org.org_id, unit_id -> dim_org.org_id, date_day -> dim_date.date_day
-- One row per box and day, from the later of the cabinet's installation and the first deposit
-- on record to the last day with cabinet activity. occupied_hours: hours of the day with at
-- least one document in the box (overlapping documents count once; a document still waiting
-- occupies the box to the end of the last day). box_utilization = sum(occupied_hours) /
-- sum(available_hours). unit_id: the unit the box is assigned to (box_unit_id), or the
-- cabinet's unit for a shared box.
create or replace table fact_cabinet_box as
with transactions as (select * from stg_cabinet__cabinet_transaction),
boxes as (select * from stg_cabinet__cabinet_box),
cabinets as (select * from stg_cabinet__cabinet),
calendar as (select * from dim_date),
data_span as (
    select
        min(cast(deposited_at as date)) as first_day,
        greatest(max(cast(deposited_at as date)), max(cast(picked_up_at as date))) as last_day
    from transactions
),
intervals as (
    select
        t.box_id,
        t.deposited_at as start_at,
        coalesce(t.picked_up_at, cast(s.last_day + 1 as timestamp)) as end_at
    from transactions t
    cross join data_span s
),
ordered as (
    select
        *,
        max(end_at) over (partition by box_id order by start_at, end_at
                          rows between unbounded preceding and 1 preceding) as earlier_end_at
    from intervals
),
islands as (
    select
        *,
        sum(case when earlier_end_at is null or start_at > earlier_end_at then 1 else 0 end)
            over (partition by box_id order by start_at, end_at rows unbounded preceding) as island
    from ordered
),
occupied as (
    select box_id, island, min(start_at) as start_at, max(end_at) as end_at
    from islands
    group by box_id, island
),
occupied_by_day as (
    select
        o.box_id,
        d.date_day,
        sum(epoch(least(o.end_at, cast(d.date_day + 1 as timestamp))
                  - greatest(o.start_at, cast(d.date_day as timestamp)))) / 3600.0 as occupied_hours
    from occupied o
    join calendar d on d.date_day between cast(o.start_at as date) and cast(o.end_at as date)
    group by o.box_id, d.date_day
),
flows as (
    select box_id, cast(deposited_at as date) as date_day, count(*) as deposits, 0 as pickups
    from transactions group by all
    union all
    select box_id, cast(picked_up_at as date), 0, count(*)
    from transactions where picked_up_at is not null group by all
),
flows_by_day as (
    select box_id, date_day, sum(deposits) as deposits, sum(pickups) as pickups
    from flows group by all
),
spine as (
    select b.cabinet_box_id as box_id, b.cabinet_id, c.unit_id as cabinet_unit_id,
           b.unit_id as box_unit_id, coalesce(b.unit_id, c.unit_id) as unit_id,
           b.box_no, b.size, d.date_day
    from boxes b
    join cabinets c on c.cabinet_id = b.cabinet_id
    cross join data_span s
    join calendar d on d.date_day between greatest(c.installed_date, s.first_day) and s.last_day
),
final as (
    select
        sp.box_id,
        sp.date_day,
        sp.cabinet_id,
        sp.cabinet_unit_id,
        sp.box_unit_id,
        sp.unit_id,
        sp.box_no,
        sp.size,
        24.0 as available_hours,
        coalesce(o.occupied_hours, 0) as occupied_hours,
        coalesce(f.deposits, 0) as deposits,
        coalesce(f.pickups, 0) as pickups
    from spine sp
    left join occupied_by_day o on o.box_id = sp.box_id and o.date_day = sp.date_day
    left join flows_by_day f on f.box_id = sp.box_id and f.date_day = sp.date_day
)
select * from final;
