create or replace view stg_identity__user_role as
with source as (select * from src.user_role),
final as (
    select id as user_role_id, user_id, role
    from source
)
select * from final;
