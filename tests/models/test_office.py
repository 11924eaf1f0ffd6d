"""office: the schema refuses inconsistent records; the demo office data is consistent and realistic."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from models import office, workday
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
HOUR = dt.timedelta(hours=1)
ROWS = {
    "office_document": dict(
        id=1, direction="收文", kind="通知", urgency="平件", secrecy="非密", doc_no="京政办发〔2025〕1号",
        title="关于开展检查的通知", source_org="北京市人民政府办公厅", unit_id=2, registrar_id=1,
        registered_at=T0, deadline_date=dt.date(2025, 3, 14), finished_at=T0 + 30 * HOUR,
        status="已办结", copies=1),
    "office_document_step": dict(
        id=1, document_id=1, step_no=1, step_name="签收", handler_id=1, unit_id=2, started_at=T0,
        finished_at=T0 + HOUR),
    "office_notice": dict(
        id=1, level="局通知", title="通知", unit_id=1, publisher_id=1, target_unit_id=1,
        audience="负责人", published_at=T0, requires_receipt=True),
    "office_notice_read": dict(id=1, notice_id=1, person_id=2, unit_id=2, read_at=T0 + HOUR,
                               read_channel="执法城管通"),
    "office_meeting_room": dict(id=1, name="第一会议室", unit_id=1, location="2层", capacity=80,
                                has_video=True, opened_date=dt.date(2020, 1, 1), is_active=True),
    "office_room_booking": dict(
        id=1, room_id=1, booked_by=1, unit_id=2, title="例会", booked_at=T0 - 24 * HOUR,
        start_at=T0, end_at=T0 + 2 * HOUR, attendee_count=20, checked_in_at=T0, cancelled_at=None),
    "office_supervision_task": dict(
        id=1, task_no="DB2025001", source="领导批示", title="落实批示", lead_unit_id=2, assigned_by=1,
        assigned_at=T0, deadline_date=dt.date(2025, 3, 14), extended_deadline_date=None,
        extension_reason=None, feedback_at=T0 + 50 * HOUR, closed_at=T0 + 60 * HOUR,
        status="已办结", rework_count=0),
    "office_shared_file": dict(id=1, title="规范", category="制度规范", file_ext="pdf", size_kb=300,
                               unit_id=2, uploader_id=1, uploaded_at=T0),
    "office_file_download": dict(id=1, file_id=1, person_id=2, downloaded_at=T0 + HOUR),
    "office_party_branch": dict(id=1, name="办公室党支部", unit_id=2, secretary_id=1,
                                founded_date=dt.date(2010, 7, 1), member_count=12),
    "office_party_activity": dict(
        id=1, branch_id=1, kind="主题党日", title="学习", held_at=T0, duration_minutes=90,
        member_count=12, expected_count=12, attendee_count=11),
}
TABLES = {t.name: t for t in (
    office.OfficeDocument.__table__, office.OfficeDocumentStep.__table__,
    office.OfficeNotice.__table__, office.OfficeNoticeRead.__table__,
    office.OfficeMeetingRoom.__table__, office.OfficeRoomBooking.__table__,
    office.OfficeSupervisionTask.__table__, office.OfficeSharedFile.__table__,
    office.OfficeFileDownload.__table__, office.OfficePartyBranch.__table__,
    office.OfficePartyActivity.__table__)}
BAD = [
    ("office_document", dict(kind="便函")),
    ("office_document", dict(direction="转发")),
    ("office_document", dict(urgency="急")),
    ("office_document", dict(secrecy="绝密")),
    ("office_document", dict(finished_at=T0 - HOUR)),
    ("office_document", dict(status="办理中")),                  # finished but still open
    ("office_document", dict(finished_at=None)),                # 已办结 without a time
    ("office_document", dict(source_org=None)),                 # 收文 without a sender
    ("office_document", dict(copies=-1)),
    ("office_document", dict(unit_id=99)),
    ("office_document_step", dict(step_name="盖章")),
    ("office_document_step", dict(step_no=0)),
    ("office_document_step", dict(finished_at=T0 - HOUR)),
    ("office_document_step", dict(document_id=99)),
    ("office_notice", dict(level="科室通知")),
    ("office_notice", dict(audience="群众")),
    ("office_notice_read", dict(read_channel=None)),            # read, but on no client
    ("office_notice_read", dict(read_at=None)),                 # a client, but never read
    ("office_notice_read", dict(person_id=99)),
    ("office_meeting_room", dict(capacity=0)),
    ("office_room_booking", dict(end_at=T0)),                   # ends when it starts
    ("office_room_booking", dict(attendee_count=0)),
    ("office_room_booking", dict(cancelled_at=T0 - HOUR)),      # cancelled and checked in
    ("office_room_booking", dict(checked_in_at=T0 + 3 * HOUR)),  # checked in after the end
    ("office_supervision_task", dict(source="微博")),
    ("office_supervision_task", dict(extended_deadline_date=dt.date(2025, 3, 10))),
    ("office_supervision_task", dict(feedback_at=T0 - HOUR)),
    ("office_supervision_task", dict(feedback_at=None)),        # closed without feedback
    ("office_supervision_task", dict(status="办理中")),           # closed but open
    ("office_supervision_task", dict(closed_at=None)),          # 已办结 without a time
    ("office_supervision_task", dict(rework_count=-1)),
    ("office_shared_file", dict(category="其他")),
    ("office_shared_file", dict(size_kb=-5)),
    ("office_file_download", dict(file_id=99)),
    ("office_party_branch", dict(member_count=-1)),
    ("office_party_activity", dict(kind="联欢会")),
    ("office_party_activity", dict(attendee_count=13)),         # more than expected
    ("office_party_activity", dict(expected_count=13)),         # more than members
    ("office_party_activity", dict(duration_minutes=0)),
]


@pytest.fixture
def engine():
    """A fresh in-memory database with the org tree, two people and this module's tables."""
    engine = make_db(*TABLES.values())
    yield engine
    engine.dispose()


