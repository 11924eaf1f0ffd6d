-- grain: room_id
-- references: unit_id -> dim_org.org_id
-- Meeting rooms with the date they opened: room_utilization counts available hours
-- (workdays 08:30-17:30, 9 hours) from opened_date on, also for rooms that were never booked.
create or replace table dim_office_room as
with rooms as (select * from stg_office__office_meeting_room),
final as (
    select
        office_meeting_room_id as room_id,
        name,
        unit_id,
        location,
        capacity,
        has_video,
        opened_date,
        is_active
    from rooms
)
select * from final;
