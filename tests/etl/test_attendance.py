"""attendance in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from models import attendance, workday
from models.demo.attendance import entitlement
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.support import query_rows

ATTENDED = ("正常", "迟到", "早退", "外勤", "出差")
TABLES = [attendance.AttendanceRecord.__table__, attendance.LeaveRequest.__table__,
          attendance.Overtime.__table__, attendance.DutyRoster.__table__]


def _r1(value) -> float:
    """A sum of tenths compared to one decimal (SQLite sums them as floats)."""
    return round(float(value), 1)


def _date(value) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


@pytest.fixture(scope="module")
def source_days(source_engine):
    """The expected person-workdays computed in Python from the source: (person, day) -> status."""
    first, last = (_date(d) for d in query_rows(source_engine, "SELECT min(record_date), max(record_date) "
                                                          "FROM attendance_record")[0])
    wds = workday.workdays(first, last)
    records = {(p, _date(d)): s for p, d, s in query_rows(source_engine, "SELECT person_id, record_date, status "
                                                                   "FROM attendance_record")}
    leave: dict[tuple[int, dt.date], str] = {}
    for pid, kind, start, end in query_rows(source_engine, "SELECT person_id, leave_type, start_date, end_date "
                                                      "FROM leave_request WHERE status = '已批准' "
                                                      "AND deleted_at IS NULL"):
        for d in workday.workdays(_date(start), _date(end)):
            leave[pid, d] = kind
    out = {}
    for pid, hire, left in query_rows(source_engine, "SELECT id, hire_date, leave_date FROM person"):
        hire, left = _date(hire), _date(left)
        for d in wds:
            if hire <= d and (left is None or d < left):
                out[pid, d] = records.get((pid, d)) or ("请假" if (pid, d) in leave else "旷工")
    return out


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/attendance.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("attendance", TABLES) > 20


def test_no_attendance_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of attendance is held back."""
    names = [t.name for t in TABLES]
    n = warehouse.execute("SELECT count(*) FROM quarantine WHERE list_contains(?, table_name)",
                          [names]).fetchone()[0]
    assert n == 0


def test_fact_attendance_day_reconciles(warehouse, source_days):
    """Person-workdays, and the days per status including derived 旷工 and 请假, equal the source."""
    expected = defaultdict(int)
    for status in source_days.values():
        expected[status] += 1
    got = dict(warehouse.execute("SELECT status, count(*) FROM fact_attendance_day GROUP BY status"
                                 ).fetchall())
    assert got == dict(expected)
    attended, late, absent = warehouse.execute(
        "SELECT sum(is_attended::int), sum(is_late::int), sum(is_absent::int) FROM fact_attendance_day"
    ).fetchone()
    assert attended == sum(v for k, v in expected.items() if k in ATTENDED)
    assert (late, absent) == (expected["迟到"], expected["旷工"])
    derived = warehouse.execute("SELECT count(*) FROM fact_attendance_day WHERE is_derived AND "
                                "status = '旷工'").fetchone()[0]
    assert 0 < derived < expected["旷工"] + 1


def test_day_unit_is_the_persons_unit_that_day(source_engine, warehouse):
    """unit_id of a person-day is the unit of the person's latest history row on or before it."""
    history = defaultdict(list)
    for pid, day, unit in query_rows(source_engine, "SELECT person_id, effective_date, unit_id FROM "
                                               "person_history ORDER BY person_id, effective_date, id"):
        history[pid].append((_date(day), unit))
    rows = warehouse.execute("SELECT person_id, date_day, unit_id FROM fact_attendance_day").fetchall()
    assert rows
    wrong = [r for r in rows if r[2] != [u for d, u in history[r[0]] if d <= r[1]][-1]]
    assert wrong == []


def test_fact_attendance_leave_reconciles(source_engine, warehouse):
    """Live requests, declared days and the workdays they cover equal the source."""
    rows = query_rows(source_engine, "SELECT start_date, end_date, days, status FROM leave_request "
                                "WHERE deleted_at IS NULL")
    workdays = sum(len(workday.workdays(_date(s), _date(e))) for s, e, _, _ in rows)
    approved = sum(1 for *_, st in rows if st == "已批准")
    got = warehouse.execute("SELECT count(*), sum(declared_days), sum(workdays), sum(is_approved::int) "
                            "FROM fact_attendance_leave").fetchone()
    assert got[0] == len(rows) and _r1(got[1]) == _r1(sum(float(r[2]) for r in rows))
    assert (got[2], got[3]) == (workdays, approved)


def test_fact_attendance_annual_leave_reconciles(source_engine, warehouse):
    """Entitlement and days taken per person and year equal a Python count over the source."""
    taken = defaultdict(int)
    for pid, start, end in query_rows(source_engine, "SELECT person_id, start_date, end_date FROM leave_request "
                                                "WHERE leave_type = '年休假' AND status = '已批准' "
                                                "AND deleted_at IS NULL"):
        for d in workday.workdays(_date(start), _date(end)):
            taken[pid, d.year] += 1
    people = query_rows(source_engine, "SELECT id, hire_date, leave_date FROM person")
    first, last = (_date(d) for d in query_rows(source_engine, "SELECT min(record_date), max(record_date) "
                                                          "FROM attendance_record")[0])
    employed = [(pid, _date(h)) for pid, h, left in people
                if _date(h) <= last and (left is None or _date(left) > first)]
    got = warehouse.execute("SELECT count(*), sum(entitled_days), sum(taken_days) FROM "
                            "fact_attendance_annual_leave WHERE year = 2025").fetchone()
    assert got == (len(employed), sum(entitlement(h, 2025) for _, h in employed),
                   sum(n for (_, y), n in taken.items() if y == 2025))


def test_fact_attendance_overtime_reconciles(source_engine, warehouse):
    """Live claims, hours and approved hours equal the source; the kind is the calendar's."""
    expected = query_rows(source_engine, """
        SELECT count(*), sum(hours), sum(CASE WHEN status = '已批准' THEN hours ELSE 0 END)
        FROM overtime WHERE deleted_at IS NULL""")[0]
    got = warehouse.execute("SELECT count(*), sum(hours), sum(approved_hours) FROM fact_attendance_overtime"
                            ).fetchone()
    assert (got[0], _r1(got[1]), _r1(got[2])) == (expected[0], _r1(expected[1]), _r1(expected[2]))
    mismatch = warehouse.execute("SELECT count(*) FROM fact_attendance_overtime WHERE kind <> claimed_kind"
                                 ).fetchone()[0]
    assert mismatch == 0


def test_fact_attendance_duty_reconciles(source_engine, warehouse):
    """One row per roster unit and day of the roster's span; covered days equal the source's."""
    first, last = (_date(d) for d in query_rows(source_engine, "SELECT min(duty_date), max(duty_date) "
                                                          "FROM duty_roster")[0])
    units = query_rows(source_engine, "SELECT count(*) FROM org_unit WHERE keeps_duty_roster")[0][0]
    covered = query_rows(source_engine, """
        SELECT count(*) FROM (SELECT unit_id, duty_date FROM duty_roster GROUP BY unit_id, duty_date
        HAVING sum(role = '带班领导') > 0 AND sum(role = '值班员') > 0)""")[0][0]
    got = warehouse.execute("SELECT count(*), sum(is_covered::int), sum(leader_count + officer_count) "
                            "FROM fact_attendance_duty").fetchone()
    roster_rows = query_rows(source_engine, "SELECT count(*) FROM duty_roster")[0][0]
    assert got == (units * ((last - first).days + 1), covered, roster_rows)
