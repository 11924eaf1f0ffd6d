create or replace view stg_office__office_room_booking as
with source as (select * from src.office_room_booking),
final as (
    select
        id as office_room_booking_id, room_id, booked_by as booker_id, unit_id, title,
        booked_at, start_at, end_at, attendee_count, checked_in_at, cancelled_at
    from source
)
select * from final;
