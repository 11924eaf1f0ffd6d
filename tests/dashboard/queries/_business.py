"""Helpers of the business-module summary tests: one summary row, and plain SQL on the source."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from tests.support import SCOPE_CODES, query_rows, source_subtree

# Every month of 2025 (the small seed's year): the "as of period end" metrics checked at twelve
# month ends, where the two PERIODS see only two.
MONTHS = {f"2025-{m:02d}": (dt.date(2025, m, 1),
                            dt.date(2025 + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))
          for m in range(1, 13)}


def summary_of(module, settings, scope_name: str, start: dt.date, end: dt.date) -> dict:
    """module.summary for one of the test scopes and [start, end], as a dict of its single row."""
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    df = module.summary(settings, scope=scope, period=custom(start, end))
    assert len(df) == 1
    return df.iloc[0].to_dict()


class SourceQuery:
    """Plain SQL on the operational database for one scope and period: every statement gets the
    CTE subtree(id) of the scope and :start, :end (dates) and :cutoff (the first instant after
    end) bound, as the ISO text SQLite compares dates and timestamps with."""

    def __init__(self, engine, scope_name: str, start: dt.date, end: dt.date):
        self.engine = engine
        self.subtree = source_subtree(SCOPE_CODES[scope_name])
        self.bound = {"start": start.isoformat(), "end": end.isoformat(),
                      "cutoff": (end + dt.timedelta(days=1)).isoformat()}

    def all(self, sql: str, **params) -> list:
        """Every row of sql."""
        return query_rows(self.engine, f"{self.subtree} {sql}", **{**self.bound, **params})

    def __call__(self, sql: str, **params) -> tuple:
        """The first row of sql."""
        return tuple(self.all(sql, **params)[0])


def same(want: dict):
    """pytest.approx of want, tight enough that a cent or one row of difference fails."""
    return pytest.approx(want, rel=1e-9, abs=1e-6)


def assert_matches_source(module, source: Callable[..., dict], settings, engine, scope_name: str,
                           start: dt.date, end: dt.date) -> None:
    """module.summary equals source(q, start, end), the same metrics recomputed on the source,
    column for column and in the same order."""
    got = summary_of(module, settings, scope_name, start, end)
    want = source(SourceQuery(engine, scope_name, start, end), start, end)
    assert list(got) == list(want)
    assert got == same(want)
