create or replace view stg_asset__asset_event as
with source as (select * from src.asset_event),
final as (
    select
        id as asset_event_id, asset_id, kind, event_date, from_unit_id, to_unit_id,
        from_person_id, to_person_id, cost, note
    from source
)
select * from final;
