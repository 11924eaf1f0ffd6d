create or replace view stg_appraisal__appraisal as
with source as (select * from src.appraisal),
final as (
    select
        id as appraisal_id, person_id, unit_id, year, kind, period, topic, grade, score,
        evaluated_at, evaluator_id, comment, updated_at
    from source
)
select * from final;
