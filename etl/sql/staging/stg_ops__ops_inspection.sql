create or replace view stg_ops__ops_inspection as
with source as (select * from src.ops_inspection),
final as (
    select
        id as ops_inspection_id, module, planned_date, done_at, result, inspector,
        finding_ticket_id, note
    from source
)
select * from final;
