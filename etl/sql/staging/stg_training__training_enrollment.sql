create or replace view stg_training__training_enrollment as
with source as (select * from src.training_enrollment),
final as (
    select
        id as training_enrollment_id, person_id, course_id, program_id, required, enrolled_at,
        deadline_date, progress, exam_score, exam_taken_at, completed_at, credited_hours,
        updated_at
    from source
)
select * from final;
