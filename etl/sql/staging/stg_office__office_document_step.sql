create or replace view stg_office__office_document_step as
with source as (select * from src.office_document_step),
final as (
    select
        id as office_document_step_id, document_id, step_no, step_name, handler_id, unit_id,
        started_at, finished_at
    from source
)
select * from final;
