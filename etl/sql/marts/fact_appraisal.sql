-- grain: appraisal_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, evaluator_id -> stg_hr__person.person_id
-- One row per assessment (withdrawn results excluded) with the last day of its period, the flags
-- the metrics count, and for 年度 the person's grade of the year before (repeat_unsatisfactory).
create or replace table fact_appraisal as
with appraisal as (select * from stg_appraisal__appraisal),
dated as (
    select
        *,
        case kind
            when '平时' then last_day(make_date(year, 3 * cast(right(period, 1) as integer), 1))
            when '年度' then make_date(year, 12, 31)
            else last_day(cast(period || '-01' as date))
        end as period_end_date
    from appraisal
),
annual as (
    select person_id, year, grade from dated where kind = '年度'
),
with_previous as (
    -- equality keys only, so the join is a hash join (a condition on a.kind alone made it a
    -- nested loop over all assessments)
    select
        a.*, case when a.kind = '年度' then prev.grade end as previous_year_grade
    from dated a
    left join annual prev on prev.person_id = a.person_id and prev.year = a.year - 1
),
final as (
    select
        appraisal_id, person_id, unit_id, year, kind, period, period_end_date, topic, grade, score,
        case when kind = '平时' then cast(right(period, 1) as integer) end as quarter,
        kind <> '年度' or grade <> '不定等次' as is_graded,
        grade = '优秀' as is_excellent,
        grade = '好' as is_good,
        grade in ('基本称职', '不称职') as is_unsatisfactory,
        previous_year_grade,
        kind = '年度' and grade in ('基本称职', '不称职')
            and previous_year_grade in ('基本称职', '不称职') as is_repeat_unsatisfactory,
        evaluated_at, evaluator_id
    from with_previous
)
select * from final;
