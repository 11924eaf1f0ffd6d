"""uniform summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard.queries import uniform
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, rate

# Requests of live staff, in the requester's unit on the day of the request.
REQUESTS = ("FROM uniform_request r JOIN person p ON p.id = r.person_id "
            "WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL AND "
            + SOURCE_UNIT_ON.format(d="date(r.requested_at)") + " IN (SELECT id FROM subtree)")


def _source(q, start, end) -> dict:
    # A movement against a withdrawn request or a cancelled delivery line is withdrawn with it.
    moved = dict(((item, size), qty) for item, size, qty in q.all(
        "SELECT m.item_id, m.size, sum(m.quantity) FROM uniform_stock_movement m "
        "LEFT JOIN uniform_request r ON r.id = m.request_id "
        "LEFT JOIN uniform_delivery d ON d.id = m.delivery_id "
        "WHERE m.moved_at < :cutoff AND (m.request_id IS NULL OR r.deleted_at IS NULL) "
        "AND (m.delivery_id IS NULL OR d.deleted_at IS NULL) GROUP BY m.item_id, m.size"))
    items = q.all("SELECT id, sizes, safety_stock FROM uniform_item")
    stock_alerts = sum(moved.get((item, size.strip()), 0) < safety
                       for item, sizes, safety in items for size in sizes.split(","))
    (requests,) = q(f"SELECT count(*) {REQUESTS} AND date(r.requested_at) BETWEEN :start AND :end")
    issued, signed = q(f"SELECT count(*), count(r.signed_at) {REQUESTS} "
                       f"AND date(r.issued_at) BETWEEN :start AND :end")
    return {"stock_alerts": stock_alerts, "requests": requests,
            "signoff_rate": rate(signed, issued)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Stock alerts of the central store, requests, sign-off rate: 3 scopes x 2 periods."""
    assert_matches_source(uniform, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """Stock alerts at each month end of 2025 (the stock moves every day), for the city."""
    assert_matches_source(uniform, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's 2025 requests and sign-offs, and the store some alerts."""
    got = summary_of(uniform, warehouse_settings, "city", *PERIODS["year"])
    assert got["requests"] > 0 and 0 < got["signoff_rate"] < 1
    assert any(summary_of(uniform, warehouse_settings, "city", *MONTHS[m])["stock_alerts"] > 0
               for m in MONTHS)
