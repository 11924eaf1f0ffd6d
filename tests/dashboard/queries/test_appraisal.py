"""appraisal summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import appraisal
from etl.run import run
from models.db import open_engine
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, category_on, names_live, source_for, unit_on,
    with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate, settings_for

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


# The page's questions (pages/appraisal.py), each recomputed from the operational database by an
# expected_<query>(engine, code, start, end) that bench/ may time against the warehouse query.
CHILD_UNITS = """WITH RECURSIVE top(id, unit_id) AS (
        SELECT id, id FROM org_unit WHERE code = '{code}'
        UNION ALL
        SELECT o.id, CASE WHEN o.parent_id = (SELECT id FROM org_unit WHERE code = '{code}')
                          THEN o.id ELSE t.unit_id END
        FROM org_unit o JOIN top t ON o.parent_id = t.id)"""
BAD = ("基本称职", "不称职")
DEFAULT_EXCELLENT_CAP, DEFAULT_GOOD_CAP = 0.20, 0.40


def child_units(code: str) -> str:
    """`WITH RECURSIVE top(id, unit_id)`: each unit in the scope of code with the unit directly
    below the scope unit that it lies under (the scope unit itself for its own rows)."""
    assert code in SCOPE_CODES.values()
    return CHILD_UNITS.format(code=code)


def live(alias: str) -> str:
    """Condition: the appraisal row alias is not withdrawn, nor its person or its evaluator."""
    return (f"{alias}.deleted_at IS NULL AND {alias}.person_id IN ({LIVE_PERSON}) "
            f"AND {names_live(f'{alias}.evaluator_id')}")


def quarter_span(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a 平时 period such as 2025Q4."""
    year, q = int(period[:4]), int(period[-1])
    after = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return dt.date(year, 3 * q - 2, 1), after - dt.timedelta(days=1)


def flagged(share, cap) -> dict:
    """over_cap and cap_flag of a share (None: no base, never above)."""
    above = share is not None and share > cap
    return {"over_cap": above, "cap_flag": appraisal.OVER_CAP if above else None}


def by_unit(rows) -> list:
    """Rows (code, name, sort_order, ...) in the bureau's unit order."""
    return sorted(rows, key=lambda r: (r[2], r[0]))


def expected_annual_by_unit(engine, code, start, end, cap=DEFAULT_EXCELLENT_CAP) -> pd.DataFrame:
    """annual_by_unit from the source: the live 年度 results of end's year per child unit."""
    rows = query_rows(engine, f"""{child_units(code)}
        SELECT u.code, u.name, u.sort_order, a.grade, count(*) FROM appraisal a
        JOIN top t ON t.id = a.unit_id JOIN org_unit u ON u.id = t.unit_id
        WHERE a.kind = '年度' AND a.year = :year AND {live('a')}
        GROUP BY u.id, u.code, u.name, u.sort_order, a.grade""", year=end.year)
    units: dict = {}
    for unit_code, name, order, grade, n in rows:
        units.setdefault((unit_code, name, order), {})[grade] = n
    out = []
    for unit_code, name, order in by_unit(list(units)):
        grades = units[(unit_code, name, order)]
        counts = {field: grades.get(grade, 0) for field, grade in appraisal.ANNUAL_FIELDS}
        graded = sum(n for g, n in grades.items() if g != "不定等次")
        share = rate(counts["excellent"], graded)
        out.append({"unit_code": unit_code, "unit_name": name, **counts, "graded": graded,
                    "excellent_share": share, "excellent_cap": cap, **flagged(share, cap)})
    return pd.DataFrame(out, columns=COLUMNS["annual_by_unit"])


def expected_completion_by_unit(engine, code, start, end) -> pd.DataFrame:
    """completion_by_unit from the source: civil servants active on 31 December of end's year, in
    their unit that day, once that year's appraisal has begun, and whether they have a result."""
    dec31 = dt.date(end.year, 12, 31)
    annual = "a.kind = '年度' AND a.year = :year AND " + live("a")
    rows = query_rows(engine, f"""{child_units(code)},
        eligible AS (
            SELECT {unit_on('p.id', ':dec31')} AS unit_id,
                   EXISTS (SELECT 1 FROM appraisal a WHERE a.person_id = p.id AND {annual}) AS assessed
            FROM person p
            WHERE {active('p', ':dec31')}
              AND {category_on('p.id', ':dec31')} IN ('公务员', '参照公务员法管理')
              AND EXISTS (SELECT 1 FROM appraisal a WHERE {annual}))
        SELECT u.code, u.name, u.sort_order, count(*), sum(e.assessed) FROM eligible e
        JOIN top t ON t.id = e.unit_id JOIN org_unit u ON u.id = t.unit_id
        GROUP BY u.id, u.code, u.name, u.sort_order""", year=end.year, dec31=dec31)
    out = [{"unit_code": c, "unit_name": name, "eligible": n, "assessed": done, "not_assessed": n - done,
            "completion": rate(done, n)} for c, name, _order, n, done in by_unit(rows)]
    return pd.DataFrame(out, columns=COLUMNS["completion_by_unit"])


