create or replace view stg_identity__user_account as
with source as (select * from src.user_account),
final as (
    select
        id as user_id, person_id, username, scope_unit_id, state, failed_attempts, locked_at,
        last_login_at, created_at
    from source
)
select * from final;
