-- grain: overtime_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, approver_id -> stg_hr__person.person_id
-- One row per overtime claim (withdrawn ones excluded). kind comes from the China work calendar
-- of the day worked (工作日 incl. 调休 working weekends, 休息日, 节假日), not from the claim.
create or replace table fact_attendance_overtime as
with overtime as (select * from stg_attendance__overtime),
person as (select * from dim_person),
calendar as (select * from dim_date),
final as (
    select
        o.overtime_id, o.person_id, p.unit_id, o.work_date, c.day_kind,
        case c.day_kind when 'holiday' then '节假日' when 'weekend' then '休息日' else '工作日' end
            as kind,
        o.claimed_kind, o.hours, o.status, o.status = '已批准' as is_approved,
        case when o.status = '已批准' then o.hours else 0 end as approved_hours,
        o.reason, o.submitted_at, o.decided_at, o.approver_id
    from overtime o
    left join calendar c on c.date_day = o.work_date
    left join person p
        on p.person_id = o.person_id and o.work_date >= p.valid_from and o.work_date < p.valid_to
)
select * from final;
