-- Rows of asset the model constraints cannot catch: events and disposals before the asset was
-- acquired or after it was disposed of, issues to staff not employed that day, disposed cards
-- without an approved disposal.
select 'asset_event' as table_name, e.id as source_id, 'event_after_acquisition' as check_name,
       '事件日期 ' || cast(e.event_date as varchar) || ' 早于购置日期' as reason
from raw.asset_event e
join raw.asset_card c on c.id = e.asset_id
where e.event_date < c.acquired_date
union all
select 'asset_event', e.id, 'event_before_disposal',
       '事件日期 ' || cast(e.event_date as varchar) || ' 晚于处置日期'
from raw.asset_event e
join raw.asset_card c on c.id = e.asset_id
where e.event_date > c.disposed_date
union all
select 'asset_event', e.id, 'issued_to_employed',
       '领用人 ' || cast(e.to_person_id as varchar) || ' 在领用日不在职'
from raw.asset_event e
join raw.person p on p.id = e.to_person_id
where e.kind = '领用' and (e.event_date < p.hire_date or e.event_date >= p.leave_date)
union all
select 'asset_disposal', d.id, 'request_after_acquisition', '处置申请早于购置日期'
from raw.asset_disposal d
join raw.asset_card c on c.id = d.asset_id
where d.requested_date < c.acquired_date
union all
select 'asset_card', c.id, 'disposed_has_approval', '卡片状态为已处置但无已批准的处置记录'
from raw.asset_card c
where c.status = '已处置' and c.deleted_at is null and not exists (
    select 1 from raw.asset_disposal d
    where d.asset_id = c.id and d.disposed_date is not null and d.deleted_at is null)
