"""Marts refreshed by key: an incremental run redoes only the people whose rows changed, and its
warehouse equals a fresh full build; a change of what every key depends on rebuilds the mart whole."""
from __future__ import annotations

import sqlite3

import duckdb

from etl import transform
from etl.run import published_path, run
from tests.support import differences, settings_for

ATTENDANCE_MARTS = ("fact_attendance_day", "fact_attendance_annual_leave")
# The marts redone when the five busiest tables change (as in bench/etl.py).
BUSY_MARTS = ATTENDANCE_MARTS + ("fact_attendance_duty", "fact_identity_login", "fact_identity_account",
                                 "fact_office_notice_read", "fact_portal_view", "fact_portal_article")


def _source(url: str) -> sqlite3.Connection:
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def _same_as_fresh_full(url: str, settings, tmp_path) -> list[str]:
    fresh = settings_for(url, tmp_path / "fresh")
    run(fresh, full=True)
    return differences(published_path(settings), published_path(fresh))


def test_the_attendance_marts_declare_their_key():
    """The day mart is keyed on person and day (a record's day, every day of a leave request), the
    annual mart on person alone, both by the clock records and the leave requests."""
    day = transform.incremental(transform.SQL_DIR / "marts" / "fact_attendance_day.sql")
    assert day.key == ("person_id", "date_day") and day.guard
    assert {(s.table, s.column, s.day) for s in day.sources} == {
        ("attendance_record", "person_id", "record_date"), ("leave_request", "person_id", "start_date..end_date")}
    assert ("records", ("person_id", "record_date")) in day.filters
    annual = transform.incremental(transform.SQL_DIR / "marts" / "fact_attendance_annual_leave.sql")
    assert annual.key == ("person_id",) and annual.guard
    assert {(s.table, s.column, s.day) for s in annual.sources} == {
        ("attendance_record", "person_id", None), ("leave_request", "person_id", None)}


def test_changed_records_refresh_only_their_people_and_equal_a_full_build(source_copy, tmp_path):
    """A record changes status, another moves to a different person (the old owner's day must be
    redone too), an approved leave is withdrawn and another changes its type."""
    settings = settings_for(source_copy, tmp_path / "inc")
    run(settings, full=True)
    # A record on a workday, given to someone who has no record that day: both people's day rows
    # change, and the old owner's only if its old key is known.
    with duckdb.connect(str(published_path(settings)), read_only=True) as wh:
        record, old_owner, new_owner = wh.execute(
            "SELECT a.attendance_record_id, a.person_id, b.person_id FROM fact_attendance_day a "
            "JOIN fact_attendance_day b ON b.date_day = a.date_day AND b.attendance_record_id IS NULL "
            "AND b.person_id <> a.person_id WHERE a.attendance_record_id IS NOT NULL "
            "ORDER BY a.attendance_record_id, b.person_id LIMIT 1").fetchone()
    db = _source(source_copy)
    db.execute("UPDATE attendance_record SET person_id = ? WHERE id = ?", [new_owner, record])
    # The other changes belong to other people, so nothing else refreshes the old owner.
    others = "person_id NOT IN (?, ?)"
    db.execute("UPDATE attendance_record SET status = '迟到' WHERE id = (SELECT min(id) FROM "
               f"attendance_record WHERE status = '正常' AND {others})", [old_owner, new_owner])
    db.execute("UPDATE leave_request SET status = '已撤销' WHERE id = (SELECT min(id) FROM leave_request "
               f"WHERE status = '已批准' AND {others})", [old_owner, new_owner])
    db.execute("UPDATE leave_request SET leave_type = CASE leave_type WHEN '年休假' THEN '事假' ELSE '年休假' "
               f"END WHERE id = (SELECT max(id) FROM leave_request WHERE status = '已批准' AND {others})",
               [old_owner, new_owner])
    # The other busy tables: a login changes client, a duty swaps role, a notice is read, a view
    # moves to another article.
    db.execute("UPDATE login_event SET channel = CASE channel WHEN 'PC' THEN '京办' ELSE 'PC' END "
               "WHERE id IN (3, 50)")
    db.execute("UPDATE duty_roster SET role = CASE role WHEN '值班员' THEN '带班领导' ELSE '值班员' END "
               "WHERE id = 7")
    db.execute("UPDATE office_notice_read SET read_at = datetime((SELECT published_at FROM office_notice n "
               "WHERE n.id = notice_id), '+2 hours'), read_channel = '执法城管通' WHERE id = (SELECT min(id) "
               "FROM office_notice_read WHERE read_at IS NULL)")
    db.execute("UPDATE portal_article_view SET article_id = (SELECT min(article_id) FROM portal_article_view) "
               "WHERE id = (SELECT max(id) FROM portal_article_view)")
    db.commit()
    db.close()
    result = run(settings)
    assert {m: result.rebuilt.get(m) for m in BUSY_MARTS} == dict.fromkeys(BUSY_MARTS, "refreshed")
    assert _same_as_fresh_full(source_copy, settings, tmp_path) == []