def _insert_all(engine, until: str | None = None) -> None:
    """The reference rows in dependency order, stopping before table until."""
    for name, row in ROWS.items():
        if name == until:
            return
        insert(engine, TABLES[name], row)


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    _insert_all(engine)


@pytest.mark.parametrize("table,change", BAD, ids=lambda v: v if isinstance(v, str) else ",".join(v))
def test_inconsistent_rows_are_refused(engine, table, change):
    """Unknown kinds and states, timelines that run backwards, impossible counts, dangling keys."""
    _insert_all(engine, until=table)
    with pytest.raises(IntegrityError):
        insert(engine, TABLES[table], {**ROWS[table], **change})


UNIT_ON = """(SELECT h.unit_id FROM person_history h WHERE h.person_id = {who}
              AND h.effective_date <= date({at}) ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)"""
EMPLOYED = "(p.hire_date <= date({at}) AND (p.leave_date IS NULL OR p.leave_date > date({at})))"


def test_step_handlers_were_employed_in_the_recorded_unit(source_engine):
    """Each step's handler worked, on the day it started, in the unit the step records."""
    (bad, total), = query_rows(source_engine, f"""
        SELECT sum(NOT {EMPLOYED.format(at='s.started_at')}
                   OR s.unit_id <> {UNIT_ON.format(who='s.handler_id', at='s.started_at')}),
               count(*)
        FROM office_document_step s JOIN person p ON p.id = s.handler_id""")
    assert total > 1000 and bad == 0


def test_workflows_follow_the_realistic_sequences(source_engine):
    """收文 start with 签收 and 发文 with 拟稿, steps in time order; finished documents finished
    their 办结 (收文) or 分发 (发文) step at finished_at."""
    firsts = dict(query_rows(source_engine, """
        SELECT d.direction, group_concat(DISTINCT s.step_name) FROM office_document d
        JOIN office_document_step s ON s.document_id = d.id AND s.step_no = 1 GROUP BY d.direction"""))
    assert firsts == {"收文": "签收", "发文": "拟稿"}
    (backwards,), = query_rows(source_engine, """
        SELECT count(*) FROM office_document_step a JOIN office_document_step b
        ON b.document_id = a.document_id AND b.step_no = a.step_no + 1
        WHERE a.finished_at IS NULL OR b.started_at < a.finished_at""")
    assert backwards == 0
    (mismatch,), = query_rows(source_engine, """
        SELECT count(*) FROM office_document d WHERE d.finished_at IS NOT NULL AND d.finished_at <>
        (SELECT s.finished_at FROM office_document_step s WHERE s.document_id = d.id
         AND s.step_name = CASE d.direction WHEN '收文' THEN '办结' ELSE '分发' END)""")
    assert mismatch == 0
    sequences = {"收文": office.INCOMING_STEPS, "发文": office.OUTGOING_STEPS}
    for direction, names in query_rows(source_engine, """
            SELECT direction, group_concat(step_name, ',') FROM (SELECT d.direction, document_id,
            step_name FROM office_document_step s JOIN office_document d ON d.id = s.document_id
            ORDER BY document_id, step_no) GROUP BY document_id, direction"""):
        ranks = [sequences[direction].index(n) for n in names.split(",")]
        assert ranks == sorted(ranks), names