def _quarterly_rows(engine, code, start, end) -> list:
    """(unit code, name, sort_order, quarter, grade, count) of the live 平时 results of the child
    units whose quarter overlaps [start, end]."""
    rows = query_rows(engine, f"""{child_units(code)}
        SELECT u.code, u.name, u.sort_order, a.period, a.grade, count(*) FROM appraisal a
        JOIN top t ON t.id = a.unit_id JOIN org_unit u ON u.id = t.unit_id
        WHERE a.kind = '平时' AND {live('a')}
        GROUP BY u.id, u.code, u.name, u.sort_order, a.period, a.grade""")
    return [r for r in rows if quarter_span(r[3])[0] <= end and quarter_span(r[3])[1] >= start]


def expected_quarterly_distribution(engine, code, start, end, cap=DEFAULT_GOOD_CAP) -> pd.DataFrame:
    """quarterly_distribution from the source: 平时 grades per quarter overlapping the period."""
    quarters: dict = {}
    for *_unit, quarter, grade, n in _quarterly_rows(engine, code, start, end):
        counts = quarters.setdefault(quarter, {})
        counts[grade] = counts.get(grade, 0) + n
    out = []
    for quarter in sorted(quarters):
        counts = {field: quarters[quarter].get(grade, 0) for field, grade in appraisal.QUARTERLY_FIELDS}
        assessed = sum(counts.values())
        out.append({"quarter": quarter, **counts, "assessed": assessed,
                    "good_share": rate(counts["good"], assessed), "quarterly_good_cap": cap})
    return pd.DataFrame(out, columns=COLUMNS["quarterly_distribution"])


def expected_quarterly_by_unit(engine, code, start, end, cap=DEFAULT_GOOD_CAP) -> pd.DataFrame:
    """quarterly_by_unit from the source: 平时 results of the period's quarters per child unit."""
    units: dict = {}
    for unit_code, name, order, _quarter, grade, n in _quarterly_rows(engine, code, start, end):
        counts = units.setdefault((unit_code, name, order), {"assessed": 0, "good": 0})
        counts["assessed"] += n
        counts["good"] += n if grade == "好" else 0
    out = []
    for key in by_unit(list(units)):
        share = rate(units[key]["good"], units[key]["assessed"])
        out.append({"unit_code": key[0], "unit_name": key[1], **units[key], "good_share": share,
                    "quarterly_good_cap": cap, **flagged(share, cap)})
    return pd.DataFrame(out, columns=COLUMNS["quarterly_by_unit"])


def expected_repeat_unsatisfactory(engine, code, start, end) -> pd.DataFrame:
    """repeat_unsatisfactory from the source: live 年度 results of end's year graded 基本称职 or
    不称职 in scope, whose person was graded either of them the year before too."""
    rows = query_rows(engine, f"""{child_units(code)}
        SELECT p.employee_no, p.name, u.name, prev.grade, a.grade, a.score, u.sort_order
        FROM appraisal a JOIN person p ON p.id = a.person_id JOIN org_unit u ON u.id = a.unit_id
        JOIN appraisal prev ON prev.person_id = a.person_id AND prev.kind = '年度'
         AND prev.year = a.year - 1 AND {live('prev')}
        WHERE a.kind = '年度' AND a.year = :year AND {live('a')}
          AND a.unit_id IN (SELECT id FROM top)
          AND a.grade IN ('基本称职', '不称职') AND prev.grade IN ('基本称职', '不称职')""",
                      year=end.year)
    rows = sorted(rows, key=lambda r: (r[4] != "不称职", r[3] != "不称职", r[6], r[0]))
    out = [{"employee_no": no, "name": name, "unit_name": unit, "previous_year_grade": prev,
            "grade": grade, "score": None if score is None else float(score)}
           for no, name, unit, prev, grade, score, _order in rows]
    return pd.DataFrame(out, columns=COLUMNS["repeat_unsatisfactory"])


