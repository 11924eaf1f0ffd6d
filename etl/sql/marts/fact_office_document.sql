-- grain: document_id
-- references: unit_id -> dim_org.org_id, registrar_id -> stg_hr__person.person_id, registered_date -> dim_date.date_day, finished_date -> dim_date.date_day
-- One row per live 公文 (收文 and 发文). cycle_workdays is finished_at - registered_at in
-- working time (09:00-18:00 on China workdays) divided by 9 hours; overdue as of a date d is
-- deadline_date < d and (finished_date is null or finished_date > d).
create or replace table fact_office_document as
with documents as (select * from stg_office__office_document),
steps as (select * from stg_office__office_document_step),
calendar as (select * from dim_date),
step_totals as (
    select
        document_id,
        count(*) as step_count,
        count(*) filter (where finished_at is null) as open_step_count,
        bool_or(step_name = '催办') as was_chased
    from steps
    group by document_id
),
positioned as (
    select
        d.*,
        cast(d.registered_at as date) as registered_date,
        cast(d.finished_at as date) as finished_date,
        work_minute_at(d.registered_at, cs.work_minutes_before, cs.is_workday) as start_minute,
        work_minute_at(d.finished_at, ce.work_minutes_before, ce.is_workday) as end_minute
    from documents d
    join calendar cs on cs.date_day = cast(d.registered_at as date)
    left join calendar ce on ce.date_day = cast(d.finished_at as date)
),
final as (
    select
        p.office_document_id as document_id,
        p.direction,
        p.kind,
        p.urgency,
        p.secrecy,
        p.doc_no,
        p.title,
        p.source_org,
        p.unit_id,
        p.registrar_id,
        p.registered_at,
        p.registered_date,
        p.deadline_date,
        p.finished_at,
        p.finished_date,
        p.status,
        p.finished_at is not null as is_finished,
        p.deadline_date is not null as has_deadline,
        p.finished_date > p.deadline_date as finished_late,
        round((p.end_minute - p.start_minute) / 540.0, 2) as cycle_workdays,
        round(epoch(p.finished_at - p.registered_at) / 86400.0, 2) as cycle_days,
        coalesce(s.step_count, 0) as step_count,
        coalesce(s.open_step_count, 0) as open_step_count,
        coalesce(s.was_chased, false) as was_chased,
        p.copies
    from positioned p
    left join step_totals s on s.document_id = p.office_document_id
)
select * from final;
