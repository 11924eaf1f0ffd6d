-- Rows of cabinet the model constraints cannot catch: deposits before the label was printed or
-- the cabinet installed, a box assigned to another unit, staff not employed that day, cards used
-- outside their validity.
select 'cabinet_transaction' as table_name, t.id as source_id, 'deposit_after_print' as check_name,
       '投递时间早于条码打印时间' as reason
from raw.cabinet_transaction t
join raw.cabinet_barcode b on b.id = t.barcode_id
where t.deposited_at < b.printed_at
union all
select 'cabinet_transaction', t.id, 'deposit_after_install', '投递时间早于交换柜安装日期'
from raw.cabinet_transaction t
join raw.cabinet_box x on x.id = t.box_id
join raw.cabinet c on c.id = x.cabinet_id
where cast(t.deposited_at as date) < c.installed_date
union all
select 'cabinet_transaction', t.id, 'box_of_receiver',
       '箱格属于单位 ' || cast(x.unit_id as varchar) || ', 收件单位为 ' || cast(t.receiving_unit_id as varchar)
from raw.cabinet_transaction t
join raw.cabinet_box x on x.id = t.box_id
where x.unit_id is not null and x.unit_id <> t.receiving_unit_id
union all
select 'cabinet_transaction', t.id, 'depositor_employed', '投递人在投递日不在职'
from raw.cabinet_transaction t
join raw.person p on p.id = t.depositor_id
where cast(t.deposited_at as date) < p.hire_date or cast(t.deposited_at as date) >= p.leave_date
union all
select 'cabinet_transaction', t.id, 'collector_employed', '取件人在取件日不在职'
from raw.cabinet_transaction t
join raw.person p on p.id = t.picked_up_by_id
where cast(t.picked_up_at as date) < p.hire_date or cast(t.picked_up_at as date) >= p.leave_date
union all
select 'cabinet_transaction', t.id, 'card_valid_at_use', '所用门禁卡在使用时无效'
from raw.cabinet_transaction t
join raw.cabinet_card k on k.id = t.depositor_card_id or k.id = t.pickup_card_id
where (k.id = t.depositor_card_id and (t.deposited_at < k.issued_at or t.deposited_at >= k.status_changed_at))
   or (k.id = t.pickup_card_id and (t.picked_up_at < k.issued_at or t.picked_up_at >= k.status_changed_at))
