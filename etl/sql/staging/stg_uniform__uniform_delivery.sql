create or replace view stg_uniform__uniform_delivery as
with source as (select * from src.uniform_delivery),
final as (
    select
        id as uniform_delivery_id, vendor_id, item_id, size, quantity, ordered_date,
        promised_date, received_date, updated_at
    from source
)
select * from final;
