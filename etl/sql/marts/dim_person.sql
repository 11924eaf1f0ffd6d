-- grain: person_sk
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id
-- SCD type 2: one version per change of unit, rank, position or category, valid on
-- [valid_from, valid_to). Active on d: a version covers d, hire_date <= d < leave_date.
create or replace table dim_person as
with person as (select * from stg_hr__person),
history as (select * from stg_hr__person_history),
last_of_day as (
    -- several changes on one day: the last one written is the state of that day
    select * from history
    qualify row_number() over (partition by person_id, effective_date order by person_history_id desc) = 1
),
without_history as (
    select person_id, hire_date as effective_date, unit_id, category, rank, position
    from person p
    where not exists (select 1 from history h where h.person_id = p.person_id)
),
versions as (
    select person_id, effective_date, unit_id, category, rank, position from last_of_day
    union all
    select * from without_history
),
dated as (
    select
        *,
        coalesce(lead(effective_date) over (partition by person_id order by effective_date),
                 date '9999-12-31') as valid_to
    from versions
),
final as (
    select
        row_number() over (order by d.person_id, d.effective_date) as person_sk,
        d.person_id, d.effective_date as valid_from, d.valid_to, d.unit_id, d.category, d.rank,
        d.position, p.employee_no, p.name, p.gender, p.birth_date, p.ethnicity, p.political_status,
        p.education, p.rank_series, p.has_enforcement_cert, p.hire_date, p.leave_date,
        p.leave_reason, d.valid_to = date '9999-12-31' as is_current
    from dated d
    join person p using (person_id)
)
select * from final;
