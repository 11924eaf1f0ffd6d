create or replace view stg_attendance__leave_request as
with source as (select * from src.leave_request),
final as (
    select
        id as leave_request_id, person_id, leave_type, start_date, end_date,
        days as declared_days, reason, status, submitted_at, approver_id, decided_at, updated_at
    from source
)
select * from final;