COLUMNS = {
    "annual_by_unit": ["unit_code", "unit_name", *(f for f, _g in appraisal.ANNUAL_FIELDS), "graded",
                       "excellent_share", "excellent_cap", "over_cap", "cap_flag"],
    "completion_by_unit": ["unit_code", "unit_name", "eligible", "assessed", "not_assessed", "completion"],
    "quarterly_distribution": ["quarter", *(f for f, _g in appraisal.QUARTERLY_FIELDS), "assessed",
                               "good_share", "quarterly_good_cap"],
    "quarterly_by_unit": ["unit_code", "unit_name", "assessed", "good", "good_share", "quarterly_good_cap",
                          "over_cap", "cap_flag"],
    "repeat_unsatisfactory": ["employee_no", "name", "unit_name", "previous_year_grade", "grade", "score"],
}
EXPECTED = {"annual_by_unit": expected_annual_by_unit, "completion_by_unit": expected_completion_by_unit,
            "quarterly_distribution": expected_quarterly_distribution,
            "quarterly_by_unit": expected_quarterly_by_unit,
            "repeat_unsatisfactory": expected_repeat_unsatisfactory}
CAPS = {"annual_by_unit": "excellent_cap", "quarterly_distribution": "quarterly_good_cap",
        "quarterly_by_unit": "quarterly_good_cap"}


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as plain Python values (numpy scalars unwrapped, NaN as None)."""
    def plain(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        return value.item() if hasattr(value, "item") else value
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Same columns, same rows in the same order; rates within float rounding."""
    assert list(got.columns) == list(want.columns)
    got_rows, want_rows = records(got), records(want)
    assert len(got_rows) == len(want_rows)
    for g, w in zip(got_rows, want_rows):
        assert g == pytest.approx(w)


def compare(name: str, settings, engine, code: str, start, end) -> pd.DataFrame:
    """Assert the query equals its recomputation (with the settings' cap); returns the query's frame."""
    scope = scopes.of_code(settings, code)
    got = getattr(appraisal, name)(settings, scope=scope, period=custom(start, end))
    cap = {"cap": getattr(settings, CAPS[name])} if name in CAPS else {}
    want = EXPECTED[name](engine, code, start, end, **cap)
    assert_same(got, want)
    return got


@pytest.mark.parametrize("name", EXPECTED)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_page_query_equals_the_operational_database(source, name, scope_name, period_name):
    """Every question of the page, city, district and street, the year 2025 and October 2025, on
    the seed and on the edited source (more 优秀, a cap of 0.15)."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    compare(name, settings, engine, SCOPE_CODES[scope_name], start, end)


def test_units_above_the_excellent_cap_are_flagged(request):
    """With the edited source's 优秀 grades and its cap of 0.15, some districts lie above the cap and
    are flagged, the others not, and the cap shown is the setting's."""
    settings, engine = source_for(request, "edited")
    start, end = PERIODS["year"]
    got = compare("annual_by_unit", settings, engine, SCOPE_CODES["city"], start, end)
    assert settings.excellent_cap == pytest.approx(0.15)
    assert (got["excellent_cap"] == settings.excellent_cap).all()
    above = got[got["over_cap"]]
    assert 0 < len(above) < len(got)
    assert (above["excellent_share"] > 0.15).all() and (above["cap_flag"] == "超过上限").all()
    below = got[~got["over_cap"]]
    assert (below["excellent_share"].fillna(0) <= 0.15).all() and below["cap_flag"].isna().all()


def test_units_above_the_quarterly_good_cap_are_flagged(warehouse_settings, source_engine):
    """The seed keeps 好 within 40% in each unit; a cap of 10% (a setting) flags the units above it."""
    start, end = PERIODS["year"]
    tight = dataclasses.replace(warehouse_settings, quarterly_good_cap=0.10)
    for code in (SCOPE_CODES["city"], SCOPE_CODES["district"]):
        loose = compare("quarterly_by_unit", warehouse_settings, source_engine, code, start, end)
        assert not loose["over_cap"].any()
        got = compare("quarterly_by_unit", tight, source_engine, code, start, end)
        assert got["over_cap"].any() and (got["quarterly_good_cap"] == 0.10).all()
    quarters = compare("quarterly_distribution", tight, source_engine, SCOPE_CODES["city"], start, end)
    assert list(quarters["quarter"]) == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]


