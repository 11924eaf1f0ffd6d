create or replace view stg_hr__person_history as
with source as (select * from src.person_history),
final as (
    select
        id as person_history_id, person_id, effective_date, kind, unit_id, category, rank, position
    from source
)
select * from final;
