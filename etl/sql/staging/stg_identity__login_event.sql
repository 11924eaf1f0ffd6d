create or replace view stg_identity__login_event as
with source as (select * from src.login_event),
final as (
    select
        id as login_event_id, user_id, attempted_at, success, failure_reason, channel, ip
    from source
)
select * from final;
