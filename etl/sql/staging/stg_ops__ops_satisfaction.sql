create or replace view stg_ops__ops_satisfaction as
with source as (select * from src.ops_satisfaction),
final as (
    select
        id as ops_satisfaction_id, kind, ticket_id, survey_period, dimension, respondent_id,
        unit_id, score, scale_max, rated_at, comment
    from source
)
select * from final;