def test_document_mix_and_lateness_are_realistic(source_engine):
    """Mostly 通知 and 函; a bureau never issues 决议/命令/公报/议案; 3-15% of documents with a
    deadline finish after it; most are finished by the as-of date."""
    kinds = dict(query_rows(source_engine, "SELECT kind, count(*) FROM office_document "
                                      "WHERE direction = '收文' GROUP BY kind"))
    assert sorted(kinds, key=kinds.get)[-2:] == ["函", "通知"]
    issued = {k for (k,) in query_rows(source_engine, "SELECT DISTINCT kind FROM office_document "
                                                 "WHERE direction = '发文'")}
    assert not issued & {"决议", "命令", "公报", "议案"}
    (late, due, open_, total), = query_rows(source_engine, """
        SELECT sum(date(finished_at) > deadline_date), sum(deadline_date IS NOT NULL AND
               finished_at IS NOT NULL), sum(finished_at IS NULL), count(*) FROM office_document""")
    assert 0.03 < late / due < 0.15
    assert open_ < 0.05 * total


def test_bookings_do_not_overlap_and_sit_in_office_hours(source_engine):
    """Live bookings of a room never overlap; all are 08:30-17:30 on workdays; 2-10% no-shows and
    3-12% cancellations."""
    (overlaps,), = query_rows(source_engine, """
        SELECT count(*) FROM office_room_booking a JOIN office_room_booking b
        ON b.room_id = a.room_id AND b.id > a.id AND b.start_at < a.end_at AND a.start_at < b.end_at
        WHERE a.cancelled_at IS NULL AND b.cancelled_at IS NULL""")
    assert overlaps == 0
    rows = query_rows(source_engine, "SELECT start_at, end_at, checked_in_at, cancelled_at "
                                "FROM office_room_booking")
    for start, end, _, _ in rows:
        start, end = (dt.datetime.fromisoformat(str(v)) for v in (start, end))
        assert workday.is_workday(start.date()) and start.date() == end.date()
        assert dt.time(8, 30) <= start.time() and end.time() <= dt.time(17, 30)
    cancelled = sum(r[3] is not None for r in rows)
    no_show = sum(r[2] is None and r[3] is None for r in rows)
    assert 0.03 < cancelled / len(rows) < 0.12
    assert 0.02 < no_show / (len(rows) - cancelled) < 0.10


def test_notices_reach_active_staff_and_most_read_them(source_engine):
    """Recipients were employed on the publication day, in the unit recorded; 85-99% read."""
    (bad, read, total), = query_rows(source_engine, f"""
        SELECT sum(NOT {EMPLOYED.format(at='n.published_at')}
                   OR r.unit_id <> {UNIT_ON.format(who='r.person_id', at='n.published_at')}),
               count(r.read_at), count(*)
        FROM office_notice_read r JOIN office_notice n ON n.id = r.notice_id
        JOIN person p ON p.id = r.person_id""")
    assert bad == 0 and 0.85 < read / total < 0.99


def test_supervision_meets_the_usual_targets(source_engine):
    """Of closed tasks 85-97% fed back by the deadline in force; 2-15% extended; some open."""
    (on_time, closed, extended, total, open_), = query_rows(source_engine, """
        SELECT sum(closed_at IS NOT NULL AND
                   date(feedback_at) <= coalesce(extended_deadline_date, deadline_date)),
               count(closed_at), count(extended_deadline_date), count(*), sum(closed_at IS NULL)
        FROM office_supervision_task WHERE deleted_at IS NULL""")
    assert 0.85 < on_time / closed < 0.97
    assert 0.02 < extended / total < 0.15
    assert open_ > 0


def test_party_activities_are_attended_by_most_members(source_engine):
    """Branch meetings (not committee meetings) gather 80-97% of the members present that day."""
    (attended, members), = query_rows(source_engine, """
        SELECT sum(attendee_count), sum(member_count) FROM office_party_activity
        WHERE kind <> '支部委员会'""")
    assert 0.8 < attended / members < 0.97


def test_downloads_follow_uploads_by_employed_staff(source_engine):
    """Nobody downloads a file before it is uploaded or while not employed."""
    (bad,), = query_rows(source_engine, f"""
        SELECT count(*) FROM office_file_download d
        JOIN office_shared_file f ON f.id = d.file_id JOIN person p ON p.id = d.person_id
        WHERE d.downloaded_at < f.uploaded_at OR NOT {EMPLOYED.format(at='d.downloaded_at')}""")
    assert bad == 0
