"""cabinet summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.queries import cabinet
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES

DEPOSITS = ("FROM cabinet_transaction WHERE deleted_at IS NULL "
            "AND receiving_unit_id IN (SELECT id FROM subtree)")
WAITING = "deposited_at < :cutoff AND (picked_up_at IS NULL OR picked_up_at >= :cutoff)"


def _source(q, start, end) -> dict:
    (deposits,) = q(f"SELECT count(*) {DEPOSITS} AND date(deposited_at) BETWEEN :start AND :end")
    (pickups,) = q(f"SELECT count(*) {DEPOSITS} AND date(picked_up_at) BETWEEN :start AND :end")
    (awaiting,) = q(f"SELECT count(*) {DEPOSITS} AND {WAITING}")
    # Waited more than 24 hours at midnight after end: deposited before midnight starting end.
    (overdue,) = q(f"SELECT count(*) {DEPOSITS} AND {WAITING} AND deposited_at < :day_before",
                   day_before=end.isoformat())
    return {"deposits": deposits, "pickups": pickups, "awaiting_pickup": awaiting,
            "overdue_24h": overdue}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Deposits, pickups, awaiting pickup and overdue beyond 24 h: 3 scopes x 2 periods."""
    assert_matches_source(cabinet, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """What waits in the cabinets at each month end of 2025, for the city."""
    assert_matches_source(cabinet, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


@pytest.mark.parametrize("day", ["2025-03-14", "2025-06-06", "2025-09-19", "2025-12-12"])
def test_city_summary_on_a_friday_equals_the_operational_database(warehouse_settings,
                                                                  source_engine, day):
    """Friday evenings: documents left for the weekend are waiting, some already over 24 h."""
    end = dt.date.fromisoformat(day)
    assert_matches_source(cabinet, _source, warehouse_settings, source_engine, "city", end, end)


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's cabinets deposits, pickups and documents left waiting."""
    got = summary_of(cabinet, warehouse_settings, "city", *PERIODS["year"])
    assert got["deposits"] > 0 and got["pickups"] > 0 and got["awaiting_pickup"] > 0
    assert got["overdue_24h"] > 0
