-- grain: login_event_id
-- references: user_id -> stg_identity__user_account.user_id, person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, attempt_date -> dim_date.date_day
-- incremental: login_event_id <- login_event.id
-- One row per login attempt of a live account. unit_id is the unit the person belonged to on
-- the day of the attempt (dim_person), or the account's scope unit for accounts without a person.
-- login_success_rate = success / rows; DAU/MAU = distinct user_id with success per day / 30 days.
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_identity_login as
with logins as (select * from stg_identity__login_event),
accounts as (select * from stg_identity__user_account),
persons as (select * from dim_person),
staff as (select person_id from stg_hr__person),
dated as (
    select l.*, a.person_id, a.scope_unit_id, cast(l.attempted_at as date) as attempt_date
    from logins l
    join accounts a on a.user_id = l.user_id
),
final as (
    select
        d.login_event_id,
        d.user_id,
        s.person_id,
        coalesce(p.unit_id, d.scope_unit_id) as unit_id,
        d.attempted_at,
        d.attempt_date,
        d.success,
        d.failure_reason,
        d.channel,
        d.channel <> 'PC' as is_mobile,
        d.ip
    from dated d
    left join persons p
        on p.person_id = d.person_id and d.attempt_date >= p.valid_from and d.attempt_date < p.valid_to
    left join staff s on s.person_id = d.person_id
)
select * from final;
