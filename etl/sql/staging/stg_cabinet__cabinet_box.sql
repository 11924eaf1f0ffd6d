create or replace view stg_cabinet__cabinet_box as
with source as (select * from src.cabinet_box),
final as (
    select id as cabinet_box_id, cabinet_id, box_no, size, unit_id
    from source
)
select * from final;
