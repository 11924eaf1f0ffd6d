"""hr summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import hr
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, query_rows, source_subtree

ACTIVE = "p.deleted_at IS NULL AND p.hire_date <= {d} AND (p.leave_date IS NULL OR p.leave_date > {d})"


def _source(engine, code: str, start, end) -> dict:
    sub = source_subtree(code)
    one = lambda sql, **kw: query_rows(engine, f"{sub} {sql}", **kw)[0][0]  # noqa: E731
    on = lambda d: SOURCE_UNIT_ON.format(d=d)  # noqa: E731
    headcount = one(f"SELECT count(*) FROM person p WHERE {ACTIVE.format(d=':end')} "
                    f"AND {on(':end')} IN (SELECT id FROM subtree)", end=end)
    at_start = one(f"SELECT count(*) FROM person p WHERE {ACTIVE.format(d=':start')} "
                   f"AND {on(':start')} IN (SELECT id FROM subtree)", start=start)
    authorized = one("SELECT coalesce(sum(authorized_headcount), 0) FROM org_unit "
                     "WHERE id IN (SELECT id FROM subtree)")
    joiners = one(f"SELECT count(*) FROM person p WHERE p.deleted_at IS NULL AND p.hire_date "
                  f"BETWEEN :start AND :end AND {on('p.hire_date')} IN (SELECT id FROM subtree)",
                  start=start, end=end)
    last_day = on("date(p.leave_date, '-1 day')")
    leavers = one(f"SELECT count(*) FROM person p WHERE p.deleted_at IS NULL AND p.leave_date "
                  f"BETWEEN :start AND :end AND {last_day} IN (SELECT id FROM subtree)",
                  start=start, end=end)
    mean = (headcount + at_start) / 2
    return {"headcount": headcount, "authorized_headcount": authorized,
            "fill_rate": headcount / authorized if authorized else None,
            "vacancy": authorized - headcount, "joiners": joiners, "leavers": leavers,
            "turnover_rate": leavers / mean if mean else None}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Headcount, 编制, fill rate, joiners, leavers, turnover: city, district, street; year, month."""
    start, end = PERIODS[period_name]
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES[scope_name])
    got = hr.summary(warehouse_settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    want = _source(source_engine, SCOPE_CODES[scope_name], start, end)
    assert got == pytest.approx(want)
    assert got["headcount"] > 0


def test_headcount_as_of_a_date_follows_moves(warehouse_settings, source_engine):
    """headcount(as_of) per district equals the history replayed on that date."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    for day in ("2025-03-31", "2025-09-30"):
        got = hr.headcount(warehouse_settings, scope=city, as_of=dt.date.fromisoformat(day))
        assert got == _source(source_engine, SCOPE_CODES["city"], day, day)["headcount"]
