-- grain: leave_request_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, approver_id -> stg_hr__person.person_id
-- One row per leave request (withdrawn drafts excluded), with the workdays it covers counted
-- from the China work calendar and the requester's unit on the first day of leave.
create or replace table fact_attendance_leave as
with leave_requests as (select * from stg_attendance__leave_request),
person as (select * from dim_person),
calendar as (select * from dim_date),
counted as (
    select l.leave_request_id,
           count(*) filter (where c.is_workday) as workdays,
           count(*) as calendar_days
    from leave_requests l
    join calendar c on c.date_day between l.start_date and l.end_date
    group by l.leave_request_id
),
final as (
    select
        l.leave_request_id, l.person_id, p.unit_id, l.leave_type, l.status,
        l.status = '已批准' as is_approved,
        l.start_date, l.end_date, year(l.start_date) as start_year,
        l.declared_days, coalesce(c.workdays, 0) as workdays,
        coalesce(c.calendar_days, 0) as calendar_days,
        l.submitted_at, l.decided_at, l.approver_id,
        date_diff('minute', l.submitted_at, l.decided_at) / 60.0 as decision_hours
    from leave_requests l
    left join counted c using (leave_request_id)
    left join person p
        on p.person_id = l.person_id and l.start_date >= p.valid_from and l.start_date < p.valid_to
)
select * from final;
