create or replace view stg_uniform__uniform_item as
with source as (select * from src.uniform_item),
final as (
    select
        id as uniform_item_id, code, name, category, sizes as size_list, unit_name,
        issue_quantity, cycle_months, safety_stock, unit_price, updated_at
    from source
)
select * from final;
