"""portal summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard.queries import portal
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, rate

# Openings of live articles in the period, in the reader's unit on the day of the view.
VIEWS = ("FROM portal_article_view v JOIN portal_article a ON a.id = v.article_id "
         "JOIN person p ON p.id = v.reader_id "
         "WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL "
         "AND date(v.viewed_at) BETWEEN :start AND :end AND "
         + SOURCE_UNIT_ON.format(d="date(v.viewed_at)") + " IN (SELECT id FROM subtree)")
ACTIVE_AT_END = ("FROM person p WHERE p.deleted_at IS NULL AND p.hire_date <= :end "
                 "AND (p.leave_date IS NULL OR p.leave_date > :end) AND "
                 + SOURCE_UNIT_ON.format(d=":end") + " IN (SELECT id FROM subtree)")


def _source(q, start, end) -> dict:
    (articles,) = q("SELECT count(*) FROM portal_article WHERE deleted_at IS NULL "
                    "AND status = '已发布' AND date(published_at) BETWEEN :start AND :end "
                    "AND unit_id IN (SELECT id FROM subtree)")
    views, readers, mobile = q(f"SELECT count(*), count(DISTINCT v.reader_id), "
                               f"coalesce(sum(v.channel IN ('执法城管通', '京办')), 0) {VIEWS}")
    # The rate's readers are the staff it divides by who opened a live article in the period.
    staff, reached = q(f"SELECT count(*), coalesce(sum(EXISTS ("
                       f"SELECT 1 FROM portal_article_view v "
                       f"JOIN portal_article a ON a.id = v.article_id "
                       f"WHERE a.deleted_at IS NULL AND v.reader_id = p.id "
                       f"AND date(v.viewed_at) BETWEEN :start AND :end)), 0) {ACTIVE_AT_END}")
    return {"articles": articles, "views": views, "readers": readers,
            "read_rate": rate(reached, staff), "mobile_share": rate(mobile, views)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Articles, views, readers, read rate against staff, mobile share: 3 scopes x 2 periods."""
    assert_matches_source(portal, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """Each month of 2025 for the city: readers among the staff of that month's end."""
    assert_matches_source(portal, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's portal articles, readers and mobile views in 2025."""
    got = summary_of(portal, warehouse_settings, "city", *PERIODS["year"])
    assert got["articles"] > 0 and got["views"] > got["readers"] > 0
    assert 0 < got["read_rate"] <= 1 and 0 < got["mobile_share"] < 1
