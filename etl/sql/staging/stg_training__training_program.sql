create or replace view stg_training__training_program as
with source as (select * from src.training_program),
final as (
    select
        id as training_program_id, name, kind, organizer_unit_id, start_date, end_date, hours,
        capacity, location, has_exam, pass_mark, updated_at
    from source
)
select * from final;
