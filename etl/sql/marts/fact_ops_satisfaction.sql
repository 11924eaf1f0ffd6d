-- grain: satisfaction_id
-- references: ticket_id -> fact_ops_ticket.ticket_id, respondent_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, rated_date -> dim_date.date_day
-- One row per ticket rating (of a live ticket) or survey answer. csat = ratings with
-- is_satisfied / ratings; survey scores by dimension on their own scale (scale_max 5 or 100)
-- or compared across scales through score_100 (1-5 mapped linearly onto 0-100).
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_ops_satisfaction as
with answers as (select * from stg_ops__ops_satisfaction),
tickets as (select * from stg_ops__ops_ticket),
staff as (select person_id from stg_hr__person),
final as (
    select
        a.ops_satisfaction_id as satisfaction_id,
        a.kind,
        a.ticket_id,
        t.module,
        t.priority,
        a.survey_period,
        a.dimension,
        s.person_id as respondent_id,
        a.unit_id,
        a.score,
        a.scale_max,
        case when a.scale_max = 5 then (a.score - 1) * 25.0 else cast(a.score as double) end
            as score_100,
        case when a.kind = '工单评价' then a.score >= 4 end as is_satisfied,
        a.rated_at,
        cast(a.rated_at as date) as rated_date,
        a.comment
    from answers a
    left join tickets t on t.ops_ticket_id = a.ticket_id
    left join staff s on s.person_id = a.respondent_id
    where a.ticket_id is null or t.ops_ticket_id is not null
)
select * from final;
