"""identity summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import numpy as np
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
