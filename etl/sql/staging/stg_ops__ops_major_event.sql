create or replace view stg_ops__ops_major_event as
with source as (select * from src.ops_major_event),
final as (
    select id as ops_major_event_id, name, kind, level, start_at, end_at, onsite_engineers, note
    from source
)
select * from final;
