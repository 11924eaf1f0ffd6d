"""appraisal summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import appraisal
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, category_on, names_live, source_for, unit_on,
    with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

ANNUAL = (f"a.kind = '年度' AND a.year = :year AND a.deleted_at IS NULL "
          f"AND a.person_id IN ({LIVE_PERSON}) AND {names_live('a.evaluator_id')}")


def _source(engine, code: str, year: int, excellent_cap: float) -> dict:
    graded, excellent = query_rows(engine, f"""{with_subtree(code)}
        SELECT count(*), coalesce(sum(a.grade = '优秀'), 0) FROM appraisal a
        WHERE {ANNUAL} AND a.grade <> '不定等次' AND a.unit_id IN (SELECT id FROM subtree)""",
                                   year=year)[0]
    # eligible: civil servants active on 31 December, once that year's appraisal has begun
    dec31 = dt.date(year, 12, 31)
    eligible, assessed = query_rows(engine, f"""{with_subtree(code)}
        SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM appraisal a
                                              WHERE a.person_id = p.id AND {ANNUAL})), 0)
        FROM person p
        WHERE {active('p', ':dec31')}
          AND {category_on('p.id', ':dec31')} IN ('公务员', '参照公务员法管理')
          AND {unit_on('p.id', ':dec31')} IN (SELECT id FROM subtree)
          AND EXISTS (SELECT 1 FROM appraisal a WHERE {ANNUAL})""", year=year, dec31=dec31)[0]
    return {"graded": graded, "excellent": excellent, "excellent_share": rate(excellent, graded),
            "eligible": eligible, "assessed": assessed, "completion": rate(assessed, eligible),
            "excellent_cap": excellent_cap}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Graded, 优秀, share, eligible, assessed, completion of the year: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = appraisal.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    want = _source(engine, SCOPE_CODES[scope_name], end.year, settings.excellent_cap)
    assert got == pytest.approx(want)


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city has an annual appraisal in 2025 with results, eligible staff and a cap to show."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = appraisal.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("graded", "eligible", "assessed"):
        assert got[name] > 0, name
    assert 0 < got["completion"] < 1
    assert got["excellent_cap"] == pytest.approx(0.20)


def test_summary_before_the_year_is_appraised_has_no_base(warehouse_settings):
    """A year whose annual appraisal has not begun shows — for the rates, not 0%."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = appraisal.summary(warehouse_settings, scope=city,
                            period=custom(dt.date(2026, 1, 1), dt.date(2026, 1, 31))).iloc[0]
    assert (got["graded"], got["eligible"]) == (0, 0)
    assert got["excellent_share"] is None and got["completion"] is None


def test_excellent_share_counts_excellent_results(request):
    """The seed's units are too small for a 优秀 quota; the edited source grades some 优秀 and
    sets the cap to 0.15: both reach the summary."""
    settings, _ = source_for(request, "edited")
    start, end = PERIODS["year"]
    city = scopes.of_code(settings, SCOPE_CODES["city"])
    got = appraisal.summary(settings, scope=city, period=custom(start, end)).iloc[0]
    assert 0 < got["excellent"] < got["graded"]
    assert got["excellent_share"] == pytest.approx(got["excellent"] / got["graded"])
    assert got["excellent_cap"] == pytest.approx(0.15)
