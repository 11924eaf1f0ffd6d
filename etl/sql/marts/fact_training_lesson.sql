-- grain: training_lesson_id
-- references: program_id -> stg_training__training_program.training_program_id, organizer_unit_id -> dim_org.org_id, teacher_id -> stg_hr__person.person_id, teacher_unit_id -> dim_org.org_id
-- One row per lesson (授课) of a live programme, with the teacher's unit on the day taught.
create or replace table fact_training_lesson as
with lesson as (select * from stg_training__training_lesson),
program as (select * from stg_training__training_program),
person as (select * from dim_person),
final as (
    select
        l.training_lesson_id, l.program_id, g.name as program_name, g.kind as program_kind,
        g.organizer_unit_id, l.title, l.teacher_id, p.unit_id as teacher_unit_id, l.given_at,
        cast(l.given_at as date) as given_date, l.hours
    from lesson l
    join program g on g.training_program_id = l.program_id
    left join person p
        on p.person_id = l.teacher_id and cast(l.given_at as date) >= p.valid_from
        and cast(l.given_at as date) < p.valid_to
)
select * from final;
