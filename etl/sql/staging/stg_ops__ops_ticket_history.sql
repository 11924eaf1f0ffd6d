create or replace view stg_ops__ops_ticket_history as
with source as (select * from src.ops_ticket_history),
final as (
    select
        id as ops_ticket_history_id, ticket_id, changed_at, kind, from_status, to_status,
        from_priority, to_priority, note
    from source
)
select * from final;
