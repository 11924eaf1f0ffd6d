-- grain: booking_id
-- references: room_id -> dim_office_room.room_id, unit_id -> dim_org.org_id, room_unit_id -> dim_org.org_id, booker_id -> stg_hr__person.person_id, booking_date -> dim_date.date_day
-- One row per live booking. Utilisation counts booked_hours of bookings that were not
-- cancelled; no_show_rate = is_no_show / not cancelled bookings.
create or replace table fact_office_room_booking as
with bookings as (select * from stg_office__office_room_booking),
rooms as (select * from stg_office__office_meeting_room),
final as (
    select
        b.office_room_booking_id as booking_id,
        b.room_id,
        r.name as room_name,
        r.unit_id as room_unit_id,
        r.capacity,
        b.unit_id,
        b.booker_id,
        b.title,
        b.booked_at,
        b.start_at,
        b.end_at,
        cast(b.start_at as date) as booking_date,
        round(epoch(b.end_at - b.start_at) / 3600.0, 2) as booked_hours,
        round(epoch(b.start_at - b.booked_at) / 3600.0, 2) as hours_booked_ahead,
        b.attendee_count,
        b.checked_in_at,
        b.cancelled_at,
        b.cancelled_at is not null as is_cancelled,
        b.checked_in_at is not null as is_checked_in,
        b.cancelled_at is null and b.checked_in_at is null as is_no_show
    from bookings b
    join rooms r on r.office_meeting_room_id = b.room_id
)
select * from final;
