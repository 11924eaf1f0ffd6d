create or replace view stg_training__training_course as
with source as (select * from src.training_course),
final as (
    select
        id as training_course_id, code, title, category, hours, mandatory, has_exam, pass_mark,
        open_date, close_date, provider_unit_id, updated_at
    from source
)
select * from final;
