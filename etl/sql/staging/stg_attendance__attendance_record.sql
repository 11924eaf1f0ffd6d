create or replace view stg_attendance__attendance_record as
with source as (select * from src.attendance_record),
final as (
    select
        id as attendance_record_id, person_id, record_date, status, check_in_at, check_out_at,
        channel, updated_at
    from source
)
select * from final;
