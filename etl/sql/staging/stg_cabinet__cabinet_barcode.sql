create or replace view stg_cabinet__cabinet_barcode as
with source as (select * from src.cabinet_barcode),
final as (
    select id as cabinet_barcode_id, code, document_ref, title, sender_unit_id, printed_at
    from source
)
select * from final;
