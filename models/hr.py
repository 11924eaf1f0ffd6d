"""hr (人力资源管理): the org tree, people and their history of moves and rank changes."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

LEVELS = ("市局", "处室", "区局", "街乡镇")
GENDERS = ("男", "女")
POLITICAL = ("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众")
EDUCATION = ("研究生", "大学本科", "大专", "中专及以下")
CATEGORIES = ("公务员", "参照公务员法管理", "事业编制", "协管员")
RANK_SERIES = ("综合管理类", "行政执法类", "无")
LEAVE_REASONS = ("退休", "调出", "辞职", "辞退", "死亡", "其他")
EVENT_KINDS = ("入职", "调动", "职级晋升", "职务变动", "离职")


class OrgUnit(Base):
    """A unit of the three-level organisation: 市局 and 处室, 区局, 街乡镇."""

    __tablename__ = "org_unit"
    __table_args__ = (
        check("authorized_headcount >= 0", "authorized_headcount_nonneg"),
        check("(level = '市局') = (parent_id IS NULL)", "root_has_no_parent"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(enum(*LEVELS, name="org_level"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # GB/T 2260 code of the district the unit sits in ("110000" for the city bureau).
    district_code: Mapped[str] = mapped_column(String(6))
    # 街道 / 地区办事处 / 镇 / 乡 for street units (NBS coding), 机关 otherwise.
    unit_type: Mapped[str] = mapped_column(String(10))
    functional_zone: Mapped[str | None] = mapped_column(String(20))
    authorized_headcount: Mapped[int] = mapped_column(Integer)
    keeps_duty_roster: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base, SoftDelete):
    """A member of staff with their current state; history in person_history."""

    __tablename__ = "person"
    __table_args__ = (
        check("leave_date IS NULL OR leave_date >= hire_date", "leave_after_hire"),
        check("hire_date > birth_date", "hired_after_birth"),
        check("(leave_date IS NULL) = (leave_reason IS NULL)", "leave_reason_with_date"),
    )

    employee_no: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(20))
    gender: Mapped[str] = mapped_column(enum(*GENDERS, name="gender"))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(12))
    political_status: Mapped[str] = mapped_column(enum(*POLITICAL, name="political_status"))
    education: Mapped[str] = mapped_column(enum(*EDUCATION, name="education"))
    category: Mapped[str] = mapped_column(enum(*CATEGORIES, name="staff_category"))
    rank_series: Mapped[str] = mapped_column(enum(*RANK_SERIES, name="rank_series"))
    rank: Mapped[str] = mapped_column(String(12))
    position: Mapped[str] = mapped_column(String(20))
    # Holds an enforcement certificate (执法证): eligible for uniforms.
    has_enforcement_cert: Mapped[bool] = mapped_column(Boolean, default=False)
    hire_date: Mapped[dt.date] = mapped_column(Date)
    leave_date: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(enum(*LEAVE_REASONS, name="leave_reason"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)


class PersonHistory(Base):
    """One change of a person's unit, rank or position, effective from a date (SCD2 source)."""

    __tablename__ = "person_history"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    effective_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(enum(*EVENT_KINDS, name="person_event_kind"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    category: Mapped[str] = mapped_column(enum(*CATEGORIES, name="staff_category"))
    rank: Mapped[str] = mapped_column(String(12))
    position: Mapped[str] = mapped_column(String(20))
