"""identity summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import identity
from tests.dashboard.queries._people import (
    assert_nothing_quarantined, names_live, unit_on, with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

LIVE_ACCOUNT = f"a.deleted_at IS NULL AND {names_live('a.person_id')}"
# The person's current unit: the last of their history.
CURRENT_UNIT = unit_on("a.person_id", "'9999-12-31'")


def _events(table: str, at: str) -> str:
    """Events of live accounts, each in the unit its person belonged to that day (else the
    account's scope unit), with their date."""
    return (f"SELECT e.*, date(e.{at}) AS day FROM {table} e "
            f"JOIN user_account a ON a.id = e.user_id "
            f"WHERE {LIVE_ACCOUNT} AND coalesce({unit_on('a.person_id', f'date(e.{at})')}, "
            f"a.scope_unit_id) IN (SELECT id FROM subtree)")


def _source(engine, code: str, start, end) -> dict:
    sql = with_subtree(code, login=_events("login_event", "attempted_at"),
                       signature=_events("signature_event", "signed_at"),
                       # accounts count in the person's current unit, else their scope unit
                       account=f"SELECT a.* FROM user_account a WHERE {LIVE_ACCOUNT} AND coalesce("
                               f"{CURRENT_UNIT}, a.scope_unit_id) IN (SELECT id FROM subtree)")
    attempts, successes, users = query_rows(engine, f"""{sql}
        SELECT count(*), coalesce(sum(success), 0),
               count(DISTINCT CASE WHEN success THEN user_id END)
        FROM login WHERE day BETWEEN :start AND :end""", start=start, end=end)[0]
    signatures = query_rows(engine, f"""{sql}
        SELECT success, latency_ms FROM signature WHERE day BETWEEN :start AND :end""",
                            start=start, end=end)
    active, locked, dormant = query_rows(engine, f"""{sql}
        SELECT coalesce(sum(a.state = '正常'), 0), coalesce(sum(a.state = '锁定'), 0),
               coalesce(sum((SELECT max(date(l.attempted_at)) FROM login_event l
                             WHERE l.user_id = a.id AND l.success AND date(l.attempted_at) <= :end)
                            < date(:end, '-90 days')), 0)
        FROM account a""", end=end)[0]
    latencies = [latency for _, latency in signatures]
    return {"login_attempts": attempts, "login_success_rate": rate(successes, attempts),
            "active_users": users, "signature_attempts": len(signatures),
            "signature_success_rate": rate(sum(bool(ok) for ok, _ in signatures), len(signatures)),
            # P95 interpolated between the two nearest attempts (numpy's linear method)
            "signature_latency_p95": float(np.percentile(latencies, 95)) if latencies else None,
            "accounts_active": active, "accounts_locked": locked, "accounts_dormant": dormant}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Logins, active users, e-signatures, P95 latency, account states: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = identity.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city's year has failed logins and signatures, users, and accounts in every state."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = identity.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("login_attempts", "active_users", "signature_attempts", "signature_latency_p95",
                 "accounts_active", "accounts_locked", "accounts_dormant"):
        assert got[name] > 0, name
    assert 0 < got["login_success_rate"] < 1 and 0 < got["signature_success_rate"] < 1


# --- the questions of the identity page, each against the operational database --------------------

