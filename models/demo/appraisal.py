"""Demo appraisal: quarterly 平时考核, a few 专项考核 a year and the annual 年度考核 with its caps."""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from models import appraisal as m
from models.demo.core import DemoContext
from models.demo.staffing import (
    CIVIL_SERVANTS, is_active, office_time, staffing, unit_on, workdays_between,
)

EXCELLENT_CAP = 0.20
GOOD_CAP = 0.40
COMPLETION = 0.98
# Share of people with a bad year, and the chance a bad year is followed by another (METRICS
# repeat_unsatisfactory: a few people are graded 基本称职 or 不称职 two years running).
BAD_YEAR, BAD_AGAIN = 0.018, 0.45
SPECIAL_TOPICS = ("重大活动服务保障专项考核", "背街小巷环境整治专项考核", "违法建设治理专项考核",
                  "生活垃圾分类执法专项考核", "占道经营整治专项考核", "防汛应急处置专项考核")


def generate(ctx: DemoContext) -> None:
    """Insert appraisal rows for every quarter and year that closes inside the demo period."""
    rng = ctx.rng("appraisal")
    st = staffing(ctx)
    ability = {p["id"]: rng.gauss(0, 1) for p in ctx.persons}
    rows: list[dict[str, Any]] = []
    quarter_scores: dict[tuple[int, int], list[float]] = {}
    for year, q, q_end in _quarters(ctx):
        _quarterly(ctx, rng, st, ability, rows, quarter_scores, year, q, q_end)
    bad_last_year: set[int] = set()
    for year in range(ctx.start.year, ctx.end.year + 1):
        if ctx.start <= dt.date(year, 12, 31) <= ctx.end:
            bad_last_year = _annual(ctx, rng, st, ability, rows, quarter_scores, year, bad_last_year)
        _special(ctx, rng, st, ability, rows, year)
    _corrections(ctx, rng, rows)
    ctx.insert(m.Appraisal.__table__, (dict(r, id=i) for i, r in enumerate(rows, 1)))


def _quarters(ctx: DemoContext):
    """(year, quarter, last day) of every quarter whose last day lies in the period."""
    for year in range(ctx.start.year, ctx.end.year + 1):
        for q in range(1, 5):
            end = dt.date(year, 3 * q, 1) + dt.timedelta(days=31)
            end = end.replace(day=1) - dt.timedelta(days=1)
            if ctx.start <= end <= ctx.end:
                yield year, q, end


def eligible(ctx: DemoContext, day: dt.date) -> dict[int, list[dict[str, Any]]]:
    """Civil servants active on day, by the unit they belonged to then."""
    out: dict[int, list[dict[str, Any]]] = {}
    for p in ctx.persons:
        if p["category"] in CIVIL_SERVANTS and is_active(p, day):
            out.setdefault(unit_on(p, day), []).append(p)
    return out


def band(score: float) -> str:
    """平时 grade of a score."""
    return next(g for floor, g in m.QUARTERLY_BANDS if score >= floor)


def _when(ctx: DemoContext, rng: Any, p: dict[str, Any], last: dt.date,
          span: int) -> dt.datetime:
    """A working moment in the span days up to last, not before the person was hired."""
    first = max(last - dt.timedelta(span), p["hire_date"])
    days = workdays_between(ctx, first, last) or [last]
    return office_time(rng, rng.choice(days))


def _quarterly(ctx, rng, st, ability, rows, quarter_scores, year, q, q_end) -> None:
    """平时考核 of one quarter: scores, bands, and at most 40% 好 in each unit."""
    for unit_id, people in eligible(ctx, q_end).items():
        assessed = [p for p in people if rng.random() < COMPLETION]
        scored = []
        for p in assessed:
            s = 87 + 5.5 * ability[p["id"]] + 3.5 * rng.gauss(0, 1)
            scored.append((min(99.5, max(45.0, round(s * 2) / 2)), p))
        scored.sort(key=lambda t: -t[0])
        good_left = math.floor(GOOD_CAP * len(scored))
        for score, p in scored:
            if score >= 90:
                if good_left > 0:
                    good_left -= 1
                else:  # over the unit's 好 quota: held at the top of 较好
                    score = 89.5
            quarter_scores.setdefault((p["id"], year), []).append(score)
            at = _when(ctx, rng, p, q_end, 14)
            rows.append(dict(person_id=p["id"], unit_id=unit_id, year=year, kind="平时",
                             period=f"{year}Q{q}", topic=None, grade=band(score),
                             score=Decimal(str(score)), evaluated_at=at,
                             evaluator_id=st.approver(unit_id, at.date(), p["id"]), comment=None,
                             deleted_at=None))


