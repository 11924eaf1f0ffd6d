create or replace view stg_asset__asset_card as
with source as (select * from src.asset_card),
final as (
    select
        id as asset_card_id, asset_no, name, class_code, category_code, spec, original_value,
        acquired_date, useful_life_years, unit_id, custodian_id, location, status, disposed_date
    from source
)
select * from final;
