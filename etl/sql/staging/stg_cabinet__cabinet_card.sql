create or replace view stg_cabinet__cabinet_card as
with source as (select * from src.cabinet_card),
final as (
    select id as cabinet_card_id, card_no, person_id, unit_id, issued_at, status, status_changed_at
    from source
)
select * from final;
