create or replace view stg_ops__ops_ticket as
with source as (select * from src.ops_ticket),
final as (
    select
        id as ops_ticket_id, ticket_no, module, category, priority, title, reporter_id,
        reporter_unit_id, assignee, status, reported_at, acknowledged_at, resolved_at, closed_at,
        reopen_count, cause, fix
    from source
)
select * from final;
