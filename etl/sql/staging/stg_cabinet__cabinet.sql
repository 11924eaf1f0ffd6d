create or replace view stg_cabinet__cabinet as
with source as (select * from src.cabinet),
final as (
    select id as cabinet_id, code, name, unit_id, location, installed_date
    from source
)
select * from final;
