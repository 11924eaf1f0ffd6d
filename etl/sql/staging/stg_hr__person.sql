create or replace view stg_hr__person as
with source as (select * from src.person),
final as (
    select
        id as person_id, employee_no, name, gender, birth_date, ethnicity, political_status,
        education, category, rank_series, rank, position, has_enforcement_cert, hire_date,
        leave_date, leave_reason, unit_id, updated_at
    from source
)
select * from final;
