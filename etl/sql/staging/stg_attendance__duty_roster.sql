create or replace view stg_attendance__duty_roster as
with source as (select * from src.duty_roster),
final as (
    select
        id as duty_roster_id, unit_id, duty_date, role, person_id, phone, updated_at
    from source
)
select * from final;
