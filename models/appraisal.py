"""appraisal (公务员考核): quarterly (平时), special (专项) and annual (年度) assessments."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

KINDS = ("平时", "专项", "年度")
ANNUAL_GRADES = ("优秀", "称职", "基本称职", "不称职", "不定等次")
# 平时 and graded 专项 assessments; score bands (local practice): >=90, 80-89, 60-79, <60.
QUARTERLY_GRADES = ("好", "较好", "一般", "较差")
QUARTERLY_BANDS = ((90, "好"), (80, "较好"), (60, "一般"), (0, "较差"))
# Who is assessed: civil servants and staff managed under the civil service law.
ELIGIBLE_CATEGORIES = ("公务员", "参照公务员法管理")


class Appraisal(Base, SoftDelete):
    """One assessment of one civil servant for one period; a corrected result replaces a withdrawn one."""

    __tablename__ = "appraisal"
    __table_args__ = (
        check("(kind = '年度' AND grade IN ('优秀', '称职', '基本称职', '不称职', '不定等次')) OR "
              "(kind <> '年度' AND grade IN ('好', '较好', '一般', '较差'))", "grade_fits_kind"),
        check("score IS NULL OR (score >= 0 AND score <= 100)", "score_0_100"),
        check("year >= 2000 AND year <= 2100", "year_plausible"),
        check("kind <> '专项' OR topic IS NOT NULL", "special_has_topic"),
        # 不定等次 (probation, sanctions) carries a written comment, not a score.
        check("grade <> '不定等次' OR score IS NULL", "ungraded_has_no_score"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # The unit that assessed the person: their unit at the end of the period.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(enum(*KINDS, name="appraisal_kind"))
    # 2025Q1 for 平时, 2025 for 年度, 2025-06 (month of the task) for 专项.
    period: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str | None] = mapped_column(String(60))
    grade: Mapped[str] = mapped_column(enum(*ANNUAL_GRADES, *QUARTERLY_GRADES, name="appraisal_grade"))
    score: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    evaluated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    comment: Mapped[str | None] = mapped_column(String(200))