def test_a_month_shows_the_quarter_it_lies_in(warehouse_settings):
    """October 2025 shows the 平时 results of 2025Q4 only, and the annual appraisal of 2025."""
    start, end = PERIODS["holiday_month"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    october = custom(start, end)
    assert list(appraisal.quarterly_distribution(warehouse_settings, scope=city, period=october)["quarter"]) \
        == ["2025Q4"]
    year = appraisal.annual_by_unit(warehouse_settings, scope=city, period=custom(*PERIODS["year"]))
    assert_same(appraisal.annual_by_unit(warehouse_settings, scope=city, period=october), year)
    assert year["graded"].sum() > 0


# 2024 annual results planted for the people the seed grades 基本称职 or 不称职 in 2025 (the seed
# covers 2025 only): grades by their order, one 称职 among them (not listed), and 不称职 for three
# people graded 称职 in 2025 (not listed either).
PLANTED = ("不称职", "基本称职", "称职", "基本称职", "不称职")


def plant_previous_year(engine) -> None:
    """Insert the 2024 annual results of PLANTED into a copy of the seed."""
    bad = [r[0] for r in query_rows(engine, """
        SELECT id FROM appraisal WHERE kind = '年度' AND year = 2025 AND grade IN ('基本称职', '不称职')
        ORDER BY id""")]
    fine = [r[0] for r in query_rows(engine, """
        SELECT a.id FROM appraisal a JOIN person p ON p.id = a.person_id
        WHERE a.kind = '年度' AND a.year = 2025 AND a.grade = '称职' AND p.hire_date < '2024-06-01'
        ORDER BY a.id LIMIT 3""")]
    assert len(bad) >= 3 and len(fine) == 3
    plan = [(i, PLANTED[n % len(PLANTED)]) for n, i in enumerate(bad)] + [(i, "不称职") for i in fine]
    with engine.begin() as conn:
        for appraisal_id, grade in plan:
            # the same person, unit and evaluator a year earlier (hired by then: no check trips)
            conn.execute(text("""
                INSERT INTO appraisal (person_id, unit_id, year, kind, period, grade, score, evaluated_at,
                                       evaluator_id, comment)
                SELECT person_id, unit_id, 2024, '年度', '2024', :grade, 66.0, '2024-12-20 10:00:00.000000',
                       evaluator_id, NULL FROM appraisal WHERE id = :id"""),
                         {"grade": grade, "id": appraisal_id})


@pytest.fixture(scope="module")
def repeat_source(seeded_file, tmp_path_factory):
    """(settings, engine) of a copy of the seed with PLANTED 2024 results, and its warehouse."""
    folder = tmp_path_factory.mktemp("appraisal_repeat")
    shutil.copyfile(seeded_file, folder / "oa.db")
    engine = open_engine(f"sqlite:///{folder / 'oa.db'}")
    plant_previous_year(engine)
    settings = settings_for(f"sqlite:///{folder / 'oa.db'}", folder / "warehouse")
    run(settings, full=True)
    yield settings, engine
    engine.dispose()


@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_repeat_unsatisfactory_lists_two_bad_years_running(repeat_source, scope_name):
    """With 2024 results planted, the list equals the recomputation, city, district and street; at
    city level it holds exactly the planted two-bad-year people."""
    settings, engine = repeat_source
    assert_nothing_quarantined(settings)
    start, end = PERIODS["year"]
    got = compare("repeat_unsatisfactory", settings, engine, SCOPE_CODES[scope_name], start, end)
    if scope_name == "city":
        bad = query_rows(engine, "SELECT count(*) FROM appraisal WHERE kind = '年度' AND year = 2025 "
                                 "AND grade IN ('基本称职', '不称职')")[0][0]
        assert len(got) == sum(1 for n in range(bad) if PLANTED[n % len(PLANTED)] in BAD) > 0
        assert set(got["previous_year_grade"]) <= set(BAD) and set(got["grade"]) <= set(BAD)
        worst_first = [grade != "不称职" for grade in got["grade"]]
        assert worst_first == sorted(worst_first)
    # a month of 2025 asks the same year; the year 2024 has no year before it in the source
    october = compare("repeat_unsatisfactory", settings, engine, SCOPE_CODES[scope_name],
                      *PERIODS["holiday_month"])
    assert_same(october, got)
    assert compare("repeat_unsatisfactory", settings, engine, SCOPE_CODES[scope_name],
                   dt.date(2024, 1, 1), dt.date(2024, 12, 31)).empty
