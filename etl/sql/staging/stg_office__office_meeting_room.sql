create or replace view stg_office__office_meeting_room as
with source as (select * from src.office_meeting_room),
final as (
    select
        id as office_meeting_room_id, name, unit_id, location, capacity, has_video,
        opened_date, is_active
    from source
)
select * from final;
