-- grain: person_id, date_day
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, person_sk -> dim_person.person_sk, attendance_record_id -> stg_attendance__attendance_record.attendance_record_id, leave_request_id -> stg_attendance__leave_request.leave_request_id
-- incremental: person_id, date_day <- attendance_record(person_id, record_date), leave_request(person_id, start_date..end_date)
-- guard: select min(record_date), max(record_date) from stg_attendance__attendance_record
-- key filter: records(person_id, record_date), leave_requests(person_id), person(person_id), person_days(person_id, date_day)
-- One row per person and workday on which they were employed (METRICS.md attendance), inside
-- the clock system's coverage (first to last record date), in the unit they belonged to then.
-- Status: the clock record's when there is one; otherwise 请假 if an approved leave covers the
-- day, else 旷工 (no record and no approved leave counts as absence).
create or replace table fact_attendance_day as
-- records is what a refresh restricts to its keys (see the key filter); the coverage is read
-- from all records, always
with records as (select * from stg_attendance__attendance_record),
all_records as (select * from stg_attendance__attendance_record),
leave_requests as (select * from stg_attendance__leave_request),
person as (select * from dim_person),
calendar as (select * from dim_date),
coverage as (
    select min(record_date) as first_day, max(record_date) as last_day from all_records
),
workdays as (
    select c.date_day, c.day_kind
    from calendar c
    join coverage v on c.date_day between v.first_day and v.last_day
    where c.is_workday
),
person_days as (
    select p.person_sk, p.person_id, p.unit_id, p.category, w.date_day, w.day_kind
    from person p
    join workdays w on w.date_day >= p.valid_from and w.date_day < p.valid_to
    where w.date_day >= p.hire_date and (p.leave_date is null or w.date_day < p.leave_date)
),
leave_days as (
    -- one row per calendar day of an approved request: an equi-join on the day, not a range join
    select leave_request_id, person_id, leave_type,
           cast(unnest(generate_series(cast(start_date as timestamp), cast(end_date as timestamp),
                                       interval 1 day)) as date) as date_day
    from leave_requests
    where status = '已批准'
),
approved_leave_days as (
    -- overlapping approved requests are quarantined; min() keeps the grain safe regardless
    select l.person_id, l.date_day, min(l.leave_request_id) as leave_request_id,
           arg_min(l.leave_type, l.leave_request_id) as leave_type
    from leave_days l
    join workdays w on w.date_day = l.date_day
    group by l.person_id, l.date_day
),
classified as (
    select
        d.*, r.attendance_record_id, r.status as record_status, r.check_in_at, r.check_out_at,
        r.channel, a.leave_request_id, a.leave_type,
        coalesce(r.status, case when a.leave_request_id is not null then '请假' else '旷工' end) as status
    from person_days d
    left join records r on r.person_id = d.person_id and r.record_date = d.date_day
    left join approved_leave_days a on a.person_id = d.person_id and a.date_day = d.date_day
),
final as (
    select
        person_id, date_day, unit_id, person_sk, category, day_kind,
        attendance_record_id, record_status, status,
        case when status = '请假' then leave_type end as leave_type,
        case when status = '请假' then leave_request_id end as leave_request_id,
        check_in_at, check_out_at, channel,
        attendance_record_id is null as is_derived,
        status in ('正常', '迟到', '早退', '外勤', '出差') as is_attended,
        status = '迟到' as is_late,
        status = '早退' as is_early_leave,
        status = '旷工' as is_absent,
        status = '请假' as is_leave
    from classified
)
-- Sorted by day: every question reads a period, and DuckDB skips row groups outside it.
select * from final order by date_day, unit_id;
