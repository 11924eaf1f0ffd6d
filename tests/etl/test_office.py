"""office in the warehouse: every fact reconciles with the source, the checks run in DuckDB."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from models import office
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.etl.work_time import as_datetime, workdays_between

TABLES = [office.OfficeDocument.__table__, office.OfficeDocumentStep.__table__,
          office.OfficeNotice.__table__, office.OfficeNoticeRead.__table__,
          office.OfficeMeetingRoom.__table__, office.OfficeRoomBooking.__table__,
          office.OfficeSupervisionTask.__table__, office.OfficeSharedFile.__table__,
          office.OfficeFileDownload.__table__, office.OfficePartyBranch.__table__,
          office.OfficePartyActivity.__table__]


def _source(engine, sql: str) -> tuple:
    """The single row of a query on the source."""
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/office.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("office", TABLES) > 50


def test_no_office_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of office is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'office%'"
                             ).fetchone()[0] == 0


# (fact, its count and key sums, the same from the source over live rows)
RECONCILE = [
    ("fact_office_document",
     "SELECT count(*), sum(copies), sum(is_finished::int) FROM fact_office_document",
     "SELECT count(*), sum(copies), count(finished_at) FROM office_document WHERE deleted_at IS NULL"),
    ("fact_office_document_step",
     "SELECT count(*), sum(step_no), sum(is_finished::int) FROM fact_office_document_step",
     """SELECT count(*), sum(s.step_no), count(s.finished_at) FROM office_document_step s
        JOIN office_document d ON d.id = s.document_id WHERE d.deleted_at IS NULL"""),
    ("fact_office_notice_read",
     "SELECT count(*), sum(is_read::int), sum(person_id) FROM fact_office_notice_read",
     """SELECT count(*), count(r.read_at), sum(r.person_id) FROM office_notice_read r
        JOIN office_notice n ON n.id = r.notice_id WHERE n.deleted_at IS NULL"""),
    ("fact_office_room_booking",
     """SELECT count(*), sum(is_cancelled::int), sum(is_no_show::int),
               round(sum(booked_hours) filter (where not is_cancelled), 2)
        FROM fact_office_room_booking""",
     """SELECT count(*), count(cancelled_at), sum(cancelled_at IS NULL AND checked_in_at IS NULL),
               round(sum(CASE WHEN cancelled_at IS NULL THEN
                   (julianday(end_at) - julianday(start_at)) * 24 END), 2)
        FROM office_room_booking WHERE deleted_at IS NULL"""),
    ("fact_office_supervision",
     """SELECT count(*), sum(rework_count), sum(has_extension::int), sum(is_on_time::int)
        FROM fact_office_supervision""",
     """SELECT count(*), sum(rework_count), count(extended_deadline_date),
               sum(closed_at IS NOT NULL AND
                   date(feedback_at) <= coalesce(extended_deadline_date, deadline_date))
        FROM office_supervision_task WHERE deleted_at IS NULL"""),
    ("fact_office_download",
     "SELECT count(*), sum(person_id) FROM fact_office_download",
     """SELECT count(*), sum(d.person_id) FROM office_file_download d
        JOIN office_shared_file f ON f.id = d.file_id WHERE f.deleted_at IS NULL"""),
    ("fact_office_party_activity",
     "SELECT count(*), sum(member_count), sum(attendee_count) FROM fact_office_party_activity",
     "SELECT count(*), sum(member_count), sum(attendee_count) FROM office_party_activity "
     "WHERE deleted_at IS NULL"),
    ("dim_office_room",
     "SELECT count(*), sum(capacity) FROM dim_office_room",
     "SELECT count(*), sum(capacity) FROM office_meeting_room"),
]


@pytest.mark.parametrize("fact,warehouse_sql,source_sql", RECONCILE, ids=[r[0] for r in RECONCILE])
def test_fact_reconciles_with_the_source(source_engine, warehouse, fact, warehouse_sql, source_sql):
    """Row count and key sums of the fact equal those computed from the live source rows."""
    got = tuple(float(v) if v is not None else None for v in warehouse.execute(warehouse_sql).fetchone())
    expected = tuple(float(v) if v is not None else None for v in _source(source_engine, source_sql))
    assert got[0] > 0
    assert got == pytest.approx(expected)


def test_document_cycle_is_working_time_between_registration_and_finish(source_engine, warehouse):
    """cycle_workdays equals 09:00-18:00 working time on China workdays, computed here in Python."""
    with source_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, registered_at, finished_at FROM office_document "
                                 "WHERE deleted_at IS NULL AND finished_at IS NOT NULL")).all()
    expected = {i: round(workdays_between(as_datetime(a), as_datetime(b)), 2) for i, a, b in rows}
    got = dict(warehouse.execute("SELECT document_id, cycle_workdays FROM fact_office_document "
                                 "WHERE is_finished").fetchall())
    assert got.keys() == expected.keys()
    assert all(abs(float(got[i]) - expected[i]) < 0.011 for i in expected)


def test_every_fact_row_has_its_unit(warehouse):
    """unit_id is filled on every office fact (scope filters rely on it)."""
    for fact in ("fact_office_document", "fact_office_document_step", "fact_office_notice_read",
                 "fact_office_room_booking", "fact_office_supervision", "fact_office_download",
                 "fact_office_party_activity"):
        assert warehouse.execute(f"SELECT count(*) FROM {fact} WHERE unit_id IS NULL"
                                 ).fetchone()[0] == 0, fact
