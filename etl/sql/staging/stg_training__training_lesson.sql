create or replace view stg_training__training_lesson as
with source as (select * from src.training_lesson),
final as (
    select
        id as training_lesson_id, program_id, title, teacher_id, given_at, hours, updated_at
    from source
)
select * from final;
