"""attendance: the schema refuses inconsistent records; the demo clock data reads like a real one."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import attendance, workday
from models.demo.attendance import entitlement
from models.demo.core import SCALES, DemoContext, Stamps
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

DAY = dt.date(2025, 3, 3)
T0 = dt.datetime(2025, 3, 3, 8, 21)
RECORD = dict(id=1, person_id=1, record_date=DAY, status="正常", check_in_at=T0,
              check_out_at=T0 + dt.timedelta(hours=9, minutes=20), channel="考勤机")
LEAVE = dict(id=1, person_id=1, leave_type="年休假", start_date=DAY, end_date=DAY + dt.timedelta(days=2),
             days=Decimal(3), reason="休年假", status="已批准", submitted_at=T0 - dt.timedelta(days=5),
             approver_id=2, decided_at=T0 - dt.timedelta(days=4))
OVERTIME = dict(id=1, person_id=1, work_date=DAY, hours=Decimal("2.5"), kind="工作日", reason="夜查行动",
                status="已批准", submitted_at=T0 + dt.timedelta(days=1), approver_id=2,
                decided_at=T0 + dt.timedelta(days=1, hours=2))
DUTY = dict(id=1, unit_id=2, duty_date=DAY, role="值班员", person_id=1, phone="13800000000")
ATTENDED = ("正常", "迟到", "早退", "外勤", "出差")


@pytest.fixture
def engine(tmp_path):
    """A database with the org tree, two people and the attendance tables."""
    engine = make_db(tmp_path, *(m.__table__ for m in (
        attendance.AttendanceRecord, attendance.LeaveRequest, attendance.Overtime,
        attendance.DutyRoster)))
    yield engine
    engine.dispose()


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    insert(engine, attendance.AttendanceRecord.__table__, RECORD)
    insert(engine, attendance.AttendanceRecord.__table__,
           {**RECORD, "id": 2, "record_date": DAY + dt.timedelta(days=1), "status": "请假",
            "check_in_at": None, "check_out_at": None, "channel": "系统"})
    insert(engine, attendance.LeaveRequest.__table__, LEAVE)
    insert(engine, attendance.Overtime.__table__, OVERTIME)
    insert(engine, attendance.DutyRoster.__table__, DUTY)
    insert(engine, attendance.DutyRoster.__table__, {**DUTY, "id": 2, "person_id": 2, "role": "带班领导"})


@pytest.mark.parametrize("change", [
    dict(status="病休"), dict(channel="微信"), dict(person_id=99),
    dict(check_out_at=T0 - dt.timedelta(hours=1)),        # out before in
    dict(check_in_at=None),                               # 正常 without a check-in
    dict(status="迟到", check_in_at=None),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_records_are_refused(engine, change):
    """Known statuses and channels, an existing person, punches in order, presence has a check-in."""
    with pytest.raises(IntegrityError):
        insert(engine, attendance.AttendanceRecord.__table__, {**RECORD, **change})


def test_a_second_record_for_the_same_day_is_refused(engine):
    """One record per person and day."""
    insert(engine, attendance.AttendanceRecord.__table__, RECORD)
    with pytest.raises(IntegrityError):
        insert(engine, attendance.AttendanceRecord.__table__, {**RECORD, "id": 2})


@pytest.mark.parametrize("table,row,change", [
    (attendance.LeaveRequest, LEAVE, dict(leave_type="调休假")),
    (attendance.LeaveRequest, LEAVE, dict(end_date=DAY - dt.timedelta(days=1))),
    (attendance.LeaveRequest, LEAVE, dict(days=Decimal(0))),
    (attendance.LeaveRequest, LEAVE, dict(status="已通过")),
    (attendance.LeaveRequest, LEAVE, dict(decided_at=None)),                  # approved, no time
    (attendance.LeaveRequest, LEAVE, dict(approver_id=None)),                 # approved, nobody
    (attendance.LeaveRequest, LEAVE, dict(decided_at=T0 - dt.timedelta(days=6))),
    (attendance.Overtime, OVERTIME, dict(hours=Decimal(0))),
    (attendance.Overtime, OVERTIME, dict(hours=Decimal(25))),
    (attendance.Overtime, OVERTIME, dict(kind="workday")),
    (attendance.Overtime, OVERTIME, dict(status="已驳回", decided_at=None)),
    (attendance.DutyRoster, DUTY, dict(role="值班长")),
    (attendance.DutyRoster, DUTY, dict(unit_id=99)),
], ids=["leave_type", "leave_end_before_start", "leave_zero_days", "leave_status", "leave_no_time",
        "leave_no_approver", "leave_decided_before_asked", "overtime_zero", "overtime_25h",
        "overtime_kind", "overtime_rejected_no_time", "duty_role", "duty_unit"])
def test_inconsistent_leave_overtime_and_duty_are_refused(engine, table, row, change):
    """Leave and overtime: known kinds, positive lengths, decisions recorded; duty: known roles."""
    with pytest.raises(IntegrityError):
        insert(engine, table.__table__, {**row, **change})


def test_fast_insert_writes_what_sqlalchemy_writes(engine):
    """ctx.insert_rows (driver path on SQLite) stores the same text as ctx.insert (SQLAlchemy)."""
    record = attendance.AttendanceRecord.__table__
    cols = ("id", "person_id", "record_date", "status", "check_in_at", "check_out_at", "channel")
    with engine.begin() as conn:
        ctx = DemoContext(conn=conn, seed=1, scale=SCALES["small"], start=DAY, end=DAY)
        ctx.insert(record, [RECORD])
        stamps = Stamps(ctx, [DAY + dt.timedelta(days=1)])
        day = DAY + dt.timedelta(days=1)
        base = stamps.midnight(day)
        ctx.insert_rows(record, cols, [(2, 1, stamps.day(day), "正常",
                                        base + stamps.offset[8 * 3600 + 21 * 60],
                                        base + stamps.offset[17 * 3600 + 41 * 60], "考勤机")])
    a, b = query_rows(engine, "SELECT record_date, check_in_at, check_out_at FROM attendance_record "
                         "ORDER BY id")
    assert a[1:] == ("2025-03-03 08:21:00.000000", "2025-03-03 17:41:00.000000")
    assert b == ("2025-03-04", "2025-03-04 08:21:00.000000", "2025-03-04 17:41:00.000000")


# --- the generated demo data -------------------------------------------------------------------

@pytest.fixture(scope="module")
def people(source_engine) -> dict[int, tuple[dt.date, dt.date | None]]:
    """person id -> (hire_date, leave_date) of the shared source."""
    rows = query_rows(source_engine, "SELECT id, hire_date, leave_date FROM person")
    return {i: (dt.date.fromisoformat(h), dt.date.fromisoformat(lv) if lv else None) for i, h, lv in rows}


@pytest.fixture(scope="module")
def approved_leave(source_engine) -> dict[int, set[dt.date]]:
    """person id -> calendar days under approved, live leave."""
    out: dict[int, set[dt.date]] = defaultdict(set)
    for pid, start, end in query_rows(source_engine, "SELECT person_id, start_date, end_date FROM leave_request "
                                                "WHERE status = '已批准' AND deleted_at IS NULL"):
        out[pid].update(workday.days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)))
    return out


def test_records_fall_on_workdays_of_employed_staff(source_engine, people):
    """Only China workdays (调休 weekends included, holidays excluded), only while employed."""
    rows = query_rows(source_engine, "SELECT DISTINCT record_date FROM attendance_record")
    days = {dt.date.fromisoformat(d) for (d,) in rows}
    assert days and all(workday.is_workday(d) for d in days)
    assert any(d.weekday() >= 5 for d in days)  # a 调休 working weekend
    bad = query_rows(source_engine, """
        SELECT count(*) FROM attendance_record r JOIN person p ON p.id = r.person_id
        WHERE r.record_date < p.hire_date OR (p.leave_date IS NOT NULL AND r.record_date >= p.leave_date)""")
    assert bad[0][0] == 0


def test_attendance_late_and_early_rates_are_realistic(source_engine, people, approved_leave):
    """Attendance 95.5-98.5% of expected days, late ~2%, early leave ~1%, a few unrecorded absences."""
    first, last = (dt.date.fromisoformat(d) for d in query_rows(
        source_engine, "SELECT min(record_date), max(record_date) FROM attendance_record")[0])
    wds = workday.workdays(first, last)
    expected = sum(1 for hire, left in people.values() for d in wds
                   if hire <= d and (left is None or d < left))
    status = dict(query_rows(source_engine, "SELECT status, count(*) FROM attendance_record GROUP BY status"))
    recorded = {(p, dt.date.fromisoformat(d)) for p, d in query_rows(
        source_engine, "SELECT person_id, record_date FROM attendance_record")}
    unrecorded_absence = sum(1 for pid, (hire, left) in people.items() for d in wds
                             if hire <= d and (left is None or d < left) and (pid, d) not in recorded
                             and d not in approved_leave.get(pid, ()))
    attended = sum(status.get(s, 0) for s in ATTENDED)
    assert 0.955 <= attended / expected <= 0.985
    assert 0.012 <= status["迟到"] / attended <= 0.03
    assert 0.005 <= status["早退"] / attended <= 0.015
    assert 0 < unrecorded_absence / expected < 0.01


def test_no_one_is_clocked_at_work_on_approved_leave(source_engine, approved_leave):
    """Approved leave days carry a 请假 record or none at all, never a presence."""
    rows = query_rows(source_engine, "SELECT person_id, record_date, status FROM attendance_record "
                                "WHERE status <> '请假'")
    assert not [r for r in rows if dt.date.fromisoformat(r[1]) in approved_leave.get(r[0], ())]
    leave_records = query_rows(source_engine, "SELECT person_id, record_date FROM attendance_record "
                                         "WHERE status = '请假'")
    assert leave_records
    assert all(dt.date.fromisoformat(d) in approved_leave.get(p, ()) for p, d in leave_records)


def test_annual_leave_stays_within_entitlement(source_engine, people):
    """Approved 年休假 workdays per person and year never exceed the entitlement by service."""
    taken: dict[tuple[int, int], int] = defaultdict(int)
    for pid, start, end in query_rows(source_engine, "SELECT person_id, start_date, end_date FROM leave_request "
                                                "WHERE leave_type = '年休假' AND status = '已批准' "
                                                "AND deleted_at IS NULL"):
        for d in workday.workdays(dt.date.fromisoformat(start), dt.date.fromisoformat(end)):
            taken[pid, d.year] += 1
    assert taken
    assert all(n <= entitlement(people[pid][0], year) for (pid, year), n in taken.items())
    used = sum(taken.values()) / sum(entitlement(h, 2025) for h, left in people.values()
                                     if left is None or left.year > 2025)
    assert 0.35 <= used <= 0.8


def test_leave_decisions_and_withdrawals(source_engine):
    """Most requests approved, a few rejected or withdrawn, some drafts soft-deleted; every type used."""
    rows = query_rows(source_engine, "SELECT status, count(*) FROM leave_request WHERE deleted_at IS NULL "
                                "GROUP BY status")
    n = dict(rows)
    total = sum(n.values())
    assert 0.85 <= n["已批准"] / total <= 0.97 and 0.01 <= n["已驳回"] / total <= 0.06
    assert query_rows(source_engine, "SELECT count(*) FROM leave_request WHERE deleted_at IS NOT NULL")[0][0] > 0
    types = {t for (t,) in query_rows(source_engine, "SELECT DISTINCT leave_type FROM leave_request")}
    assert {"年休假", "病假", "事假"} <= types


def test_overtime_kind_follows_the_calendar(source_engine):
    """工作日 / 休息日 / 节假日 as the China calendar says for the day worked; all three occur."""
    rows = query_rows(source_engine, "SELECT work_date, kind, hours FROM overtime")
    calendar = {"workday": "工作日", "adjusted_workday": "工作日", "weekend": "休息日", "holiday": "节假日"}
    assert all(calendar[workday.day_kind(dt.date.fromisoformat(d))] == k for d, k, _ in rows)
    assert {k for _, k, _ in rows} == set(attendance.OVERTIME_KINDS)
    assert all(0 < float(h) <= 12 for _, _, h in rows)


def test_duty_is_kept_by_unit_members_with_a_few_gaps(source_engine):
    """Rostered people belonged to the unit that day; where a unit can staff it, both roles are
    covered on nearly every day, with a few gaps."""
    rows = query_rows(source_engine, """
        SELECT d.unit_id, d.duty_date, d.role,
               (SELECT h.unit_id FROM person_history h WHERE h.person_id = d.person_id
                AND h.effective_date <= d.duty_date ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
        FROM duty_roster d""")
    assert rows and all(unit == home for unit, _, _, home in rows)
    roles: dict[tuple[int, str], set[str]] = defaultdict(set)
    for unit, day, role, _ in rows:
        roles[unit, day].add(role)
    covered = sum(1 for r in roles.values() if r == {"带班领导", "值班员"})
    assert 0.9 <= covered / len(roles) < 1.0
