"""attendance (考勤管理): daily clock records, leave, overtime and the duty roster."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

# Status of a day as the clock system records it; 旷工 is also derived in the warehouse
# for a workday with no record and no approved leave (METRICS.md attendance).
RECORD_STATUSES = ("正常", "迟到", "早退", "旷工", "外勤", "出差", "请假")
# Statuses that count as attended (METRICS.md attended_days).
ATTENDED_STATUSES = ("正常", "迟到", "早退", "外勤", "出差")
CHANNELS = ("考勤机", "移动端", "补卡", "系统")
LEAVE_TYPES = ("年休假", "病假", "事假", "婚假", "产假", "探亲假", "丧假", "其他")
REQUEST_STATUSES = ("待审批", "已批准", "已驳回", "已撤销")
# Kind of the day worked, from the China work calendar: a 调休 working weekend is a 工作日.
OVERTIME_KINDS = ("工作日", "休息日", "节假日")
DUTY_ROLES = ("带班领导", "值班员")
# Office hours of the bureau; a check-in after the start is late, a check-out before the end early.
WORK_START, WORK_END = dt.time(8, 30), dt.time(17, 30)


class AttendanceRecord(Base):
    """One person's attendance on one workday, as the clock system closed it."""

    __tablename__ = "attendance_record"
    __table_args__ = (
        UniqueConstraint("person_id", "record_date"),
        check("check_out_at IS NULL OR check_in_at IS NULL OR check_out_at > check_in_at",
              "out_after_in"),
        # Someone who clocked in and is marked at work must have a check-in time.
        check("status NOT IN ('正常', '迟到') OR check_in_at IS NOT NULL", "present_has_check_in"),
    )

    # No separate indexes: the (person_id, record_date) key serves lookups by person, and
    # every extra index slows the biggest table's writes.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    record_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(enum(*RECORD_STATUSES, name="attendance_status"))
    check_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    check_out_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # How the record came about: clock, phone (执法城管通 with GPS), a 补卡 request, or the system.
    channel: Mapped[str] = mapped_column(enum(*CHANNELS, name="attendance_channel"))


class LeaveRequest(Base, SoftDelete):
    """A request for leave (请假) over whole days, with its approval."""

    __tablename__ = "leave_request"
    __table_args__ = (
        check("end_date >= start_date", "end_after_start"),
        check("days > 0", "days_positive"),
        check("decided_at IS NULL OR decided_at >= submitted_at", "decided_after_submitted"),
        check("status NOT IN ('已批准', '已驳回') OR (decided_at IS NOT NULL AND approver_id IS NOT NULL)",
              "decision_recorded"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    leave_type: Mapped[str] = mapped_column(enum(*LEAVE_TYPES, name="leave_type"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # Days charged as the requester declared them: workdays, except 产假 and 婚假 which run
    # in calendar days; the warehouse recounts workdays from the calendar.
    days: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    reason: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(enum(*REQUEST_STATUSES, name="leave_status"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Overtime(Base, SoftDelete):
    """Hours worked beyond the schedule on one day (加班), with its approval."""

    __tablename__ = "overtime"
    __table_args__ = (
        check("hours > 0 AND hours <= 24", "hours_in_day"),
        check("decided_at IS NULL OR decided_at >= submitted_at", "decided_after_submitted"),
        check("status NOT IN ('已批准', '已驳回') OR (decided_at IS NOT NULL AND approver_id IS NOT NULL)",
              "decision_recorded"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    work_date: Mapped[dt.date] = mapped_column(Date, index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    kind: Mapped[str] = mapped_column(enum(*OVERTIME_KINDS, name="overtime_kind"))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(enum(*REQUEST_STATUSES, name="overtime_status"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DutyRoster(Base):
    """One person on the duty roster (值班表) of a unit for one day, as leader or officer."""

    __tablename__ = "duty_roster"
    __table_args__ = (UniqueConstraint("unit_id", "duty_date", "person_id"),)

    # The (unit_id, duty_date, person_id) key serves lookups by unit.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    duty_date: Mapped[dt.date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(enum(*DUTY_ROLES, name="duty_role"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
