-- Rows of office the model constraints cannot catch: date against timestamp, order of steps,
-- overlapping bookings, events before what they depend on, staff not employed that day.
select 'office_document' as table_name, id as source_id, 'deadline_after_registration' as check_name,
       '办理时限 ' || cast(deadline_date as varchar) || ' 早于登记日期' as reason
from raw.office_document
where deadline_date < cast(registered_at as date)
union all
select 'office_document_step', s.id, 'step_after_registration', '步骤开始早于公文登记时间'
from raw.office_document_step s
join raw.office_document d on d.id = s.document_id
where s.started_at < d.registered_at
union all
select 'office_document_step', id, 'steps_in_order',
       '第 ' || cast(step_no as varchar) || ' 步开始时上一步尚未完成'
from (
    select *,
           lag(step_no) over (partition by document_id order by step_no) as previous_no,
           lag(finished_at) over (partition by document_id order by step_no) as previous_finished_at
    from raw.office_document_step
)
where previous_no is not null and (previous_finished_at is null or started_at < previous_finished_at)
union all
select 'office_document_step', s.id, 'handler_employed',
       '经办人 ' || cast(s.handler_id as varchar) || ' 在步骤开始日不在职'
from raw.office_document_step s
join raw.person p on p.id = s.handler_id
where cast(s.started_at as date) < p.hire_date or cast(s.started_at as date) >= p.leave_date
union all
select 'office_notice_read', r.id, 'read_after_published', '阅读时间早于通知发布时间'
from raw.office_notice_read r
join raw.office_notice n on n.id = r.notice_id
where r.read_at < n.published_at
union all
select 'office_room_booking', id, 'no_double_booking',
       '会议室 ' || cast(room_id as varchar) || ' 在 ' || cast(start_at as varchar) || ' 已被预订'
from (
    select *,
           max(end_at) over (partition by room_id order by start_at, id
                             rows between unbounded preceding and 1 preceding) as earlier_end_at
    from raw.office_room_booking
    where cancelled_at is null and deleted_at is null
)
where earlier_end_at > start_at
union all
select 'office_supervision_task', id, 'deadline_after_assignment',
       '办理时限 ' || cast(deadline_date as varchar) || ' 早于交办日期'
from raw.office_supervision_task
where deadline_date < cast(assigned_at as date)
union all
select 'office_file_download', d.id, 'download_after_upload', '下载时间早于上传时间'
from raw.office_file_download d
join raw.office_shared_file f on f.id = d.file_id
where d.downloaded_at < f.uploaded_at
