create or replace view stg_ops__ops_sla_policy as
with source as (select * from src.ops_sla_policy),
final as (
    select id as ops_sla_policy_id, priority, respond_minutes, resolve_minutes, calendar, valid_from
    from source
)
select * from final;
