-- grain: uniform_stock_movement_id
-- references: item_id -> stg_uniform__uniform_item.uniform_item_id, delivery_id -> stg_uniform__uniform_delivery.uniform_delivery_id, request_id -> stg_uniform__uniform_request.uniform_request_id, operator_id -> stg_hr__person.person_id
-- One row per movement of the central store; quantity is signed (入库 +, 出库 -, 调整 ±), so the
-- stock of an item and size on a date is the sum of the movements up to that date.
create or replace table fact_uniform_stock_movement as
with movement as (select * from stg_uniform__uniform_stock_movement),
item as (select * from stg_uniform__uniform_item),
final as (
    select
        m.uniform_stock_movement_id, m.item_id, i.code as item_code, i.name as item_name,
        i.category as item_category, m.size, m.kind, m.quantity, m.moved_at,
        cast(m.moved_at as date) as moved_date, m.delivery_id, m.request_id, m.operator_id,
        i.safety_stock, m.quantity * i.unit_price as amount, m.note
    from movement m
    join item i on i.uniform_item_id = m.item_id
)
select * from final;