def _scoped_logins(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Login attempts of live accounts dated start..end, in the scope by the person's unit that day
    (else the account's scope unit): day (date), user_id, success, failure_reason, channel."""
    rows = query_rows(engine, f"""{with_subtree(code, login=_events("login_event", "attempted_at"))}
        SELECT day, user_id, success, failure_reason, channel FROM login
        WHERE day BETWEEN :start AND :end""", start=start, end=end)
    df = pd.DataFrame(rows, columns=["day", "user_id", "success", "failure_reason", "channel"])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    df["success"] = df["success"].astype(bool)
    return df


def expected_logins_by_day(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per day of the period: attempts, successes, failures, success rate, failures per reason,
    DAU and MAU (distinct successful users in the 30 days ending that day)."""
    logins = _scoped_logins(engine, code, start - dt.timedelta(days=29), end)
    rows, day = [], start
    while day <= end:
        today = logins[logins.day == day]
        ok = logins[logins.success & (logins.day <= day) & (logins.day > day - dt.timedelta(days=30))]
        rows.append({
            "attempt_date": day, "attempts": len(today), "successes": int(today.success.sum()),
            "failures": int((~today.success).sum()),
            "success_rate": rate(int(today.success.sum()), len(today)),
            **{field: int((today.failure_reason == reason).sum())
               for field, reason in identity.LOGIN_FAILURES},
            "dau": today[today.success].user_id.nunique(), "mau": ok.user_id.nunique()})
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows)


def expected_logins_by_channel(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per channel (PC, 执法城管通, 京办): attempts, successes, success rate, successful users."""
    logins = _scoped_logins(engine, code, start, end)
    rows = []
    for channel in ("PC", "执法城管通", "京办"):
        part = logins[logins.channel == channel]
        successes = int(part.success.sum())
        rows.append({"channel": channel, "attempts": len(part), "successes": successes,
                     "success_rate": rate(successes, len(part)),
                     "users": part[part.success].user_id.nunique()})
    return pd.DataFrame(rows)


def expected_signatures_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per month with attempts: attempts, successes, success rate, latency median and P95."""
    rows = query_rows(engine, f"""{with_subtree(code, signature=_events("signature_event", "signed_at"))}
        SELECT substr(day, 1, 7), success, latency_ms FROM signature
        WHERE day BETWEEN :start AND :end""", start=start, end=end)
    df = pd.DataFrame(rows, columns=["month", "success", "latency_ms"])
    out = []
    for month, part in sorted(df.groupby("month"), key=lambda g: g[0]):
        successes = int(part.success.astype(bool).sum())
        out.append({"month": month, "attempts": len(part), "successes": successes,
                    "success_rate": rate(successes, len(part)),
                    "latency_median": float(np.percentile(part.latency_ms, 50)),
                    "latency_p95": float(np.percentile(part.latency_ms, 95))})
    return pd.DataFrame(out, columns=["month", "attempts", "successes", "success_rate",
                                      "latency_median", "latency_p95"])


def expected_accounts_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit directly below the scope unit (or itself) with live accounts in its subtree, each
    account in its person's current unit: accounts, 正常, 锁定, never used and dormant as of end."""
    units = pd.DataFrame(query_rows(engine, "SELECT id, parent_id, code, name, sort_order FROM org_unit"),
                         columns=["id", "parent_id", "code", "name", "sort_order"]).set_index("id")
    top = int(units.index[units.code == code][0])

    def child(uid: int):
        """The unit below top that uid lies under (top for top), None outside the scope."""
        chain = [uid]
        while chain[-1] != top and not pd.isna(units.at[chain[-1], "parent_id"]):
            chain.append(int(units.at[chain[-1], "parent_id"]))
        return None if chain[-1] != top else (chain[-2] if len(chain) > 1 else top)

    accounts = query_rows(engine, f"""
        SELECT coalesce({CURRENT_UNIT}, a.scope_unit_id), a.state,
               (SELECT max(date(l.attempted_at)) FROM login_event l
                WHERE l.user_id = a.id AND l.success AND date(l.attempted_at) <= :end)
        FROM user_account a WHERE {LIVE_ACCOUNT}""", end=end)
    dormant_before = str(end - dt.timedelta(days=identity.DORMANT_DAYS))
    counts: dict[int, dict] = {}
    for unit_id, state, last in accounts:
        cid = child(int(unit_id))
        if cid is None:
            continue
        c = counts.setdefault(cid, {"accounts": 0, "active": 0, "locked": 0, "never_used": 0, "dormant": 0})
        c["accounts"] += 1
        c["active"] += state == "正常"
        c["locked"] += state == "锁定"
        c["never_used"] += last is None
        c["dormant"] += last is not None and last < dormant_before
    order = sorted(counts, key=lambda c: (units.at[c, "sort_order"], units.at[c, "code"]))
    return pd.DataFrame([{"unit_code": units.at[c, "code"], "unit_name": units.at[c, "name"], **counts[c]}
                         for c in order])


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain values (dates as date, NaN as None) for comparing a query with its expectation."""
    out = []
    for record in frame.to_dict("records"):
        row = {}
        for key, value in record.items():
            if isinstance(value, pd.Timestamp):
                value = value.date()
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            row[key] = value
        out.append(row)
    return out


PAGE_QUESTIONS = ("logins_by_day", "logins_by_channel", "signatures_by_month", "accounts_by_unit")


@pytest.mark.parametrize("question", PAGE_QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_page_questions_equal_the_operational_database(source, scope_name, period_name, question):
    """Each page query, as rows, equals its plain-SQL recomputation: city, district, street."""
    settings, engine = source
    start, end = PERIODS[period_name]
    code = SCOPE_CODES[scope_name]
    got = getattr(identity, question)(settings, scope=scopes.of_code(settings, code),
                                      period=custom(start, end))
    want = globals()[f"expected_{question}"](engine, code, start, end)
    assert list(got.columns) == list(want.columns)
    got_rows, want_rows = _records(got), _records(want)
    assert len(got_rows) == len(want_rows)
    for g, w in zip(got_rows, want_rows):
        assert g == pytest.approx(w), (question, w)


@pytest.mark.parametrize("period_name", PERIODS)
def test_page_questions_are_not_trivial_and_agree_with_the_summary(warehouse_settings, period_name):
    """For the district: a row per day, failures of several reasons in the year, MAU above DAU, three
    channels used, signatures with latency, and the unit rows adding up to the summary."""
    start, end = PERIODS[period_name]
    scope, period = scopes.of_code(warehouse_settings, SCOPE_CODES["district"]), custom(start, end)
    days = identity.logins_by_day(warehouse_settings, scope=scope, period=period)
    summary = identity.summary(warehouse_settings, scope=scope, period=period).iloc[0]
    assert len(days) == (end - start).days + 1 and days.attempts.sum() == summary.login_attempts
    assert days.mau.max() > days.dau.max() > 0
    if period_name == "year":  # the district's October has no failed login in the seed
        assert (days[[f for f, _r in identity.LOGIN_FAILURES]].sum() > 0).sum() >= 2
    channels = identity.logins_by_channel(warehouse_settings, scope=scope, period=period)
    assert (channels.attempts > 0).all() and channels.attempts.sum() == summary.login_attempts
    signatures = identity.signatures_by_month(warehouse_settings, scope=scope, period=period)
    assert signatures.attempts.sum() == summary.signature_attempts
    assert (signatures.latency_p95 >= signatures.latency_median).all()
    units = identity.accounts_by_unit(warehouse_settings, scope=scope, period=period)
    assert len(units) > 1
    for field, metric in (("active", "accounts_active"), ("locked", "accounts_locked"),
                          ("dormant", "accounts_dormant")):
        assert units[field].sum() == summary[metric], field
