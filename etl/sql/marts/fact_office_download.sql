-- grain: download_id
-- references: file_id -> stg_office__office_shared_file.office_shared_file_id, unit_id -> dim_org.org_id, file_unit_id -> dim_org.org_id, person_id -> stg_hr__person.person_id, downloaded_date -> dim_date.date_day
-- One row per download of a live shared file; unit_id is the downloader's unit that day.
create or replace table fact_office_download as
with downloads as (select * from stg_office__office_file_download),
files as (select * from stg_office__office_shared_file),
person as (select * from dim_person),
final as (
    select
        d.office_file_download_id as download_id,
        d.file_id,
        f.title as file_title,
        f.category as file_category,
        f.file_ext,
        f.size_kb,
        f.unit_id as file_unit_id,
        f.uploaded_at,
        d.person_id,
        p.unit_id,
        d.downloaded_at,
        cast(d.downloaded_at as date) as downloaded_date
    from downloads d
    join files f on f.office_shared_file_id = d.file_id
    left join person p
        on p.person_id = d.person_id
        and cast(d.downloaded_at as date) >= p.valid_from
        and cast(d.downloaded_at as date) < p.valid_to
)
select * from final;
