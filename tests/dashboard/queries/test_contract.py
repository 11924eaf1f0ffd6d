"""contract summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.queries import contract
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

CONTRACTS = "FROM contract c WHERE c.deleted_at IS NULL AND c.unit_id IN (SELECT id FROM subtree)"
# In approval at the end of :end: submitted, not signed, and not sitting on a rejection that no
# later round (a revised resubmission) had followed by then.
PENDING = """c.submitted_at < :cutoff AND (c.signed_at IS NULL OR c.signed_at >= :cutoff)
    AND NOT EXISTS (
        SELECT 1 FROM contract_approval r
        WHERE r.contract_id = c.id AND r.decision = '驳回' AND r.decided_at < :cutoff
          AND NOT EXISTS (SELECT 1 FROM contract_approval n
                          WHERE n.contract_id = c.id AND n.round_no > r.round_no
                            AND n.started_at < :cutoff))"""
# Signed and not terminated at the end of :end, ending in (:end, :until].
EXPIRING = ("c.signed_at < :cutoff AND (c.terminated_date IS NULL OR c.terminated_date > :end) "
            "AND c.end_date > :end AND c.end_date <= :until")


def _source(q, start: dt.date, end: dt.date) -> dict:
    signed_count, signed_amount = q(f"SELECT count(*), coalesce(sum(c.amount), 0) {CONTRACTS} "
                                    f"AND date(c.signed_at) BETWEEN :start AND :end")
    (pending,) = q(f"SELECT count(*) {CONTRACTS} AND {PENDING}")
    expiring = {days: q(f"SELECT count(*) {CONTRACTS} AND {EXPIRING}",
                        until=(end + dt.timedelta(days=days)).isoformat())[0]
                for days in (30, 60, 90)}
    submitted, rejected = q(
        f"SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM contract_approval a WHERE "
        f"a.contract_id = c.id AND a.decision = '驳回')), 0) {CONTRACTS} "
        f"AND date(c.submitted_at) BETWEEN :start AND :end")
    return {"signed_count": signed_count, "signed_amount": float(signed_amount), "pending": pending,
            "expiring_30": expiring[30], "expiring_60": expiring[60], "expiring_90": expiring[90],
            "rejection_rate": rate(rejected, submitted)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Signed count and amount, pending, expiring 30/60/90, rejection rate: 3 scopes x 2 periods."""
    assert_matches_source(contract, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """The as-of metrics at each month end of 2025, where the data move most, for the city."""
    assert_matches_source(contract, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_pending_around_rejections_equals_the_operational_database(warehouse_settings,
                                                                   source_engine):
    """On the days around each rejection and resubmission, a rejected contract leaves pending
    and a resubmitted one comes back (one-day periods, as of their end)."""
    turns = query_rows(source_engine,
                       "SELECT decided_at FROM contract_approval WHERE decision = '驳回' "
                       "UNION SELECT started_at FROM contract_approval "
                       "WHERE round_no > 1 AND step_no = 1")
    days = {dt.datetime.fromisoformat(str(at)).date() + dt.timedelta(days=shift)
            for (at,) in turns for shift in (-1, 0, 1)}
    assert len(days) > 10
    for day in sorted(days):
        assert_matches_source(contract, _source, warehouse_settings, source_engine, "city",
                              day, day)


def test_expiring_at_its_edges_equals_the_operational_database(warehouse_settings, source_engine):
    """On a contract's end date and 30, 60 and 90 days before it, as of the end of that day."""
    ends = query_rows(source_engine,
                      "SELECT DISTINCT end_date FROM contract WHERE deleted_at IS NULL "
                      "AND signed_at IS NOT NULL ORDER BY end_date")
    for (end,) in ends[::max(1, len(ends) // 8)]:
        end = dt.date.fromisoformat(str(end))
        for before in (0, 30, 60, 90):
            day = end - dt.timedelta(days=before)
            assert_matches_source(contract, _source, warehouse_settings, source_engine, "city",
                                   day, day)


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's 2025 contracts signatures, pending ones and rejections."""
    got = summary_of(contract, warehouse_settings, "city", *PERIODS["year"])
    assert got["signed_count"] > 0 and got["signed_amount"] > 0 and got["pending"] > 0
    assert 0 < got["rejection_rate"] < 1 and got["expiring_90"] >= got["expiring_30"]
