-- grain: org_id
-- references: parent_id -> dim_org.org_id
-- The org tree with its path, so a scope is "path starts with the scope unit's path".
create or replace table dim_org as
with recursive units as (select * from stg_hr__org_unit),
tree as (
    select org_unit_id as org_id, '/' || org_unit_id || '/' as path, 0 as depth
    from units where parent_id is null
    union all
    select u.org_unit_id, t.path || u.org_unit_id || '/', t.depth + 1
    from units u join tree t on u.parent_id = t.org_id
),
final as (
    select
        u.org_unit_id as org_id, u.code, u.name, u.level, u.parent_id, p.name as parent_name,
        u.district_code, u.unit_type, u.functional_zone, u.authorized_headcount,
        u.keeps_duty_roster, u.sort_order, t.path, t.depth,
        case u.level when '区局' then u.org_unit_id when '街乡镇' then u.parent_id end as district_id,
        case u.level when '街乡镇' then u.org_unit_id end as street_id
    from units u
    join tree t on t.org_id = u.org_unit_id
    left join units p on p.org_unit_id = u.parent_id
)
select * from final;
