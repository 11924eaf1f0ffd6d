-- grain: user_id
-- references: person_id -> stg_hr__person.person_id, scope_unit_id -> dim_org.org_id, unit_id -> dim_org.org_id
-- incremental: user_id <- login_event.user_id, user_account.id, user_role.user_id
-- One row per live account: state, roles, first and last successful login.
-- accounts metric: active = state 正常; locked = 锁定; never logged in = first_success_at is null;
-- dormant (as of d) = not never logged in and last_success_date < d - 90 days.
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_identity_account as
with accounts as (select * from stg_identity__user_account),
roles as (select * from stg_identity__user_role),
logins as (select * from stg_identity__login_event),
persons as (select * from dim_person where is_current),
role_list as (
    select
        user_id,
        string_agg(role, ',' order by role) as roles,
        bool_or(role in ('sysadmin', 'secadmin', 'auditor')) as has_admin_role,
        count(*) as role_count
    from roles
    group by user_id
),
login_summary as (
    select
        user_id,
        min(attempted_at) filter (where success) as first_success_at,
        max(attempted_at) filter (where success) as last_success_at,
        count(*) filter (where success) as success_count,
        count(*) filter (where not success) as failure_count
    from logins
    group by user_id
),
final as (
    select
        a.user_id,
        a.username,
        p.person_id,
        a.scope_unit_id,
        coalesce(p.unit_id, a.scope_unit_id) as unit_id,
        a.state,
        a.state = '正常' as is_active,
        a.state = '锁定' as is_locked,
        a.failed_attempts,
        a.locked_at,
        a.last_login_at,
        coalesce(r.roles, '') as roles,
        coalesce(r.role_count, 0) as role_count,
        coalesce(r.has_admin_role, false) as has_admin_role,
        s.first_success_at,
        s.last_success_at,
        cast(s.last_success_at as date) as last_success_date,
        coalesce(s.success_count, 0) as login_success_count,
        coalesce(s.failure_count, 0) as login_failure_count,
        s.first_success_at is null as never_logged_in,
        p.hire_date,
        p.leave_date,
        cast(a.created_at as date) as created_date
    from accounts a
    left join role_list r on r.user_id = a.user_id
    left join login_summary s on s.user_id = a.user_id
    left join persons p on p.person_id = a.person_id
)
select * from final;
