-- Rows of uniform the model constraints cannot catch: cross-row and cross-table rules.
select 'uniform_request' as table_name, r.id as source_id, 'size_stocked' as check_name,
       '尺码 ' || r.size || ' 不在该服装的尺码表中' as reason
from raw.uniform_request r
join raw.uniform_item i on i.id = r.item_id
where not list_contains(string_split(i.sizes, ','), r.size)
union all
select 'uniform_stock_movement', m.id, 'size_stocked',
       '尺码 ' || m.size || ' 不在该服装的尺码表中'
from raw.uniform_stock_movement m
join raw.uniform_item i on i.id = m.item_id
where not list_contains(string_split(i.sizes, ','), m.size)
union all
select 'uniform_delivery', d.id, 'size_stocked',
       '尺码 ' || d.size || ' 不在该服装的尺码表中'
from raw.uniform_delivery d
join raw.uniform_item i on i.id = d.item_id
where not list_contains(string_split(i.sizes, ','), d.size)
union all
-- An issue takes out exactly what the request asked for, of the same item and size.
select 'uniform_stock_movement', m.id, 'issue_matches_request',
       '出库与申领 id=' || cast(r.id as varchar) || ' 的服装、尺码或数量不一致'
from raw.uniform_stock_movement m
join raw.uniform_request r on r.id = m.request_id
where m.item_id <> r.item_id or m.size <> r.size or -m.quantity <> r.quantity
union all
-- A receipt brings in exactly the delivery line, of the same item and size.
select 'uniform_stock_movement', m.id, 'receipt_matches_delivery',
       '入库与到货 id=' || cast(d.id as varchar) || ' 的服装、尺码或数量不一致'
from raw.uniform_stock_movement m
join raw.uniform_delivery d on d.id = m.delivery_id
where m.item_id <> d.item_id or m.size <> d.size or m.quantity <> d.quantity
union all
select 'uniform_request', r.id, 'person_employed',
       '申领人 ' || cast(r.person_id as varchar) || ' 在申领日不在职'
from raw.uniform_request r
join raw.person p on p.id = r.person_id
where cast(r.requested_at as date) < p.hire_date or cast(r.requested_at as date) >= p.leave_date
