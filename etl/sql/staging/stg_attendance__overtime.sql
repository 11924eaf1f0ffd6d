create or replace view stg_attendance__overtime as
with source as (select * from src.overtime),
final as (
    select
        id as overtime_id, person_id, work_date, hours, kind as claimed_kind, reason, status,
        submitted_at, approver_id, decided_at, updated_at
    from source
)
select * from final;
