"""attendance summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import attendance
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, mean_headcount, names_live, one, unit_on,
    with_subtree, workdays_cte,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

ATTENDED = "('正常', '迟到', '早退', '外勤', '出差')"
APPROVED_LEAVE = (f"l.status = '已批准' AND l.deleted_at IS NULL AND {names_live('l.approver_id')} "
                  f"AND l.person_id IN ({LIVE_PERSON})")


def _source(engine, code: str, start, end) -> dict:
    sql = with_subtree(
        code,
        workday=workdays_cte(start, end),
        # the days the clock system has closed: the first to the last record of anyone
        coverage=f"SELECT min(record_date) AS first_day, max(record_date) AS last_day "
                 f"FROM attendance_record WHERE person_id IN ({LIVE_PERSON})",
        person_day=f"SELECT p.id AS person_id, w.d FROM person p, workday w, coverage c "
                   f"WHERE w.d BETWEEN c.first_day AND c.last_day AND {active('p', 'w.d')} "
                   f"AND {unit_on('p.id', 'w.d')} IN (SELECT id FROM subtree)",
        day_status="SELECT r.status, EXISTS (SELECT 1 FROM leave_request l WHERE l.person_id = "
                   f"x.person_id AND x.d BETWEEN l.start_date AND l.end_date AND {APPROVED_LEAVE}) "
                   "AS on_leave FROM person_day x LEFT JOIN attendance_record r "
                   "ON r.person_id = x.person_id AND r.record_date = x.d",
    )
    expected, attended, late, early, absent, leave = query_rows(engine, f"""{sql}
        SELECT count(*), coalesce(sum(status IN {ATTENDED}), 0), coalesce(sum(status = '迟到'), 0),
               coalesce(sum(status = '早退'), 0),
               -- no record and no approved leave counts as 旷工
               coalesce(sum(status = '旷工' OR (status IS NULL AND NOT on_leave)), 0),
               coalesce(sum(on_leave AND (status IS NULL OR status = '请假')), 0)
        FROM day_status""")[0]
    overtime = one(engine, f"""{with_subtree(code)}
        SELECT coalesce(sum(o.hours), 0) FROM overtime o JOIN person p ON p.id = o.person_id
        WHERE o.status = '已批准' AND o.deleted_at IS NULL AND p.deleted_at IS NULL
          AND {names_live('o.approver_id')} AND o.work_date BETWEEN :start AND :end
          AND {unit_on('o.person_id', 'o.work_date')} IN (SELECT id FROM subtree)""",
                   start=start, end=end)
    return {"expected_days": expected, "attended_days": attended,
            "attendance_rate": rate(attended, expected), "late_rate": rate(late, attended),
            "early_leave_rate": rate(early, attended), "absence_days": absent,
            "leave_days": leave, "overtime_hours": float(overtime),
            "overtime_hours_per_capita": rate(float(overtime),
                                               mean_headcount(engine, code, start, end))}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Workdays expected, attended, late, early, 旷工, leave and overtime: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = attendance.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The seed gives the city a year of attendance, absences, leave and overtime to count."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = attendance.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("expected_days", "attended_days", "late_rate", "early_leave_rate", "absence_days",
                 "leave_days", "overtime_hours"):
        assert got[name] > 0, name
    assert got["attended_days"] < got["expected_days"]
    # every expected workday is attended, 旷工 or on approved leave in the seed
    assert got["attended_days"] + got["absence_days"] + got["leave_days"] == got["expected_days"]
