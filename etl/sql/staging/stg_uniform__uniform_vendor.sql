create or replace view stg_uniform__uniform_vendor as
with source as (select * from src.uniform_vendor),
final as (
    select
        id as uniform_vendor_id, name, credit_code, contact_name, phone, address, updated_at
    from source
)
select * from final;
