create or replace view stg_office__office_file_download as
with source as (select * from src.office_file_download),
final as (
    select
        id as office_file_download_id, file_id, person_id, downloaded_at
    from source
)
select * from final;
