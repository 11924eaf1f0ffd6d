create or replace view stg_office__office_shared_file as
with source as (select * from src.office_shared_file),
final as (
    select
        id as office_shared_file_id, title, category, file_ext, size_kb, unit_id,
        uploader_id, uploaded_at
    from source
)
select * from final;
