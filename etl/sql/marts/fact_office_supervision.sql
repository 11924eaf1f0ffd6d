-- grain: task_id
-- references: unit_id -> dim_org.org_id, assigner_id -> stg_hr__person.person_id, assigned_date -> dim_date.date_day
-- One row per live 督查督办 task. due_date is the deadline in force (a granted extension
-- replaces the original). A task is finished when closed (审结); it was on time when its
-- (last) feedback came by due_date. supervision_on_time = is_on_time / tasks with due_date in
-- the period; open tasks past due as of d: not is_closed and due_date < d.
create or replace table fact_office_supervision as
with tasks as (select * from stg_office__office_supervision_task),
calendar as (select * from dim_date),
positioned as (
    select
        t.*,
        coalesce(t.extended_deadline_date, t.deadline_date) as due_date,
        cast(t.feedback_at as date) as feedback_date,
        work_minute_at(t.assigned_at, cs.work_minutes_before, cs.is_workday) as start_minute,
        work_minute_at(t.feedback_at, ce.work_minutes_before, ce.is_workday) as feedback_minute
    from tasks t
    join calendar cs on cs.date_day = cast(t.assigned_at as date)
    left join calendar ce on ce.date_day = cast(t.feedback_at as date)
),
final as (
    select
        office_supervision_task_id as task_id,
        task_no,
        source,
        title,
        lead_unit_id as unit_id,
        assigner_id,
        assigned_at,
        cast(assigned_at as date) as assigned_date,
        deadline_date,
        extended_deadline_date,
        due_date,
        extended_deadline_date is not null as has_extension,
        extension_reason,
        feedback_at,
        feedback_date,
        closed_at,
        cast(closed_at as date) as closed_date,
        status,
        rework_count,
        rework_count > 0 as was_reworked,
        closed_at is not null as is_closed,
        closed_at is not null and feedback_date <= due_date as is_on_time,
        case when feedback_date > due_date then date_diff('day', due_date, feedback_date) end
            as days_late,
        round((feedback_minute - start_minute) / 540.0, 2) as handling_workdays
    from positioned
)
select * from final;
