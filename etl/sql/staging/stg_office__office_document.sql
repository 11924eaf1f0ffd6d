create or replace view stg_office__office_document as
with source as (select * from src.office_document),
final as (
    select
        id as office_document_id, direction, kind, urgency, secrecy, doc_no, title,
        source_org, unit_id, registrar_id, registered_at, deadline_date, finished_at,
        status, copies
    from source
)
select * from final;
