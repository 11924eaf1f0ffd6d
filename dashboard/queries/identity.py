"""identity (统一认证、电子签章、用户) questions over the fact_identity_* marts, per METRICS.md."""
from __future__ import annotations

import pandas as pd

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.queries import ask
from dashboard.scope import CHILD_UNITS, IN_SCOPE, Scope

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


# Failure reasons of a login (models.identity.LOGIN_FAILURES), each a column of logins_by_day.
LOGIN_FAILURES = (("failed_password", "密码错误"), ("failed_locked", "账号锁定"),
                  ("failed_captcha", "验证码错误"), ("failed_certificate", "证书无效"))
# The login channels (models.identity.LOGIN_CHANNELS), in the order the chart shows them.
LOGIN_CHANNELS = ("PC", "执法城管通", "京办")
# MAU: distinct users with a successful login in this many days ending on the day.
MAU_DAYS = 30


def logins_by_day(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per day of the period (days without attempts too), logins counted in the unit the
    person belonged to that day: attempt_date, attempts, successes, failures, success_rate
    (None without attempts), one failure count per reason (LOGIN_FAILURES), dau (distinct users
    with a successful login that day) and mau (distinct users with a successful login in the 30
    days ending that day, which may begin before the period)."""
    # one count per reason; the reasons are bound as $reason_0.. (never written into the SQL)
    reasons = ",\n".join(f"count(*) filter (where not l.success and l.failure_reason = $reason_{i}) "
                         f"as {field}" for i, (field, _reason) in enumerate(LOGIN_FAILURES))
    df = ask(settings, f"""
        with days as (
            select cast(d as date) as attempt_date
            from generate_series(cast($start as timestamp), cast($end as timestamp), interval 1 day) t(d)
        ),
        logins as (
            select * from fact_identity_login
            where attempt_date between cast($start as date) - {MAU_DAYS - 1} and $end
              and unit_id in ({IN_SCOPE})
        ),
        daily as (
            select d.attempt_date,
                   count(l.login_event_id) as attempts,
                   count(*) filter (where l.success) as successes,
                   count(*) filter (where not l.success) as failures,
                   {reasons},
                   count(distinct l.user_id) filter (where l.success) as dau
            from days d left join logins l using (attempt_date)
            group by d.attempt_date
        ),
        -- MAU without a 30-day range join (a year of it cost half a second at city scale): a
        -- user counts on the days of [login, login + 29] for each day with a login; cut at the
        -- user's next login day these spans do not overlap, so MAU is a running sum of +1 at a
        -- span's first day and -1 after its last.
        active as (
            select distinct user_id, attempt_date from logins where success
        ),
        spans as (
            select attempt_date as first_day,
                   least(attempt_date + {MAU_DAYS - 1},
                         coalesce(lead(attempt_date) over (partition by user_id order by attempt_date) - 1,
                                  attempt_date + {MAU_DAYS - 1})) as last_day
            from active
        ),
        steps as (
            select day, sum(delta) as delta
            from (select first_day as day, 1 as delta from spans
                  union all select last_day + 1, -1 from spans)
            group by day
        ),
        monthly as (
            select attempt_date, mau from (
                select d.attempt_date,
                       cast(sum(coalesce(s.delta, 0)) over (order by d.attempt_date) as bigint) as mau
                from (select cast(d as date) as attempt_date
                      from generate_series(cast(cast($start as date) - {MAU_DAYS - 1} as timestamp),
                                           cast($end as timestamp), interval 1 day) t(d)) d
                left join steps s on s.day = d.attempt_date
            ) where attempt_date >= $start
        )
        select * from daily join monthly using (attempt_date) order by attempt_date
    """, scope=scope, period=period,
        **{f"reason_{i}": reason for i, (_field, reason) in enumerate(LOGIN_FAILURES)})
    df.insert(4, "success_rate", _rate(df.successes, df.attempts))
    return df


def logins_by_channel(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per channel (PC, 执法城管通, 京办, each listed), logins in the period counted in the
    unit the person belonged to that day: channel, attempts, successes, success_rate (None without
    attempts), users (distinct users with a successful login on that channel)."""
    df = ask(settings, f"""
        with channels as (
            select channel, list_position($channels, channel) as channel_order
            from (select unnest($channels) as channel)
        )
        select c.channel,
               count(l.login_event_id) as attempts,
               count(*) filter (where l.success) as successes,
               count(distinct l.user_id) filter (where l.success) as users
        from channels c
        left join fact_identity_login l
          on l.channel = c.channel and l.attempt_date between $start and $end
         and l.unit_id in ({IN_SCOPE})
        group by c.channel, c.channel_order
        order by c.channel_order
    """, scope=scope, period=period, channels=list(LOGIN_CHANNELS))
    df.insert(3, "success_rate", _rate(df.successes, df.attempts))
    return df


def signatures_by_month(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per month of the period with e-signature attempts, counted in the unit the person
    belonged to that day: month (YYYY-MM), attempts, successes, success_rate, latency_median and
    latency_p95 (ms, over every attempt, interpolated)."""
    df = ask(settings, f"""
        select strftime(sign_date, '%Y-%m') as month,
               count(*) as attempts,
               count(*) filter (where success) as successes,
               quantile_cont(latency_ms, 0.5) as latency_median,
               quantile_cont(latency_ms, 0.95) as latency_p95
        from fact_identity_signature
        where sign_date between $start and $end and unit_id in ({IN_SCOPE})
        group by month
        order by month
    """, scope=scope, period=period)
    df.insert(3, "success_rate", _rate(df.successes, df.attempts))
    return df


def accounts_by_unit(settings: Settings, *, scope: Scope, period: Period) -> pd.DataFrame:
    """One row per unit directly below the scope unit (or the scope unit itself) holding live
    accounts, each account in its person's current unit (else its scope unit): unit_code,
    unit_name, accounts, active (正常) and locked (锁定) as of now, never_used (no successful
    login on or before period.end) and dormant (a successful login on or before period.end, but
    none in the 90 days before it); sums equal summary()'s."""
    return ask(settings, f"""
        with units as ({CHILD_UNITS}),
        last_success as (
            select user_id, max(attempt_date) as last_success_date
            from fact_identity_login
            where success and attempt_date <= $end
            group by user_id
        )
        select u.unit_code, u.unit_name,
               count(*) as accounts,
               count(*) filter (where a.is_active) as active,
               count(*) filter (where a.is_locked) as locked,
               count(*) filter (where s.last_success_date is null) as never_used,
               count(*) filter (where s.last_success_date < cast($end as date) - {DORMANT_DAYS})
                   as dormant
        from fact_identity_account a
        join units u on u.org_id = a.unit_id
        left join last_success s using (user_id)
        group by u.unit_code, u.unit_name, u.unit_order
        order by u.unit_order, u.unit_code
    """, scope=scope, period=period)


def _rate(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole as fractions, None where whole is 0."""
    return pd.Series([int(p) / int(w) if w else None for p, w in zip(part, whole)],
                     index=part.index, dtype=object)
