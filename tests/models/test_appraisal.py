"""appraisal: the schema refuses grades that do not fit the kind; the demo respects the caps."""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import appraisal
from models.base import Base, make_engine
from models.demo import appraisal as demo_appraisal
from models.demo import hr as demo_hr
from models.demo.core import DemoContext, Scale
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 12, 18, 10, 0)
ROW = dict(id=1, person_id=1, unit_id=2, year=2025, kind="年度", period="2025", topic=None,
           grade="称职", score=Decimal("86.5"), evaluated_at=T0, evaluator_id=2, comment=None)
QUARTER = {**ROW, "kind": "平时", "period": "2025Q4", "grade": "较好"}
CIVIL = ("公务员", "参照公务员法管理")


@pytest.fixture
def engine(tmp_path):
    """A database with the org tree, two people and the appraisal table."""
    engine = make_db(tmp_path, appraisal.Appraisal.__table__)
    yield engine
    engine.dispose()


def test_consistent_rows_are_accepted(engine):
    """An annual, a quarterly, a special and an ungraded assessment pass."""
    insert(engine, appraisal.Appraisal.__table__, ROW)
    insert(engine, appraisal.Appraisal.__table__, {**QUARTER, "id": 2})
    insert(engine, appraisal.Appraisal.__table__, {**QUARTER, "id": 3, "kind": "专项", "period": "2025-06",
                                                   "topic": "防汛应急处置专项考核", "grade": "好"})
    insert(engine, appraisal.Appraisal.__table__, {**ROW, "id": 4, "person_id": 2, "grade": "不定等次",
                                                   "score": None})


@pytest.mark.parametrize("row,change", [
    (ROW, dict(grade="好")),                     # a quarterly grade in an annual assessment
    (QUARTER, dict(grade="优秀")),               # an annual grade in a quarterly one
    (ROW, dict(kind="任期")),
    (ROW, dict(grade="良好")),
    (ROW, dict(score=Decimal("100.5"))),
    (ROW, dict(score=Decimal("-1"))),
    (ROW, dict(year=1999)),
    (ROW, dict(grade="不定等次")),               # ungraded but scored
    ({**QUARTER, "kind": "专项", "period": "2025-06"}, dict(topic=None)),
    (ROW, dict(unit_id=99)),
], ids=["annual_good", "quarter_excellent", "kind", "grade", "score_high", "score_negative", "year",
        "ungraded_scored", "special_without_topic", "unit"])
def test_inconsistent_assessments_are_refused(engine, row, change):
    """Grades belong to their kind's scale; scores 0-100; 专项 names its topic; units exist."""
    with pytest.raises(IntegrityError):
        insert(engine, appraisal.Appraisal.__table__, {**row, **change})


# --- the generated demo data -------------------------------------------------------------------

def _live(engine, kind: str) -> list:
    return query_rows(engine, "SELECT person_id, unit_id, period, grade, score, evaluated_at FROM appraisal "
                         "WHERE deleted_at IS NULL AND kind = :kind", kind=kind)


def _unit_on(engine) -> dict:
    """(person id, date) -> unit, from person_history."""
    history = defaultdict(list)
    for pid, day, unit in query_rows(engine, "SELECT person_id, effective_date, unit_id FROM person_history "
                                        "ORDER BY person_id, effective_date, id"):
        history[pid].append((dt.date.fromisoformat(day), unit))

    def unit_on(pid: int, day: dt.date) -> int:
        return [u for d, u in history[pid] if d <= day][-1]
    return unit_on


def _eligible(engine, day: dt.date) -> set[int]:
    """Civil servants active on day (METRICS.md completion)."""
    rows = query_rows(engine, "SELECT id, category, hire_date, leave_date FROM person")
    return {i for i, cat, hire, left in rows if cat in CIVIL and dt.date.fromisoformat(hire) <= day
            and (left is None or dt.date.fromisoformat(left) > day)}