def test_a_record_past_the_coverage_rebuilds_the_marts_whole(source_copy, tmp_path):
    """A clock record on a new last day adds that day for everybody: the guard sees the coverage
    move and the marts are rebuilt, not refreshed."""
    settings = settings_for(source_copy, tmp_path / "inc")
    run(settings, full=True)
    db = _source(source_copy)
    db.execute("UPDATE attendance_record SET record_date = date(record_date, '+7 days'), "
               "check_in_at = datetime(check_in_at, '+7 days'), check_out_at = datetime(check_out_at, "
               "'+7 days') WHERE id = (SELECT id FROM attendance_record ORDER BY record_date DESC, id "
               "LIMIT 1)")
    db.commit()
    db.close()
    result = run(settings)
    assert {m: result.rebuilt.get(m) for m in ATTENDANCE_MARTS} == dict.fromkeys(ATTENDANCE_MARTS, "rebuilt")
    assert _same_as_fresh_full(source_copy, settings, tmp_path) == []


def test_moved_days_refresh_both_days_and_equal_a_full_build(source_copy, tmp_path):
    """Marts keyed on a key and a day: a clock record moved to another workday, an approved leave
    moved and lengthened, and a duty moved to another day each redo the old days and the new ones."""
    settings = settings_for(source_copy, tmp_path / "inc")
    run(settings, full=True)
    db = _source(source_copy)
    # A record moved a week later, within the coverage: its old day turns into 旷工 or 请假.
    db.execute("UPDATE attendance_record SET record_date = date(record_date, '+7 days'), "
               "check_in_at = datetime(check_in_at, '+7 days'), check_out_at = datetime(check_out_at, "
               "'+7 days') WHERE id = (SELECT min(a.id) FROM attendance_record a WHERE a.record_date < "
               "(SELECT date(max(record_date), '-30 days') FROM attendance_record) AND NOT EXISTS "
               "(SELECT 1 FROM attendance_record b WHERE b.person_id = a.person_id AND "
               "b.record_date = date(a.record_date, '+7 days')))")
    # An approved leave moved three days later and made two days longer.
    db.execute("UPDATE leave_request SET start_date = date(start_date, '+3 days'), "
               "end_date = date(end_date, '+5 days') WHERE id = (SELECT min(id) FROM leave_request "
               "WHERE status = '已批准')")
    # A duty moved to the next day.
    db.execute("UPDATE duty_roster SET duty_date = date(duty_date, '+1 day') WHERE id = "
               "(SELECT min(id) FROM duty_roster WHERE duty_date < (SELECT max(duty_date) FROM duty_roster))")
    db.commit()
    db.close()
    result = run(settings)
    refreshed = ("fact_attendance_day", "fact_attendance_duty", "fact_attendance_annual_leave")
    assert {m: result.rebuilt.get(m) for m in refreshed} == dict.fromkeys(refreshed, "refreshed")
    assert _same_as_fresh_full(source_copy, settings, tmp_path) == []