def _annual(ctx, rng, st, ability, rows, quarter_scores, year, bad_last_year) -> set[int]:
    """年度考核: 不定等次 on probation, 优秀 within floor(20% of graded) per unit, a few bad years."""
    dec31 = dt.date(year, 12, 31)
    bad_now: set[int] = set()
    for unit_id, people in eligible(ctx, dec31).items():
        graded, ungraded = [], []
        for p in people:
            if rng.random() >= COMPLETION:
                continue
            if p["hire_date"] > dec31.replace(year=year - 1) or rng.random() < 0.004:
                ungraded.append(p)  # probation year of a new recruit, or under a sanction
                continue
            qs = quarter_scores.get((p["id"], year))
            base = sum(qs) / len(qs) if qs else 87 + 5.5 * ability[p["id"]]
            graded.append((round(min(99.0, max(50.0, base + rng.gauss(0, 1.5))), 1), p))
        graded.sort(key=lambda t: -t[0])
        quota = math.floor(EXCELLENT_CAP * len(graded))
        # most units use their whole quota; some leave a place unused
        excellent = quota - (1 if quota and rng.random() < 0.3 else 0)
        for rank, (score, p) in enumerate(graded):
            bad = rng.random() < (BAD_AGAIN if p["id"] in bad_last_year else BAD_YEAR)
            if bad and rank >= excellent:
                grade = "不称职" if rng.random() < 0.22 else "基本称职"
                score = round(min(score, rng.uniform(55, 72)), 1)
                bad_now.add(p["id"])
            elif rank < excellent:
                grade = "优秀"
            else:
                grade = "称职"
            _annual_row(ctx, rng, st, rows, p, unit_id, year, grade, Decimal(str(score)), dec31)
        for p in ungraded:
            comment = "试用期内，只写评语不定等次" if p["hire_date"] > dec31.replace(year=year - 1) \
                else "受处分期间，参加考核不定等次"
            _annual_row(ctx, rng, st, rows, p, unit_id, year, "不定等次", None, dec31, comment)
    return bad_now


def _annual_row(ctx, rng, st, rows, p, unit_id, year, grade, score, dec31, comment=None) -> None:
    """Append one 年度 result, evaluated in the last weeks of December by a unit leader."""
    at = _when(ctx, rng, p, dec31, 20)
    rows.append(dict(person_id=p["id"], unit_id=unit_id, year=year, kind="年度", period=str(year),
                     topic=None, grade=grade, score=score, evaluated_at=at,
                     evaluator_id=st.approver(unit_id, at.date(), p["id"]), comment=comment,
                     deleted_at=None))


def _special(ctx, rng, st, ability, rows, year) -> None:
    """Two or three 专项考核 a year for the enforcement staff who took part in a campaign."""
    for topic in rng.sample(SPECIAL_TOPICS, rng.randint(2, 3)):
        month = rng.randint(3, 11)
        last = (dt.date(year, month, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        if not ctx.start <= last <= ctx.end:
            continue
        for unit_id, people in eligible(ctx, last).items():
            if ctx.unit(unit_id)["level"] not in ("区局", "街乡镇"):
                continue
            for p in people:
                if rng.random() < 0.25:
                    s = min(99.5, max(50.0, round((86 + 5 * ability[p["id"]] + 4 * rng.gauss(0, 1)) * 2) / 2))
                    at = _when(ctx, rng, p, last, 10)
                    rows.append(dict(person_id=p["id"], unit_id=unit_id, year=year, kind="专项",
                                     period=f"{year}-{month:02d}", topic=topic, grade=band(s),
                                     score=Decimal(str(s)), evaluated_at=at,
                                     evaluator_id=st.approver(unit_id, at.date(), p["id"]),
                                     comment=None, deleted_at=None))


def _corrections(ctx: DemoContext, rng: Any, rows: list[dict[str, Any]]) -> None:
    """A few 平时 results entered wrongly: the wrong row is withdrawn and kept soft-deleted."""
    wrong = []
    for r in rows:
        if r["kind"] == "平时" and rng.random() < 0.004:
            bad_score = max(Decimal(45), r["score"] - Decimal(rng.randint(3, 12)))
            wrong.append(dict(r, score=bad_score, grade=band(float(bad_score)),
                              evaluated_at=r["evaluated_at"] - dt.timedelta(minutes=rng.randint(5, 60)),
                              deleted_at=r["evaluated_at"], comment="录入错误，已更正"))
    rows.extend(wrong)