def test_annual_covers_the_eligible_with_about_98_percent_completion(source_engine):
    """Everyone assessed was eligible on 31 December, in their unit of that day; ~98% completion."""
    rows = _live(source_engine, "年度")
    eligible = _eligible(source_engine, dt.date(2025, 12, 31))
    assessed = {r[0] for r in rows}
    assert assessed <= eligible and len(assessed) == len(rows)
    assert 0.95 <= len(assessed) / len(eligible) < 1.0
    unit_on = _unit_on(source_engine)
    assert all(unit == unit_on(pid, dt.date(2025, 12, 31)) for pid, unit, *_ in rows)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """hr and appraisal alone at demo size over two years (2024-2025): units big enough for the
    caps to bite, and a year before each annual assessment."""
    path = tmp_path_factory.mktemp("appraisal") / "two_years.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine, tables=[t for t in Base.metadata.sorted_tables
                                             if t.name in ("org_unit", "person", "person_history",
                                                           "appraisal")])
    with engine.begin() as conn:
        ctx = DemoContext(conn=conn, seed=7, scale=Scale("test", 2000, 2), start=dt.date(2024, 1, 1),
                          end=dt.date(2025, 12, 31))
        demo_hr.generate(ctx)
        demo_appraisal.generate(ctx)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("source", ["source_engine", "two_years"])
def test_excellent_share_never_exceeds_the_unit_cap(source, request):
    """Per unit and year, 优秀 <= floor(20% of graded), 不定等次 not graded; units big enough to
    have a place mostly use it."""
    engine = request.getfixturevalue(source)
    per_unit: dict[tuple[int, int], list[str]] = defaultdict(list)
    for year, unit, grade in query_rows(engine, "SELECT year, unit_id, grade FROM appraisal "
                                           "WHERE kind = '年度' AND deleted_at IS NULL"):
        per_unit[year, unit].append(grade)
    quotas = used = 0
    for grades in per_unit.values():
        quota = math.floor(0.2 * len([g for g in grades if g != "不定等次"]))
        assert grades.count("优秀") <= quota
        quotas += quota
        used += grades.count("优秀")
    assert quotas == 0 or 0.75 <= used / quotas <= 1.0
    if source == "two_years":
        assert quotas > 100


def test_probation_recruits_are_not_graded(source_engine):
    """Staff hired during the year get 不定等次 with a comment and no score."""
    rows = query_rows(source_engine, """
        SELECT a.grade, a.score, a.comment FROM appraisal a JOIN person p ON p.id = a.person_id
        WHERE a.kind = '年度' AND a.deleted_at IS NULL AND p.hire_date > '2024-12-31'""")
    assert rows and all(g == "不定等次" and s is None and c for g, s, c in rows)


@pytest.mark.parametrize("source", ["source_engine", "two_years"])
def test_quarterly_grades_follow_scores_and_the_good_cap(source, request):
    """平时 grades match the score bands; 好 at most floor(40%) per unit and quarter, a quarter or
    more of all grades where units are big enough; ~98% of the eligible assessed."""
    engine = request.getfixturevalue(source)
    rows = _live(engine, "平时")
    per: dict[tuple[int, str], list[str]] = defaultdict(list)
    for _, unit, period, grade, score, _ in rows:
        assert grade == demo_appraisal.band(float(score))
        per[unit, period].append(grade)
    for grades in per.values():
        assert grades.count("好") <= math.floor(0.4 * len(grades))
    if source == "two_years":
        good = sum(g.count("好") for g in per.values()) / len(rows)
        assert 0.2 <= good <= 0.4
    q4 = {r[0] for r in rows if r[2] == "2025Q4"}
    eligible = _eligible(engine, dt.date(2025, 12, 31))
    assert q4 <= eligible and 0.95 <= len(q4) / len(eligible) < 1.0


def test_assessed_while_employed_in_the_period(source_engine):
    """Evaluation times fall inside the period's last weeks, on or after the hire date."""
    rows = query_rows(source_engine, """
        SELECT count(*) FROM appraisal a JOIN person p ON p.id = a.person_id
        WHERE date(a.evaluated_at) < p.hire_date
           OR (p.leave_date IS NOT NULL AND date(a.evaluated_at) >= p.leave_date)
           OR (a.kind = '年度' AND date(a.evaluated_at) < '2025-12-01')""")
    assert rows[0][0] == 0
    withdrawn = query_rows(source_engine, "SELECT count(*) FROM appraisal WHERE deleted_at IS NOT NULL")
    assert withdrawn[0][0] > 0


def test_some_people_are_unsatisfactory_two_years_running(two_years):
    """Over two years a few people get 基本称职 or 不称职 twice in a row (METRICS.md)."""
    rows = query_rows(two_years, """
        SELECT count(*) FROM appraisal a JOIN appraisal b
        ON b.person_id = a.person_id AND b.kind = '年度' AND b.year = a.year + 1
        WHERE a.kind = '年度' AND a.grade IN ('基本称职', '不称职') AND b.grade IN ('基本称职', '不称职')
          AND a.deleted_at IS NULL AND b.deleted_at IS NULL""")
    assert 3 <= rows[0][0] <= 40
