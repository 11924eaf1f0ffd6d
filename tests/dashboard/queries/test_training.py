"""training summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import training
from tests.dashboard.queries._people import (
    LIVE_PERSON, assert_nothing_quarantined, mean_headcount, unit_on, with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

# Live enrolments in live courses or programmes, with what the course or programme says, counted
# in the unit the person belonged to on the day they enrolled.
ENROLLMENT = f"""
    SELECT e.*, coalesce(c.close_date, g.end_date) AS end_date,
           coalesce(c.has_exam, g.has_exam) AS has_exam,
           coalesce(c.pass_mark, g.pass_mark) AS pass_mark,
           coalesce(c.mandatory, 0) AS mandatory
    FROM training_enrollment e
    LEFT JOIN training_course c ON c.id = e.course_id AND c.deleted_at IS NULL
    LEFT JOIN training_program g ON g.id = e.program_id AND g.deleted_at IS NULL
    WHERE e.deleted_at IS NULL AND e.person_id IN ({LIVE_PERSON})
      AND (c.id IS NOT NULL OR g.id IS NOT NULL)
      AND {unit_on('e.person_id', 'date(e.enrolled_at)')} IN (SELECT id FROM subtree)"""
IN_PERIOD = "BETWEEN :start AND :end"


def _source(engine, code: str, start, end) -> dict:
    enrollments, completed, taken, passed, overdue, hours = query_rows(engine, f"""
        {with_subtree(code, enrollment=ENROLLMENT)}
        SELECT coalesce(sum(end_date {IN_PERIOD}), 0),
               coalesce(sum(end_date {IN_PERIOD} AND progress = 100
                            AND (NOT has_exam OR coalesce(exam_score >= pass_mark, 0))), 0),
               coalesce(sum(exam_score IS NOT NULL AND date(exam_taken_at) {IN_PERIOD}), 0),
               coalesce(sum(exam_score >= pass_mark AND date(exam_taken_at) {IN_PERIOD}), 0),
               coalesce(sum(mandatory AND deadline_date < :end AND date(enrolled_at) <= :end
                            AND (completed_at IS NULL OR date(completed_at) > :end)), 0),
               coalesce(sum(CASE WHEN date(completed_at) {IN_PERIOD} THEN credited_hours END), 0)
        FROM enrollment""", start=start, end=end)[0]
    return {"enrollments": enrollments, "completed": completed,
            "completion_rate": rate(completed, enrollments), "exams_taken": taken,
            "exams_passed": passed, "pass_rate": rate(passed, taken), "overdue": overdue,
            "hours_per_capita": rate(float(hours), mean_headcount(engine, code, start, end))}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Enrolments, completion, exams, overdue and hours per capita: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = training.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city's year has enrolments, some not completed, failed exams, overdue ones and hours."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = training.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("enrollments", "completed", "exams_taken", "exams_passed", "overdue",
                 "hours_per_capita"):
        assert got[name] > 0, name
    assert got["completed"] < got["enrollments"] and got["exams_passed"] < got["exams_taken"]
