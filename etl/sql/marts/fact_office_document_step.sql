-- grain: step_id
-- references: document_id -> fact_office_document.document_id, unit_id -> dim_org.org_id, document_unit_id -> dim_org.org_id, handler_id -> stg_hr__person.person_id, started_date -> dim_date.date_day
-- One row per workflow step of a live document, with its duration in working time
-- (09:00-18:00 on China workdays, in workdays of 9 hours) to find the slowest step.
create or replace table fact_office_document_step as
with steps as (select * from stg_office__office_document_step),
documents as (select * from stg_office__office_document),
calendar as (select * from dim_date),
positioned as (
    select
        s.*,
        work_minute_at(s.started_at, cs.work_minutes_before, cs.is_workday) as start_minute,
        work_minute_at(s.finished_at, ce.work_minutes_before, ce.is_workday) as end_minute
    from steps s
    join calendar cs on cs.date_day = cast(s.started_at as date)
    left join calendar ce on ce.date_day = cast(s.finished_at as date)
),
final as (
    select
        p.office_document_step_id as step_id,
        p.document_id,
        d.direction,
        d.kind,
        d.urgency,
        d.unit_id as document_unit_id,
        p.step_no,
        p.step_name,
        p.handler_id,
        p.unit_id,
        p.started_at,
        cast(p.started_at as date) as started_date,
        p.finished_at,
        p.finished_at is not null as is_finished,
        round(epoch(p.finished_at - p.started_at) / 3600.0, 2) as duration_hours,
        round((p.end_minute - p.start_minute) / 540.0, 3) as duration_workdays
    from positioned p
    join documents d on d.office_document_id = p.document_id
)
select * from final;
