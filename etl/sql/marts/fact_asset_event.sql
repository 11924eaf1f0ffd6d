-- grain: asset_event_id
-- references: asset_id -> fact_asset_card.asset_id, unit_id -> dim_org.org_id, from_unit_id -> dim_org.org_id, to_unit_id -> dim_org.org_id, from_person_id -> stg_hr__person.person_id, to_person_id -> stg_hr__person.person_id, event_date -> dim_date.date_day
-- One row per event of a live asset card. unit_id: the unit the event happened in (the
-- receiving unit of a transfer or an issue, else the card's unit).
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_asset_event as
with events as (select * from stg_asset__asset_event),
cards as (select asset_card_id as asset_id, * from stg_asset__asset_card),
staff as (select person_id from stg_hr__person),
final as (
    select
        e.asset_event_id,
        e.asset_id,
        c.class_code,
        c.category_code,
        e.kind,
        e.event_date,
        coalesce(e.to_unit_id, e.from_unit_id, c.unit_id) as unit_id,
        e.from_unit_id,
        e.to_unit_id,
        pf.person_id as from_person_id,
        pt.person_id as to_person_id,
        e.cost,
        e.note
    from events e
    join cards c on c.asset_id = e.asset_id
    left join staff pf on pf.person_id = e.from_person_id
    left join staff pt on pt.person_id = e.to_person_id
)
select * from final;
