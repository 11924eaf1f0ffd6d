-- Rows of ops the model constraints cannot catch: changes before the ticket was reported, a
-- status chain with a gap, inspections done before their day, ratings before the resolution.
select 'ops_ticket_history' as table_name, h.id as source_id, 'change_after_report' as check_name,
       '变更时间早于报告时间' as reason
from raw.ops_ticket_history h
join raw.ops_ticket t on t.id = h.ticket_id
where h.changed_at < t.reported_at
union all
select 'ops_ticket_history', id, 'status_chain',
       '起始状态 ' || coalesce(from_status, '空') || ' 与上一状态 ' || coalesce(previous_status, '空') || ' 不符'
from (
    select *, lag(to_status) over (partition by ticket_id order by changed_at, id) as previous_status
    from raw.ops_ticket_history
    where kind = '状态'
)
where from_status is distinct from previous_status
union all
select 'ops_inspection', id, 'done_on_or_after_planned', '巡检完成时间早于计划日期'
from raw.ops_inspection
where cast(done_at as date) < planned_date
union all
select 'ops_satisfaction', s.id, 'rated_after_resolved', '评价时间早于工单解决时间'
from raw.ops_satisfaction s
join raw.ops_ticket t on t.id = s.ticket_id
where s.rated_at < t.resolved_at
