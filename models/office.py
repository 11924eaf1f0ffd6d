"""office (行政办公平台): 公文, notices, meeting rooms, 督查督办, shared files and 机关党建."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

DIRECTIONS = ("收文", "发文")
# 《党政机关公文处理工作条例》 第8条: the 15 kinds of official documents.
DOCUMENT_KINDS = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告",
                  "请示", "批复", "议案", "函", "纪要")
URGENCIES = ("特急", "加急", "平件")
SECRECY = ("非密", "秘密", "机密")
DOCUMENT_STATES = ("办理中", "已办结")
# Realistic OA sequences (domain_facts.md section 6); 会签 and 催办 happen only to some documents.
OUTGOING_STEPS = ("拟稿", "核稿", "办公室审核", "会签", "签发", "复核", "编号登记", "缮印", "校对",
                  "用印", "分发", "归档")
INCOMING_STEPS = ("签收", "登记", "初审", "拟办", "批办", "承办", "传阅", "催办", "办结", "归档")
STEP_NAMES = OUTGOING_STEPS + tuple(s for s in INCOMING_STEPS if s not in OUTGOING_STEPS)
# 局通知 come from the bureau, 处室通知 from a department, 区局通知 from a district bureau.
NOTICE_LEVELS = ("局通知", "处室通知", "区局通知")
AUDIENCES = ("全体人员", "负责人")
READ_CHANNELS = ("PC", "执法城管通", "京办")
SUPERVISION_SOURCES = ("市委市政府交办", "局党组会议", "局长办公会", "领导批示", "人大建议政协提案",
                       "12345市民热线", "媒体反映", "专项督查")
SUPERVISION_STATES = ("办理中", "已反馈", "已办结")
FILE_CATEGORIES = ("制度规范", "业务资料", "培训课件", "表格模板", "会议材料")
# 三会一课 plus 主题党日 and the yearly 组织生活会 / 民主评议党员.
PARTY_ACTIVITY_KINDS = ("支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会",
                        "民主评议党员")


class OfficeDocument(Base, SoftDelete):
    """An official document (公文) received (收文) or issued (发文) by a unit."""

    __tablename__ = "office_document"
    __table_args__ = (
        check("finished_at IS NULL OR finished_at >= registered_at", "finished_after_registered"),
        check("(status = '已办结' AND finished_at IS NOT NULL) OR "
              "(status = '办理中' AND finished_at IS NULL)", "finished_iff_status"),
        # 来文单位 is what identifies a received document; an issued one is ours.
        check("direction = '发文' OR source_org IS NOT NULL", "incoming_has_source"),
        check("copies >= 0", "copies_nonneg"),
    )

    direction: Mapped[str] = mapped_column(enum(*DIRECTIONS, name="office_document_direction"))
    kind: Mapped[str] = mapped_column(enum(*DOCUMENT_KINDS, name="office_document_kind"))
    urgency: Mapped[str] = mapped_column(enum(*URGENCIES, name="office_document_urgency"))
    secrecy: Mapped[str] = mapped_column(enum(*SECRECY, name="office_document_secrecy"))
    # 发文字号 such as 京城管发〔2025〕12号; received documents keep the sender's number.
    doc_no: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    source_org: Mapped[str | None] = mapped_column(String(100))
    # 承办 unit of a received document, drafting unit of an issued one.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    registrar_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # 办理时限; documents for information only (阅知件) have none.
    deadline_date: Mapped[dt.date | None] = mapped_column(Date)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(enum(*DOCUMENT_STATES, name="office_document_status"))
    copies: Mapped[int] = mapped_column(Integer, default=0)


class OfficeDocumentStep(Base):
    """One step of a document's workflow, handled by one person of one unit."""

    __tablename__ = "office_document_step"
    __table_args__ = (
        UniqueConstraint("document_id", "step_no"),
        check("step_no >= 1", "step_no_positive"),
        check("finished_at IS NULL OR finished_at >= started_at", "finished_after_started"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("office_document.id"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(enum(*STEP_NAMES, name="office_step_name"))
    handler_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The handler's unit when the step was done (处室 staff move; the record must not).
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OfficeNotice(Base, SoftDelete):
    """A notice (通知) of the bureau, a department or a district bureau to a set of staff."""

    __tablename__ = "office_notice"

    level: Mapped[str] = mapped_column(enum(*NOTICE_LEVELS, name="office_notice_level"))
    title: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Recipients are the audience inside the subtree of target_unit_id on the publication day.
    target_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    audience: Mapped[str] = mapped_column(enum(*AUDIENCES, name="office_notice_audience"))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime)
    requires_receipt: Mapped[bool] = mapped_column(Boolean, default=False)


class OfficeNoticeRead(Base):
    """One intended recipient of a notice, with the time and client of the first reading."""

    __tablename__ = "office_notice_read"
    __table_args__ = (
        UniqueConstraint("notice_id", "person_id"),
        check("(read_at IS NULL AND read_channel IS NULL) OR "
              "(read_at IS NOT NULL AND read_channel IS NOT NULL)", "channel_iff_read"),
    )

    notice_id: Mapped[int] = mapped_column(ForeignKey("office_notice.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The recipient's unit when the notice went out.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    read_channel: Mapped[str | None] = mapped_column(
        enum(*READ_CHANNELS, name="office_read_channel"))


class OfficeMeetingRoom(Base):
    """A bookable meeting room owned by a unit."""

    __tablename__ = "office_meeting_room"
    __table_args__ = (check("capacity > 0", "capacity_positive"),)

    name: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    location: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int] = mapped_column(Integer)
    has_video: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_date: Mapped[dt.date] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class OfficeRoomBooking(Base, SoftDelete):
    """A booking of a room; cancelled_at marks a cancelled one, checked_in_at a used one."""

    __tablename__ = "office_room_booking"
    __table_args__ = (
        check("end_at > start_at", "end_after_start"),
        check("attendee_count > 0", "attendee_count_positive"),
        check("cancelled_at IS NULL OR checked_in_at IS NULL", "cancelled_not_checked_in"),
        check("cancelled_at IS NULL OR cancelled_at <= end_at", "cancelled_before_end"),
        check("checked_in_at IS NULL OR checked_in_at <= end_at", "checked_in_before_end"),
    )

    room_id: Mapped[int] = mapped_column(ForeignKey("office_meeting_room.id"), index=True)
    booked_by: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The booker's unit at booking time: utilisation is reported per booking unit too.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    booked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attendee_count: Mapped[int] = mapped_column(Integer)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class OfficeSupervisionTask(Base, SoftDelete):
    """A 督查督办 task: assigned to a lead unit with a deadline, maybe extended, fed back, closed."""

    __tablename__ = "office_supervision_task"
    __table_args__ = (
        check("extended_deadline_date IS NULL OR extended_deadline_date > deadline_date",
              "extension_later"),
        check("feedback_at IS NULL OR feedback_at >= assigned_at", "feedback_after_assigned"),
        check("closed_at IS NULL OR (feedback_at IS NOT NULL AND closed_at >= feedback_at)",
              "closed_after_feedback"),
        check("(status = '办理中' AND feedback_at IS NULL AND closed_at IS NULL) OR "
              "(status = '已反馈' AND feedback_at IS NOT NULL AND closed_at IS NULL) OR "
              "(status = '已办结' AND closed_at IS NOT NULL)", "status_matches_dates"),
        check("rework_count >= 0", "rework_count_nonneg"),
    )

    task_no: Mapped[str] = mapped_column(String(30), unique=True)
    source: Mapped[str] = mapped_column(enum(*SUPERVISION_SOURCES, name="office_supervision_source"))
    title: Mapped[str] = mapped_column(String(200))
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(DateTime)
    deadline_date: Mapped[dt.date] = mapped_column(Date)
    # An extension is applied for before the deadline and, once granted, replaces it.
    extended_deadline_date: Mapped[dt.date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(String(200))
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(enum(*SUPERVISION_STATES, name="office_supervision_status"))
    # Feedback sent back for redo (退回重办) this many times.
    rework_count: Mapped[int] = mapped_column(Integer, default=0)


class OfficeSharedFile(Base, SoftDelete):
    """A file of the shared library (共享资料) uploaded by a unit."""

    __tablename__ = "office_shared_file"
    __table_args__ = (check("size_kb >= 0", "size_nonneg"),)

    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(enum(*FILE_CATEGORIES, name="office_file_category"))
    file_ext: Mapped[str] = mapped_column(String(10))
    size_kb: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class OfficeFileDownload(Base):
    """One download of a shared file by a member of staff."""

    __tablename__ = "office_file_download"

    file_id: Mapped[int] = mapped_column(ForeignKey("office_shared_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    downloaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class OfficePartyBranch(Base):
    """A Party branch (党支部) of a unit's staff."""

    __tablename__ = "office_party_branch"
    __table_args__ = (check("member_count >= 0", "member_count_nonneg"),)

    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    founded_date: Mapped[dt.date] = mapped_column(Date)
    # Members now; each activity records the membership on its own day.
    member_count: Mapped[int] = mapped_column(Integer)


class OfficePartyActivity(Base, SoftDelete):
    """One activity of a branch (三会一课, 主题党日...) with its head counts that day."""

    __tablename__ = "office_party_activity"
    __table_args__ = (
        check("member_count > 0", "member_count_positive"),
        check("expected_count > 0 AND expected_count <= member_count", "expected_within_members"),
        check("attendee_count >= 0 AND attendee_count <= expected_count",
              "attendees_within_expected"),
        check("duration_minutes > 0", "duration_positive"),
    )

    branch_id: Mapped[int] = mapped_column(ForeignKey("office_party_branch.id"), index=True)
    kind: Mapped[str] = mapped_column(enum(*PARTY_ACTIVITY_KINDS, name="office_party_activity_kind"))
    title: Mapped[str] = mapped_column(String(200))
    held_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # Members of the branch that day; expected: all of them, or the committee for 支部委员会.
    member_count: Mapped[int] = mapped_column(Integer)
    expected_count: Mapped[int] = mapped_column(Integer)
    attendee_count: Mapped[int] = mapped_column(Integer)
