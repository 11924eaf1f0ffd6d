"""training (网络教学): online courses, training programmes (培训班), their lessons and enrolments."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

COURSE_CATEGORIES = ("政治理论", "法律法规", "执法业务", "安全保密", "信息技术", "综合素质")
# The four kinds of civil-servant training (公务员培训规定).
PROGRAM_KINDS = ("初任培训", "任职培训", "专门业务培训", "在职培训")
DEFAULT_PASS_MARK = Decimal(60)


class TrainingCourse(Base, SoftDelete):
    """An online course open for a window of dates; mandatory courses are assigned to all staff."""

    __tablename__ = "training_course"
    __table_args__ = (
        check("hours > 0", "hours_positive"),
        check("pass_mark >= 0 AND pass_mark <= 100", "pass_mark_0_100"),
        check("close_date >= open_date", "close_after_open"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(enum(*COURSE_CATEGORIES, name="course_category"))
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    has_exam: Mapped[bool] = mapped_column(Boolean, default=False)
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=DEFAULT_PASS_MARK)
    open_date: Mapped[dt.date] = mapped_column(Date)
    # Last day to study; the deadline of mandatory enrolments.
    close_date: Mapped[dt.date] = mapped_column(Date)
    provider_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)


class TrainingProgram(Base, SoftDelete):
    """A classroom training programme (培训班) run by a unit over consecutive days."""

    __tablename__ = "training_program"
    __table_args__ = (
        check("end_date >= start_date", "end_after_start"),
        check("hours > 0", "hours_positive"),
        check("capacity > 0", "capacity_positive"),
        check("pass_mark >= 0 AND pass_mark <= 100", "pass_mark_0_100"),
    )

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(enum(*PROGRAM_KINDS, name="program_kind"))
    organizer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # Credited to each participant who completes the programme.
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    capacity: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(60))
    has_exam: Mapped[bool] = mapped_column(Boolean, default=False)
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=DEFAULT_PASS_MARK)


class TrainingLesson(Base):
    """One lesson (授课) of a programme, given by an internal teacher."""

    __tablename__ = "training_lesson"
    __table_args__ = (check("hours > 0 AND hours <= 12", "hours_in_day"),)

    program_id: Mapped[int] = mapped_column(ForeignKey("training_program.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    given_at: Mapped[dt.datetime] = mapped_column(DateTime)
    hours: Mapped[Decimal] = mapped_column(Numeric(3, 1))


class TrainingEnrollment(Base, SoftDelete):
    """A person enrolled in a course or a programme, with progress, exam and credited hours.

    Completed (METRICS.md) = progress 100 and, where there is an exam, score >= pass mark;
    completed_at is when that happened and credited_hours are granted on that date.
    """

    __tablename__ = "training_enrollment"
    __table_args__ = (
        check("(course_id IS NULL AND program_id IS NOT NULL) OR "
              "(course_id IS NOT NULL AND program_id IS NULL)", "course_or_program"),
        check("progress >= 0 AND progress <= 100", "progress_0_100"),
        check("exam_score IS NULL OR (exam_score >= 0 AND exam_score <= 100)", "exam_score_0_100"),
        check("credited_hours >= 0", "credited_hours_nonneg"),
        check("completed_at IS NULL OR (progress = 100 AND completed_at >= enrolled_at)",
              "completed_when_done"),
        check("completed_at IS NOT NULL OR credited_hours = 0", "credit_only_when_completed"),
        check("exam_taken_at IS NULL OR exam_taken_at >= enrolled_at", "exam_after_enrolment"),
        check("(exam_score IS NULL) = (exam_taken_at IS NULL)", "exam_score_with_date"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("training_course.id"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("training_program.id"), index=True)
    # Assigned by the organisation (mandatory course, nominated to a programme) or self-chosen.
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    deadline_date: Mapped[dt.date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    # Best exam attempt.
    exam_score: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    exam_taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    credited_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(0))
