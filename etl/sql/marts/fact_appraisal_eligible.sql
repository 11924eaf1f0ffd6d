-- grain: person_id, kind, period
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, person_sk -> dim_person.person_sk, appraisal_id -> fact_appraisal.appraisal_id
-- Who should have been assessed (METRICS.md completion): for every 平时 quarter and 年度 year that
-- was run, the civil servants (公务员, 参照公务员法管理) active on the last day of the period, in
-- their unit of that day, with their assessment if there is one.
create or replace table fact_appraisal_eligible as
with appraisal as (select * from fact_appraisal),
person as (select * from dim_person),
periods as (
    select distinct kind, period, year, period_end_date
    from appraisal
    where kind in ('平时', '年度')
),
eligible as (
    select p.person_id, p.person_sk, p.unit_id, p.category, r.kind, r.period, r.year,
           r.period_end_date
    from periods r
    join person p
        on r.period_end_date >= p.valid_from and r.period_end_date < p.valid_to
        and r.period_end_date >= p.hire_date
        and (p.leave_date is null or r.period_end_date < p.leave_date)
    where p.category in ('公务员', '参照公务员法管理')
),
final as (
    select
        e.person_id, e.kind, e.period, e.year, e.period_end_date, e.unit_id, e.person_sk,
        e.category, a.appraisal_id, a.appraisal_id is not null as is_assessed, a.grade,
        coalesce(a.is_graded, false) as is_graded,
        coalesce(a.is_excellent, false) as is_excellent
    from eligible e
    left join appraisal a
        on a.person_id = e.person_id and a.kind = e.kind and a.period = e.period
)
select * from final;
