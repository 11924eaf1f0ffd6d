-- grain: item_id, size
-- references: item_id -> stg_uniform__uniform_item.uniform_item_id
-- On-hand stock now (after the last movement loaded) per item and every size the item is stocked
-- in, against the item's safety stock (METRICS.md stock: below it is an alert).
create or replace table fact_uniform_stock as
with item as (select * from stg_uniform__uniform_item),
movement as (select * from stg_uniform__uniform_stock_movement),
sizes as (
    select uniform_item_id as item_id, trim(unnest(string_split(size_list, ','))) as size
    from item
),
on_hand as (
    select item_id, size, sum(quantity) as on_hand, max(moved_at) as last_moved_at
    from movement
    group by item_id, size
),
final as (
    select
        i.uniform_item_id as item_id, s.size, i.code as item_code, i.name as item_name,
        i.category as item_category, coalesce(o.on_hand, 0) as on_hand, i.safety_stock,
        coalesce(o.on_hand, 0) < i.safety_stock as is_below_safety, o.last_moved_at
    from sizes s
    join item i on i.uniform_item_id = s.item_id
    left join on_hand o on o.item_id = s.item_id and o.size = s.size
)
select * from final;
