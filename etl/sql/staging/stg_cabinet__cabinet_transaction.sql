create or replace view stg_cabinet__cabinet_transaction as
with source as (select * from src.cabinet_transaction),
final as (
    select
        id as cabinet_transaction_id, box_id, barcode_id, depositor_id, depositor_card_id,
        receiving_unit_id, deposited_at, picked_up_at, picked_up_by_id, pickup_card_id
    from source
)
select * from final;
