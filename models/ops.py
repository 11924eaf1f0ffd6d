"""ops (运维服务): the outside IT team's tickets, SLA policies, inspections, satisfaction, event support."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

# The twelve OA modules the team looks after (DESIGN.md; ops itself is not one of them).
SERVICED_MODULES = ("portal", "office", "mail", "contract", "attendance", "hr", "appraisal",
                    "training", "uniform", "identity", "asset", "cabinet")
CATEGORIES = ("故障", "漏洞", "需求", "咨询", "巡查发现")
PRIORITIES = ("P1", "P2", "P3", "P4")
STATUSES = ("新建", "已响应", "处理中", "挂起", "已解决", "已关闭", "重新打开")
OPEN_STATUSES = ("新建", "已响应", "处理中", "挂起", "重新打开")
CHANGE_KINDS = ("状态", "优先级")
CALENDARS = ("7x24", "working_hours")
INSPECTION_RESULTS = ("正常", "异常")
SATISFACTION_KINDS = ("工单评价", "定期调查")
SURVEY_DIMENSIONS = ("响应速度", "服务态度", "解决效果", "系统易用性")
EVENT_KINDS = ("春节", "两会", "国庆", "重大活动")
SUPPORT_LEVELS = ("一级", "二级", "三级")


class OpsTicket(Base, SoftDelete):
    """An incident or request (事件单) about one module: its current state and milestone times."""

    __tablename__ = "ops_ticket"
    __table_args__ = (
        check("reopen_count >= 0", "reopen_count_nonneg"),
        check("acknowledged_at IS NULL OR acknowledged_at >= reported_at", "ack_after_report"),
        check("resolved_at IS NULL OR resolved_at >= reported_at", "resolved_after_report"),
        check("closed_at IS NULL OR (resolved_at IS NOT NULL AND closed_at >= resolved_at)",
              "closed_after_resolved"),
        check("(status = '已关闭') = (closed_at IS NOT NULL)", "closed_iff_status"),
        check("status IN ('新建', '已响应', '处理中', '挂起', '重新打开') OR resolved_at IS NOT NULL",
              "done_has_resolved_at"),
        check("status = '新建' OR acknowledged_at IS NOT NULL", "acknowledged_unless_new"),
    )

    ticket_no: Mapped[str] = mapped_column(String(20), unique=True)
    module: Mapped[str] = mapped_column(enum(*SERVICED_MODULES, name="ops_module"))
    category: Mapped[str] = mapped_column(enum(*CATEGORIES, name="ops_category"))
    # Current priority; earlier ones are in ops_ticket_history (kind 优先级).
    priority: Mapped[str] = mapped_column(enum(*PRIORITIES, name="ops_priority"))
    title: Mapped[str] = mapped_column(String(200))
    # NULL for tickets the team raises itself (巡查发现).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reporter_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    assignee: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(enum(*STATUSES, name="ops_status"))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    # First acknowledgement; resolved_at is the last resolution (NULL while reopened).
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    cause: Mapped[str | None] = mapped_column(String(200))
    fix: Mapped[str | None] = mapped_column(String(200))


class OpsTicketHistory(Base):
    """One change of a ticket: a status transition or a priority change, at the time it happened."""

    __tablename__ = "ops_ticket_history"
    __table_args__ = (
        check("(kind = '状态' AND to_status IS NOT NULL AND from_priority IS NULL AND "
              "to_priority IS NULL) OR (kind = '优先级' AND from_priority IS NOT NULL AND "
              "to_priority IS NOT NULL AND from_status IS NULL AND to_status IS NULL)",
              "status_or_priority"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ops_ticket.id"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(enum(*CHANGE_KINDS, name="ops_change_kind"))
    # from_status is NULL on the creating row (to_status 新建).
    # Each column needs its own enum name: the CHECK constraint is named after it.
    from_status: Mapped[str | None] = mapped_column(enum(*STATUSES, name="ops_from_status"))
    to_status: Mapped[str | None] = mapped_column(enum(*STATUSES, name="ops_to_status"))
    from_priority: Mapped[str | None] = mapped_column(enum(*PRIORITIES, name="ops_from_priority"))
    to_priority: Mapped[str | None] = mapped_column(enum(*PRIORITIES, name="ops_to_priority"))
    note: Mapped[str | None] = mapped_column(String(200))


class OpsSlaPolicy(Base):
    """Response and resolution targets of one priority, valid from a date (METRICS.md ops)."""

    __tablename__ = "ops_sla_policy"
    __table_args__ = (
        UniqueConstraint("priority", "valid_from"),
        check("respond_minutes > 0 AND resolve_minutes >= respond_minutes", "targets_positive"),
    )

    priority: Mapped[str] = mapped_column(enum(*PRIORITIES, name="ops_priority"))
    # Minutes of the policy calendar: working_hours means 09:00-18:00 on workdays, 9 h a workday.
    respond_minutes: Mapped[int] = mapped_column(Integer)
    resolve_minutes: Mapped[int] = mapped_column(Integer)
    calendar: Mapped[str] = mapped_column(enum(*CALENDARS, name="ops_calendar"))
    valid_from: Mapped[dt.date] = mapped_column(Date)


class OpsInspection(Base):
    """The daily health inspection (巡查) of one module; an abnormal one may raise a ticket."""

    __tablename__ = "ops_inspection"
    __table_args__ = (
        UniqueConstraint("module", "planned_date"),
        check("(done_at IS NULL) = (result IS NULL)", "result_iff_done"),
        check("finding_ticket_id IS NULL OR result = '异常'", "finding_only_if_abnormal"),
    )

    module: Mapped[str] = mapped_column(enum(*SERVICED_MODULES, name="ops_module"))
    planned_date: Mapped[dt.date] = mapped_column(Date, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result: Mapped[str | None] = mapped_column(enum(*INSPECTION_RESULTS, name="ops_inspection_result"))
    inspector: Mapped[str | None] = mapped_column(String(20))
    finding_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ops_ticket.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(200))


class OpsSatisfaction(Base):
    """A satisfaction score: a user's rating of a ticket (1-5), or one answer of a periodic survey."""

    __tablename__ = "ops_satisfaction"
    __table_args__ = (
        check("(kind = '工单评价' AND ticket_id IS NOT NULL AND scale_max = 5 AND dimension IS NULL "
              "AND survey_period IS NULL) OR (kind = '定期调查' AND ticket_id IS NULL AND "
              "dimension IS NOT NULL AND survey_period IS NOT NULL)", "rating_or_survey"),
        check("(scale_max = 5 AND score >= 1 AND score <= 5) OR "
              "(scale_max = 100 AND score >= 0 AND score <= 100)", "score_in_scale"),
    )

    kind: Mapped[str] = mapped_column(enum(*SATISFACTION_KINDS, name="ops_satisfaction_kind"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ops_ticket.id"), index=True)
    # Survey period as 'YYYYQn'; surveys used a 1-5 scale before 2024 and 0-100 since.
    survey_period: Mapped[str | None] = mapped_column(String(7))
    dimension: Mapped[str | None] = mapped_column(enum(*SURVEY_DIMENSIONS, name="ops_dimension"))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The respondent's unit at the time of the answer.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    scale_max: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    comment: Mapped[str | None] = mapped_column(String(200))


class OpsMajorEvent(Base):
    """A period of reinforced support (重大活动保障): holidays, 两会, 国庆 and other major events."""

    __tablename__ = "ops_major_event"
    __table_args__ = (
        check("end_at >= start_at", "end_after_start"),
        check("onsite_engineers >= 0", "engineers_nonneg"),
    )

    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(enum(*EVENT_KINDS, name="ops_event_kind"))
    level: Mapped[str] = mapped_column(enum(*SUPPORT_LEVELS, name="ops_support_level"))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)
    onsite_engineers: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200))
