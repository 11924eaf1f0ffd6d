-- grain: cabinet_card_id
-- references: person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, issue_date -> dim_date.date_day
-- One row per access card. cards metric: issued by issue_date; active = status 有效; reported
-- lost = status 挂失 (lost_date); by unit_id (the card's unit).
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_cabinet_card as
with cards as (select * from stg_cabinet__cabinet_card),
staff as (select person_id from stg_hr__person),
final as (
    select
        c.cabinet_card_id,
        c.card_no,
        s.person_id,
        c.person_id is null as is_unit_card,
        unit_id,
        issued_at,
        cast(issued_at as date) as issue_date,
        status,
        status = '有效' as is_active,
        status_changed_at,
        case when status = '挂失' then cast(status_changed_at as date) end as lost_date,
        case when status = '注销' then cast(status_changed_at as date) end as cancelled_date
    from cards c
    left join staff s on s.person_id = c.person_id
)
select * from final;
