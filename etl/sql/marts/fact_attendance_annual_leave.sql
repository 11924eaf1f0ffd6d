-- grain: person_id, year
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id
-- incremental: person_id <- attendance_record.person_id, leave_request.person_id
-- guard: select min(record_date), max(record_date) from stg_attendance__attendance_record
-- key filter: leave_requests(person_id), person(person_id), versions(person_id)
-- Annual leave per person and year (METRICS.md annual_leave_use): entitlement by completed years
-- of service on 1 January (<1 year 0, 1-10 years 5, 10-20 years 10, >=20 years 15 days) and the
-- approved 年休假 workdays taken that year. One row for each year of the clock system's coverage
-- in which the person was employed; unit = their unit on the last employed day of that year.
create or replace table fact_attendance_annual_leave as
with records as (select * from stg_attendance__attendance_record),
leave_requests as (select * from stg_attendance__leave_request),
person as (select * from stg_hr__person),
versions as (select * from dim_person),
calendar as (select * from dim_date),
coverage as (
    select min(record_date) as first_day, max(record_date) as last_day from records
),
years as (
    select distinct year(c.date_day) as year,
           greatest(make_date(year(c.date_day), 1, 1), v.first_day) as year_first,
           least(make_date(year(c.date_day), 12, 31), v.last_day) as year_last
    from calendar c
    join coverage v on c.date_day between v.first_day and v.last_day
),
person_years as (
    select p.person_id, p.hire_date, y.year,
           least(y.year_last, coalesce(p.leave_date - 1, y.year_last)) as last_employed
    from person p
    join years y
        on p.hire_date <= y.year_last and (p.leave_date is null or p.leave_date > y.year_first)
),
service as (
    select *,
           year - year(hire_date)
               - case when month(hire_date) > 1 or day(hire_date) > 1 then 1 else 0 end
               as service_years
    from person_years
),
taken as (
    select l.person_id, year(c.date_day) as year, count(*) as taken_days
    from leave_requests l
    join calendar c on c.date_day between l.start_date and l.end_date and c.is_workday
    where l.status = '已批准' and l.leave_type = '年休假'
    group by l.person_id, year(c.date_day)
),
final as (
    select
        s.person_id, s.year, v.unit_id, s.hire_date, greatest(s.service_years, 0) as service_years,
        case when s.service_years < 1 then 0 when s.service_years < 10 then 5
             when s.service_years < 20 then 10 else 15 end as entitled_days,
        coalesce(t.taken_days, 0) as taken_days
    from service s
    left join taken t using (person_id, year)
    left join versions v
        on v.person_id = s.person_id and s.last_employed >= v.valid_from and s.last_employed < v.valid_to
)
select * from final;
