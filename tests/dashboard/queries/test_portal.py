"""portal summary and page questions against the operational database, recomputed with METRICS.md."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import portal
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.dashboard.queries._people import LIVE_PERSON
from tests.support import PERIODS, SCOPE_CODES, SOURCE_UNIT_ON, query_rows, rate

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


# ---- the page's questions -------------------------------------------------------------------
# Each expected_<query>(engine, code, start, end) answers the same question as the query function
# of the same name with plain SQL on the source tables (never the warehouse), in the same shape.

# Live rows as the ETL keeps them: an article is withheld with its (soft-deleted) author, and a view
# with its article or its reader, so the recomputations below drop the same rows.
def with_children(code: str, **ctes: str) -> str:
    """`WITH RECURSIVE child(id, unit_id)`, `unit`, `article` (live articles published in the
    period by a unit in scope, with their child unit), `opened` (openings in the period of live
    articles by live staff whose unit that day is in scope, with their child unit) and ctes."""
    assert code in SCOPE_CODES.values()  # formatted into the SQL: test constants only
    parts = [
        f"WITH RECURSIVE child(id, unit_id, depth) AS ("
        f"SELECT id, id, 0 FROM org_unit WHERE code = '{code}' UNION ALL "
        f"SELECT o.id, CASE WHEN c.depth = 0 THEN o.id ELSE c.unit_id END, c.depth + 1 "
        f"FROM org_unit o JOIN child c ON o.parent_id = c.id)",
        "unit AS (SELECT id AS unit_id, code AS unit_code, name AS unit_name, sort_order "
        "FROM org_unit WHERE id IN (SELECT unit_id FROM child))",
        "article AS (SELECT c.unit_id AS child_id, a.* FROM portal_article a "
        "JOIN child c ON c.id = a.unit_id WHERE a.deleted_at IS NULL AND a.status = '已发布' "
        f"AND a.author_id IN ({LIVE_PERSON}) "
        "AND date(a.published_at) BETWEEN :start AND :end)",
        "opened AS (SELECT c.unit_id AS child_id, a.column_name, v.* "
        "FROM portal_article_view v JOIN portal_article a ON a.id = v.article_id "
        "JOIN person p ON p.id = v.reader_id "
        f"JOIN child c ON c.id = {SOURCE_UNIT_ON.format(d='date(v.viewed_at)')} "
        "WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL "
        f"AND a.author_id IN ({LIVE_PERSON}) AND date(v.viewed_at) BETWEEN :start AND :end)",
    ]
    return ", ".join(parts + [f"{name} AS ({sql})" for name, sql in ctes.items()])


MOBILE = "v.channel IN ('执法城管通', '京办')"


def frame(engine, sql: str, columns: list[str], start, end) -> pd.DataFrame:
    """The rows of sql (binding :start and :end) as a DataFrame with columns."""
    return pd.DataFrame([tuple(r) for r in query_rows(engine, sql, start=start.isoformat(),
                                                      end=end.isoformat())], columns=columns)


def expected_by_column(engine, code: str, start, end) -> pd.DataFrame:
    """portal.by_column: articles published and views and readers, per column with either."""
    return frame(engine, f"""
        {with_children(code)},
        names AS (SELECT column_name FROM article UNION SELECT column_name FROM opened)
        SELECT n.column_name,
               (SELECT count(*) FROM article a WHERE a.column_name = n.column_name) AS articles,
               (SELECT count(*) FROM opened v WHERE v.column_name = n.column_name) AS views,
               (SELECT count(DISTINCT v.reader_id) FROM opened v WHERE v.column_name = n.column_name)
        FROM names n ORDER BY articles DESC, views DESC, n.column_name""",
                 ["column_name", "articles", "views", "readers"], start, end)


def expected_by_unit(engine, code: str, start, end) -> pd.DataFrame:
    """portal.by_unit: per child unit, articles, views, readers, headcount at end, read rate among
    that headcount, mobile share; units with none of articles, views or staff left out."""
    reached = ("EXISTS (SELECT 1 FROM portal_article_view v JOIN portal_article a "
               f"ON a.id = v.article_id WHERE a.deleted_at IS NULL AND v.reader_id = p.id "
               f"AND a.author_id IN ({LIVE_PERSON}) "
               "AND date(v.viewed_at) BETWEEN :start AND :end)")
    df = frame(engine, f"""
        {with_children(code)},
        staff AS (SELECT c.unit_id AS child_id, {reached} AS reached FROM person p
                  JOIN child c ON c.id = {SOURCE_UNIT_ON.format(d=':end')}
                  WHERE p.deleted_at IS NULL AND p.hire_date <= :end
                    AND (p.leave_date IS NULL OR p.leave_date > :end))
        SELECT u.unit_code, u.unit_name,
               (SELECT count(*) FROM article a WHERE a.child_id = u.unit_id),
               (SELECT count(*) FROM opened v WHERE v.child_id = u.unit_id),
               (SELECT count(DISTINCT v.reader_id) FROM opened v WHERE v.child_id = u.unit_id),
               (SELECT count(*) FROM staff s WHERE s.child_id = u.unit_id),
               (SELECT coalesce(sum(s.reached), 0) FROM staff s WHERE s.child_id = u.unit_id),
               (SELECT coalesce(sum({MOBILE}), 0) FROM opened v WHERE v.child_id = u.unit_id)
        FROM unit u ORDER BY u.sort_order, u.unit_code""",
               ["unit_code", "unit_name", "articles", "views", "readers", "headcount", "reached",
                "mobile"], start, end)
    df = df[(df.articles > 0) | (df.views > 0) | (df.headcount > 0)].reset_index(drop=True)
    df["read_rate"] = [rate(r, h) for r, h in zip(df.reached, df.headcount)]
    df["mobile_share"] = [rate(m, v) for m, v in zip(df.mobile, df.views)]
    return df.drop(columns=["reached", "mobile"])


def expected_by_month(engine, code: str, start, end) -> pd.DataFrame:
    """portal.by_month: per month, articles published, views, readers within it, mobile share."""
    df = frame(engine, f"""
        {with_children(code)},
        months AS (SELECT substr(date(published_at), 1, 7) AS month FROM article
                   UNION SELECT substr(date(viewed_at), 1, 7) FROM opened)
        SELECT m.month,
               (SELECT count(*) FROM article a WHERE substr(date(a.published_at), 1, 7) = m.month),
               (SELECT count(*) FROM opened v WHERE substr(date(v.viewed_at), 1, 7) = m.month),
               (SELECT count(DISTINCT v.reader_id) FROM opened v
                WHERE substr(date(v.viewed_at), 1, 7) = m.month),
               (SELECT coalesce(sum({MOBILE}), 0) FROM opened v
                WHERE substr(date(v.viewed_at), 1, 7) = m.month)
        FROM months m ORDER BY m.month""",
               ["month", "articles", "views", "readers", "mobile"], start, end)
    df["mobile_share"] = [rate(m, v) for m, v in zip(df.mobile, df.views)]
    return df.drop(columns=["mobile"])


def expected_most_read(engine, code: str, start, end) -> pd.DataFrame:
    """portal.most_read: the TOP articles with the most openings in the period by staff in scope."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT a.title, a.column_name, o.name, date(a.published_at), a.status, count(*),
               count(DISTINCT v.reader_id), sum({MOBILE})
        FROM opened v JOIN portal_article a ON a.id = v.article_id
        JOIN org_unit o ON o.id = a.unit_id
        GROUP BY a.id ORDER BY count(*) DESC, count(DISTINCT v.reader_id) DESC, a.id
        LIMIT {portal.TOP}""",
               ["title", "column_name", "unit_name", "published_date", "status", "views", "readers",
                "mobile_views"], start, end)
    df["published_date"] = [dt.date.fromisoformat(d) for d in df.published_date]
    return df


QUESTIONS = ("by_column", "by_unit", "by_month", "most_read")


def plain(value):
    """A cell as a comparable Python value: dates as dates, numbers as floats, NaN as None."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        value = value.item()
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every row and value of every page question, in order, equals its recomputation from the
    source tables (expected_<question>): city, district, street; the year and October 2025."""
    settings, engine = source
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(portal, question)(settings, scope=scope, period=custom(start, end))
    want = globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for mine, theirs in zip(got.itertuples(index=False), want.itertuples(index=False)):
        assert [plain(v) for v in mine] == pytest.approx([plain(v) for v in theirs])


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_rows_for_the_district_year(warehouse_settings, question):
    """The comparisons above compare something: every question has rows for 东城 in 2025."""
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    got = getattr(portal, question)(warehouse_settings, scope=scope, period=custom(*PERIODS["year"]))
    assert len(got) > 0 and got["views"].sum() > 0


def test_the_units_and_months_add_up_to_the_summary(warehouse_settings):
    """The units below the city and the months of 2025 add up to its articles and views."""
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    period = custom(*PERIODS["year"])
    total = portal.summary(warehouse_settings, scope=scope, period=period).iloc[0]
    for question in ("by_unit", "by_month", "by_column"):
        got = getattr(portal, question)(warehouse_settings, scope=scope, period=period)
        assert got["articles"].sum() == total["articles"] > 0, question
        assert got["views"].sum() == total["views"] > 0, question
    assert len(portal.by_month(warehouse_settings, scope=scope, period=period)) == 12
