create or replace view stg_office__office_notice_read as
with source as (select * from src.office_notice_read),
final as (
    select
        id as office_notice_read_id, notice_id, person_id, unit_id, read_at, read_channel
    from source
)
select * from final;
