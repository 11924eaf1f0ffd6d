create or replace view stg_hr__org_unit as
with source as (select * from src.org_unit),
final as (
    select
        id as org_unit_id, code, name, level, parent_id, district_code, unit_type,
        functional_zone, authorized_headcount, keeps_duty_roster, sort_order, updated_at
    from source
)
select * from final;
