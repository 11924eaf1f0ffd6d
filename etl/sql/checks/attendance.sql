-- Rows of attendance the model constraints cannot catch: cross-row and cross-table rules.
select 'attendance_record' as table_name, r.id as source_id, 'person_employed' as check_name,
       '人员 ' || cast(r.person_id as varchar) || ' 在 ' || cast(r.record_date as varchar) || ' 不在职'
           as reason
from raw.attendance_record r
join raw.person p on p.id = r.person_id
where r.record_date < p.hire_date or r.record_date >= p.leave_date
union all
select 'attendance_record', id, 'clock_on_record_date',
       '打卡时间不在考勤日期 ' || cast(record_date as varchar) || ' 当天'
from raw.attendance_record
where cast(check_in_at as date) <> record_date or cast(check_out_at as date) <> record_date
union all
select 'leave_request', id, 'days_within_range',
       '请假天数 ' || cast(days as varchar) || ' 超过起止日期之间的天数'
from raw.leave_request
where days > end_date - start_date + 1
union all
-- Two approved requests of one person over the same days: the later one is the bad row.
select 'leave_request', b.id, 'no_overlapping_approved_leave',
       '与已批准的请假 id=' || cast(a.id as varchar) || ' 日期重叠'
from raw.leave_request a
join raw.leave_request b
    on b.person_id = a.person_id and b.id > a.id
    and b.start_date <= a.end_date and a.start_date <= b.end_date
where a.status = '已批准' and b.status = '已批准'
    and a.deleted_at is null and b.deleted_at is null
union all
select 'overtime', o.id, 'person_employed',
       '人员 ' || cast(o.person_id as varchar) || ' 在 ' || cast(o.work_date as varchar) || ' 不在职'
from raw.overtime o
join raw.person p on p.id = o.person_id
where o.work_date < p.hire_date or o.work_date >= p.leave_date
union all
select 'duty_roster', d.id, 'person_employed',
       '值班人员 ' || cast(d.person_id as varchar) || ' 在 ' || cast(d.duty_date as varchar) || ' 不在职'
from raw.duty_roster d
join raw.person p on p.id = d.person_id
where d.duty_date < p.hire_date or d.duty_date >= p.leave_date
