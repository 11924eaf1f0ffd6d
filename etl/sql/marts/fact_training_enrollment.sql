-- grain: training_enrollment_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, course_id -> stg_training__training_course.training_course_id, program_id -> stg_training__training_program.training_program_id
-- One row per enrolment in a live course or programme (withdrawn enrolments, courses and
-- programmes excluded), with the course's or programme's end date (METRICS.md enrollments are
-- counted by it) and completion as METRICS.md defines it: progress 100 and, where there is an
-- exam, score >= pass mark. Credited hours count on the completion date.
create or replace table fact_training_enrollment as
with enrollment as (select * from stg_training__training_enrollment),
course as (select * from stg_training__training_course),
program as (select * from stg_training__training_program),
person as (select * from dim_person),
course_items as (
    select training_course_id as course_id, '课程' as item_kind, title, category,
           mandatory as is_mandatory, has_exam, pass_mark, hours, open_date as start_date,
           close_date as end_date
    from course
),
program_items as (
    select training_program_id as program_id, '培训班' as item_kind, name as title,
           kind as category, false as is_mandatory, has_exam, pass_mark, hours, start_date,
           end_date
    from program
),
joined as (
    select
        e.*,
        coalesce(c.item_kind, g.item_kind) as item_kind,
        coalesce(c.title, g.title) as title,
        coalesce(c.category, g.category) as category,
        coalesce(c.is_mandatory, g.is_mandatory) as is_mandatory,
        coalesce(c.has_exam, g.has_exam) as has_exam,
        coalesce(c.pass_mark, g.pass_mark) as pass_mark,
        coalesce(c.hours, g.hours) as item_hours,
        coalesce(c.start_date, g.start_date) as start_date,
        coalesce(c.end_date, g.end_date) as end_date
    from enrollment e
    left join course_items c on c.course_id = e.course_id
    left join program_items g on g.program_id = e.program_id
    where c.course_id is not null or g.program_id is not null
),
final as (
    select
        j.training_enrollment_id, j.person_id, p.unit_id, j.item_kind, j.course_id, j.program_id,
        j.title, j.category, j.is_mandatory, j.required, j.has_exam, j.pass_mark, j.item_hours,
        j.start_date, j.end_date, j.deadline_date, j.enrolled_at,
        cast(j.enrolled_at as date) as enrolled_date, j.progress, j.exam_score, j.exam_taken_at,
        j.exam_score is not null as is_exam_taken,
        j.exam_score is not null and j.exam_score >= j.pass_mark as is_exam_passed,
        j.progress = 100 and (not j.has_exam or coalesce(j.exam_score >= j.pass_mark, false))
            as is_completed,
        j.completed_at, cast(j.completed_at as date) as completed_date,
        j.credited_hours,
        case when j.credited_hours > 0 then cast(j.completed_at as date) end as credited_date
    from joined j
    left join person p
        on p.person_id = j.person_id and cast(j.enrolled_at as date) >= p.valid_from
        and cast(j.enrolled_at as date) < p.valid_to
)
select * from final;
