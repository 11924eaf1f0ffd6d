create or replace view stg_uniform__uniform_stock_movement as
with source as (select * from src.uniform_stock_movement),
final as (
    select
        id as uniform_stock_movement_id, item_id, size, kind, quantity, moved_at, delivery_id,
        request_id, operator_id, note, updated_at
    from source
)
select * from final;
