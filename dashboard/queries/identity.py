"""identity (统一认证、电子签章、用户) questions over the fact_identity_* marts, per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import IN_SCOPE, Scope

# An account that once signed in is dormant after this many days without a successful login.
DORMANT_DAYS = 90


def summary(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row for scope and period. Logins and e-signatures count in the unit the person belonged
    to that day (the account's scope unit when it has no person): login_attempts,
    login_success_rate, active_users (distinct accounts with a successful login),
    signature_attempts, signature_success_rate, signature_latency_p95 (ms, over every attempt,
    interpolated). Accounts count in the person's current unit (else the scope unit), state as
    of now: accounts_active (正常), accounts_locked (锁定), and accounts_dormant as of period.end
    (signed in successfully on or before it, but not on it or in the 90 days before it). Rates
    are fractions; None when the base is 0."""
    df = warehouse.query(settings, f"""
        with units as ({IN_SCOPE}),
        logins as (
            select
                count(*) as login_attempts,
                count(*) filter (where success) as login_successes,
                count(distinct user_id) filter (where success) as active_users
            from fact_identity_login
            where attempt_date between $start and $end and unit_id in (select org_id from units)
        ),
        signatures as (
            select
                count(*) as signature_attempts,
                count(*) filter (where success) as signature_successes,
                quantile_cont(latency_ms, 0.95) as signature_latency_p95
            from fact_identity_signature
            where sign_date between $start and $end and unit_id in (select org_id from units)
        ),
        accounts as (
            select user_id, is_active, is_locked
            from fact_identity_account
            where unit_id in (select org_id from units)
        ),
        last_success as (
            select user_id, max(attempt_date) as last_success_date
            from fact_identity_login
            where success and attempt_date <= $end and user_id in (select user_id from accounts)
            group by user_id
        ),
        account_counts as (
            select
                count(*) filter (where a.is_active) as accounts_active,
                count(*) filter (where a.is_locked) as accounts_locked,
                count(*) filter (where s.last_success_date < cast($end as date) - {DORMANT_DAYS})
                    as accounts_dormant
            from accounts a
            left join last_success s using (user_id)
        )
        select * from logins, signatures, account_counts
    """, {"scope_path": scope.path, "start": period.start, "end": period.end})
    row = df.iloc[0]
    logins, signatures = int(row.login_attempts), int(row.signature_attempts)
    return pd.DataFrame([{
        "login_attempts": logins,
        "login_success_rate": int(row.login_successes) / logins if logins else None,
        "active_users": int(row.active_users),
        "signature_attempts": signatures,
        "signature_success_rate": int(row.signature_successes) / signatures if signatures else None,
        "signature_latency_p95": None if pd.isna(row.signature_latency_p95)
        else float(row.signature_latency_p95),
        "accounts_active": int(row.accounts_active),
        "accounts_locked": int(row.accounts_locked),
        "accounts_dormant": int(row.accounts_dormant),
    }])
