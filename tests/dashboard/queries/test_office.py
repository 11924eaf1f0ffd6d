"""office summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard.queries import office
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, rate

DOCUMENTS = ("FROM office_document WHERE deleted_at IS NULL "
             "AND unit_id IN (SELECT id FROM subtree)")
TASKS = ("FROM office_supervision_task WHERE deleted_at IS NULL "
         "AND lead_unit_id IN (SELECT id FROM subtree)")
# The deadline in force: a granted extension replaces the original one.
DUE = "coalesce(extended_deadline_date, deadline_date)"


def _source(q, start, end) -> dict:
    (documents,) = q(f"SELECT count(*) {DOCUMENTS} AND date(registered_at) BETWEEN :start AND :end")
    (documents_overdue,) = q(f"SELECT count(*) {DOCUMENTS} AND registered_at < :cutoff "
                             f"AND deadline_date < :end "
                             f"AND (finished_at IS NULL OR finished_at >= :cutoff)")
    # On time: closed, and the last feedback came by the deadline in force.
    due, on_time = q(f"SELECT count(*), "
                     f"coalesce(sum(closed_at IS NOT NULL AND date(feedback_at) <= {DUE}), 0) "
                     f"{TASKS} AND {DUE} BETWEEN :start AND :end")
    (supervision_overdue,) = q(f"SELECT count(*) {TASKS} AND assigned_at < :cutoff "
                               f"AND {DUE} < :end AND (closed_at IS NULL OR closed_at >= :cutoff)")
    # Recipients of a withdrawn (soft-deleted) notice are no one's recipients any more.
    recipients, reads = q("SELECT count(*), count(r.read_at) FROM office_notice_read r "
                          "JOIN office_notice n ON n.id = r.notice_id WHERE n.deleted_at IS NULL "
                          "AND date(n.published_at) BETWEEN :start AND :end "
                          "AND r.unit_id IN (SELECT id FROM subtree)")
    return {"documents": documents, "documents_overdue": documents_overdue,
            "supervision_due": due, "supervision_on_time": rate(on_time, due),
            "supervision_overdue": supervision_overdue, "notice_read_rate": rate(reads, recipients)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """公文, overdue, 督办 due / on time / overdue, notice reads: 3 scopes x 2 periods."""
    assert_matches_source(office, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """The as-of metrics at each month end of 2025, where the data move most, for the city."""
    assert_matches_source(office, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives every office metric a non-zero value for the city and 2025."""
    got = summary_of(office, warehouse_settings, "city", *PERIODS["year"])
    assert got["documents"] > 0 and got["supervision_due"] > 0
    assert 0 < got["supervision_on_time"] < 1 and 0 < got["notice_read_rate"] < 1
    assert got["documents_overdue"] + got["supervision_overdue"] > 0
