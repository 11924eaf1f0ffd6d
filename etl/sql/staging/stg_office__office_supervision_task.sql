create or replace view stg_office__office_supervision_task as
with source as (select * from src.office_supervision_task),
final as (
    select
        id as office_supervision_task_id, task_no, source, title, lead_unit_id, assigned_by
        as assigner_id, assigned_at, deadline_date, extended_deadline_date,
        extension_reason, feedback_at, closed_at, status, rework_count
    from source
)
select * from final;
