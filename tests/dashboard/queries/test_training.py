"""training questions against the operational database, recomputed with METRICS.md's definitions.

Each expected_<query>(engine, code, start, end) answers the same question as the query function of
the same name with plain SQL on the source tables (never the warehouse), in the same shape."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import training
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, mean_headcount, unit_on, with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

# Live enrolments in live courses or programmes, with what the course or programme says and the
# unit the person belonged to on the day they enrolled (unit_id).
ENROLLMENT = f"""
    SELECT e.*, coalesce(c.close_date, g.end_date) AS end_date,
           coalesce(c.has_exam, g.has_exam) AS has_exam,
           coalesce(c.pass_mark, g.pass_mark) AS pass_mark,
           coalesce(c.mandatory, 0) AS mandatory,
           CASE WHEN c.id IS NOT NULL THEN '课程' ELSE '培训班' END AS item_kind,
           coalesce(c.title, g.name) AS title, coalesce(c.category, g.kind) AS category,
           e.progress = 100 AND (NOT coalesce(c.has_exam, g.has_exam)
               OR coalesce(e.exam_score >= coalesce(c.pass_mark, g.pass_mark), 0)) AS is_completed,
           {unit_on('e.person_id', 'date(e.enrolled_at)')} AS unit_id
    FROM training_enrollment e
    LEFT JOIN training_course c ON c.id = e.course_id AND c.deleted_at IS NULL
    LEFT JOIN training_program g ON g.id = e.program_id AND g.deleted_at IS NULL
    WHERE e.deleted_at IS NULL AND e.person_id IN ({LIVE_PERSON})
      AND (c.id IS NOT NULL OR g.id IS NOT NULL)"""
IN_PERIOD = "BETWEEN :start AND :end"
ENDS = f"end_date {IN_PERIOD}"
EXAMINED = f"exam_score IS NOT NULL AND date(exam_taken_at) {IN_PERIOD}"
OVERDUE = ("mandatory AND deadline_date < :end AND date(enrolled_at) <= :end "
           "AND (completed_at IS NULL OR date(completed_at) > :end)")


def with_children(code: str, **ctes: str) -> str:
    """`WITH RECURSIVE child(id, unit_id)`: every unit in the scope of code with the unit directly
    below the scope unit it lies under (the scope unit for itself), plus `unit` (the code, name and
    order of those units), `enrollment` (ENROLLMENT in the scope, with its child unit) and ctes."""
    assert code in SCOPE_CODES.values()  # formatted into the SQL: test constants only
    tree = (f"WITH RECURSIVE child(id, unit_id, depth) AS ("
            f"SELECT id, id, 0 FROM org_unit WHERE code = '{code}' UNION ALL "
            f"SELECT o.id, CASE WHEN c.depth = 0 THEN o.id ELSE c.unit_id END, c.depth + 1 "
            f"FROM org_unit o JOIN child c ON o.parent_id = c.id)")
    parts = [tree, "unit AS (SELECT id AS unit_id, code AS unit_code, name AS unit_name, sort_order "
                   "FROM org_unit WHERE id IN (SELECT unit_id FROM child))",
             f"enrollment AS (SELECT c.unit_id AS child_id, x.* FROM ({ENROLLMENT}) x "
             f"JOIN child c ON c.id = x.unit_id)"]
    return ", ".join(parts + [f"{name} AS ({sql})" for name, sql in ctes.items()])


def frame(engine, sql: str, columns: list[str], start, end) -> pd.DataFrame:
    """The rows of sql (binding :start and :end) as a DataFrame with columns."""
    return pd.DataFrame([tuple(r) for r in query_rows(engine, sql, start=start, end=end)],
                        columns=columns)


def with_rate(df: pd.DataFrame, name: str, part: str, whole: str) -> pd.DataFrame:
    """df with the rate column name = part / whole (None when whole is 0)."""
    df[name] = [rate(p, w) for p, w in zip(df[part], df[whole])]
    return df


def expected_summary(engine, code: str, start, end) -> dict:
    """training.summary for the scope of code and [start, end]."""
    (enrollments, completed, required, done, taken, passed, overdue, hours), = query_rows(engine, f"""
        {with_subtree(code, enrollment=ENROLLMENT + ' AND unit_id IN (SELECT id FROM subtree)')}
        SELECT coalesce(sum({ENDS}), 0), coalesce(sum({ENDS} AND is_completed), 0),
               coalesce(sum({ENDS} AND mandatory), 0),
               coalesce(sum({ENDS} AND mandatory AND is_completed), 0),
               coalesce(sum({EXAMINED}), 0), coalesce(sum({EXAMINED} AND exam_score >= pass_mark), 0),
               coalesce(sum({OVERDUE}), 0),
               coalesce(sum(CASE WHEN date(completed_at) {IN_PERIOD} THEN credited_hours END), 0)
        FROM enrollment""", start=start, end=end)
    return {"enrollments": enrollments, "completed": completed,
            "completion_rate": rate(completed, enrollments), "mandatory_required": required,
            "mandatory_completed": done, "mandatory_completion": rate(done, required),
            "exams_taken": taken, "exams_passed": passed, "pass_rate": rate(passed, taken),
            "overdue": overdue,
            "hours_per_capita": rate(float(hours), mean_headcount(engine, code, start, end))}


def expected_completion_by_unit(engine, code: str, start, end) -> pd.DataFrame:
    """training.completion_by_unit: enrolments ending in the period and completed, per child unit."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT u.unit_code, u.unit_name, count(*), sum(e.is_completed)
        FROM enrollment e JOIN unit u ON u.unit_id = e.child_id
        WHERE e.{ENDS} GROUP BY u.unit_id ORDER BY u.sort_order, u.unit_code""",
               ["unit_code", "unit_name", "enrollments", "completed"], start, end)
    return with_rate(df, "completion_rate", "completed", "enrollments")


def expected_completion_by_item(engine, code: str, start, end) -> pd.DataFrame:
    """training.completion_by_item: per course or programme ending in the period."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT item_kind, title, category, end_date, count(*), sum(is_completed)
        FROM enrollment WHERE {ENDS}
        GROUP BY course_id, program_id ORDER BY end_date, title, item_kind""",
               ["item_kind", "title", "category", "end_date", "enrollments", "completed"], start, end)
    return with_rate(df, "completion_rate", "completed", "enrollments")


def expected_mandatory_by_course(engine, code: str, start, end) -> pd.DataFrame:
    """training.mandatory_by_course: staff required and completed per mandatory course."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT title, category, end_date, count(*), sum(is_completed)
        FROM enrollment WHERE mandatory AND {ENDS}
        GROUP BY course_id ORDER BY end_date, title""",
               ["title", "category", "deadline_date", "required", "completed"], start, end)
    return with_rate(df, "mandatory_completion", "completed", "required")


def expected_mandatory_by_unit(engine, code: str, start, end) -> pd.DataFrame:
    """training.mandatory_by_unit: mandatory enrolments ending in the period and completed, and
    those overdue at period end, per child unit with either."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT u.unit_code, u.unit_name, sum(e.mandatory AND e.{ENDS}),
               sum(e.mandatory AND e.{ENDS} AND e.is_completed), sum({OVERDUE})
        FROM enrollment e JOIN unit u ON u.unit_id = e.child_id
        GROUP BY u.unit_id HAVING sum(e.mandatory AND e.{ENDS}) > 0 OR sum({OVERDUE}) > 0
        ORDER BY u.sort_order, u.unit_code""",
               ["unit_code", "unit_name", "required", "completed", "overdue"], start, end)
    return with_rate(df, "mandatory_completion", "completed", "required")[
        ["unit_code", "unit_name", "required", "completed", "mandatory_completion", "overdue"]]


def expected_hours_by_unit(engine, code: str, start, end) -> pd.DataFrame:
    """training.hours_by_unit: hours credited in the period / mean headcount, per child unit."""
    def staff(day: str) -> str:
        return (f"SELECT c.unit_id, count(*) AS n FROM person p JOIN child c "
                f"ON c.id = {unit_on('p.id', day)} WHERE {active('p', day)} GROUP BY c.unit_id")
    df = frame(engine, f"""
        {with_children(code, at_start=staff(':start'), at_end=staff(':end'), credited=f'''
            SELECT child_id AS unit_id, sum(credited_hours) AS hours FROM enrollment
            WHERE date(completed_at) {IN_PERIOD} AND credited_hours > 0 GROUP BY child_id''')}
        SELECT u.unit_code, u.unit_name, coalesce(c.hours, 0),
               (coalesce(s.n, 0) + coalesce(e.n, 0)) / 2.0 AS mean_headcount
        FROM unit u LEFT JOIN credited c USING (unit_id) LEFT JOIN at_start s USING (unit_id)
        LEFT JOIN at_end e USING (unit_id)
        WHERE coalesce(c.hours, 0) > 0 OR coalesce(s.n, 0) + coalesce(e.n, 0) > 0
        ORDER BY u.sort_order, u.unit_code""",
               ["unit_code", "unit_name", "credited_hours", "mean_headcount"], start, end)
    df["credited_hours"] = df["credited_hours"].astype(float)
    return with_rate(df, "hours_per_capita", "credited_hours", "mean_headcount")


def expected_pass_rate_by_unit(engine, code: str, start, end) -> pd.DataFrame:
    """training.pass_rate_by_unit: exams taken in the period and passed, per child unit."""
    df = frame(engine, f"""
        {with_children(code)}
        SELECT u.unit_code, u.unit_name, count(*), sum(e.exam_score >= e.pass_mark)
        FROM enrollment e JOIN unit u ON u.unit_id = e.child_id
        WHERE {EXAMINED} GROUP BY u.unit_id
        ORDER BY u.sort_order, u.unit_code""",
               ["unit_code", "unit_name", "exams_taken", "exams_passed"], start, end)
    return with_rate(df, "pass_rate", "exams_passed", "exams_taken")


def expected_overdue(engine, code: str, start, end) -> pd.DataFrame:
    """training.overdue: the mandatory enrolments overdue at period end, most overdue first."""
    return frame(engine, f"""
        {with_children(code)}
        SELECT p.employee_no, p.name, o.name, e.title, e.deadline_date,
               CAST(julianday(:end) - julianday(e.deadline_date) AS INTEGER) AS days_overdue,
               e.progress, date(e.completed_at), p.leave_date
        FROM enrollment e JOIN person p ON p.id = e.person_id JOIN org_unit o ON o.id = e.unit_id
        WHERE {OVERDUE}
        ORDER BY days_overdue DESC, o.sort_order, o.code, p.employee_no, e.title""",
                 ["employee_no", "name", "unit_name", "title", "deadline_date", "days_overdue",
                  "progress", "completed_date", "leave_date"], start, end)


QUESTIONS = ("completion_by_unit", "completion_by_item", "mandatory_by_course", "mandatory_by_unit",
             "hours_by_unit", "pass_rate_by_unit", "overdue")


def plain(value):
    """A cell as comparable across DuckDB and SQLite: dates as ISO text, missing as None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        value = value.item()
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def rows(df: pd.DataFrame) -> list[dict]:
    """The frame's rows in order, each cell made plain."""
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def ask(settings, question: str, scope_name: str, period_name: str) -> pd.DataFrame:
    """The query function named question for one of SCOPE_CODES and one of PERIODS."""
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    return getattr(training, question)(settings, scope=scope, period=custom(start, end))


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Enrolments, completion, mandatory completion, exams, overdue and hours per capita: city,
    district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    got = ask(settings, "summary", scope_name, period_name).iloc[0].to_dict()
    assert got == pytest.approx(expected_summary(engine, SCOPE_CODES[scope_name], start, end))


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every row and value of every page question, in order, equals its recomputation from the
    source tables (expected_<question>): city, district, street; the year and October 2025."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    got = ask(settings, question, scope_name, period_name)
    want = globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for mine, theirs in zip(rows(got), rows(want)):
        assert mine == pytest.approx(theirs)


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_rows_for_the_district_year(warehouse_settings, question):
    """The comparisons above compare something: every question has rows for 东城 in 2025."""
    assert len(ask(warehouse_settings, question, "district", "year")) > 0


