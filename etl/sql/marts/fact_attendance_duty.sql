-- grain: unit_id, duty_date
-- references: unit_id -> dim_org.org_id, leader_person_id -> stg_hr__person.person_id
-- incremental: unit_id, duty_date <- duty_roster(unit_id, duty_date)
-- guard: select min(duty_date), max(duty_date), list(distinct unit_id order by unit_id) from stg_attendance__duty_roster
-- key filter: roster(unit_id, duty_date), unit_days(unit_id, duty_date)
-- One row per day (holidays included) and unit that keeps a duty roster, over the roster's
-- coverage (first to last rostered day); covered = a 带班领导 and a 值班员 both on the roster
-- (METRICS.md duty_coverage). Days without anyone rostered are the gaps.
create or replace table fact_attendance_duty as
-- roster is what a refresh restricts to its units and days (see the key filter); the coverage
-- and the units that keep a roster are read from the whole roster, always (the guard watches both)
with roster as (select * from stg_attendance__duty_roster),
all_roster as (select * from stg_attendance__duty_roster),
org as (select * from dim_org),
calendar as (select * from dim_date),
coverage as (
    select min(duty_date) as first_day, max(duty_date) as last_day from all_roster
),
roster_units as (
    select org_id as unit_id from org where keeps_duty_roster
    union
    select distinct unit_id from all_roster
),
unit_days as (
    select u.unit_id, c.date_day as duty_date, c.day_kind
    from roster_units u
    cross join coverage v
    join calendar c on c.date_day between v.first_day and v.last_day
),
per_day as (
    select
        unit_id, duty_date,
        count(*) filter (where role = '带班领导') as leader_count,
        count(*) filter (where role = '值班员') as officer_count,
        min(person_id) filter (where role = '带班领导') as leader_person_id
    from roster
    group by unit_id, duty_date
),
final as (
    select
        d.unit_id, d.duty_date, d.day_kind,
        coalesce(r.leader_count, 0) as leader_count,
        coalesce(r.officer_count, 0) as officer_count,
        r.leader_person_id,
        coalesce(r.leader_count, 0) > 0 as has_leader,
        coalesce(r.officer_count, 0) > 0 as has_officer,
        coalesce(r.leader_count, 0) > 0 and coalesce(r.officer_count, 0) > 0 as is_covered
    from unit_days d
    left join per_day r using (unit_id, duty_date)
)
select * from final;