def test_by_unit_totals_add_up_to_the_summary(warehouse_settings):
    """The units below the city add up to its KPIs (no enrolment is lost or counted twice)."""
    total = ask(warehouse_settings, "summary", "city", "year").iloc[0]
    by_unit = ask(warehouse_settings, "completion_by_unit", "city", "year")
    mandatory = ask(warehouse_settings, "mandatory_by_unit", "city", "year")
    exams = ask(warehouse_settings, "pass_rate_by_unit", "city", "year")
    assert by_unit["enrollments"].sum() == total["enrollments"] > 0
    assert by_unit["completed"].sum() == total["completed"]
    assert mandatory["required"].sum() == total["mandatory_required"] > 0
    assert mandatory["overdue"].sum() == total["overdue"] == len(ask(warehouse_settings, "overdue",
                                                                     "city", "year"))
    assert exams["exams_passed"].sum() == total["exams_passed"] < exams["exams_taken"].sum()


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city's year has enrolments, some not completed, failed exams, overdue ones and hours."""
    got = ask(warehouse_settings, "summary", "city", "year").iloc[0]
    for name in ("enrollments", "completed", "mandatory_required", "exams_taken", "exams_passed",
                 "overdue", "hours_per_capita"):
        assert got[name] > 0, name
    assert got["completed"] < got["enrollments"] and got["exams_passed"] < got["exams_taken"]
    assert got["mandatory_completed"] < got["mandatory_required"]
