"""training: the schema refuses impossible enrolments; the demo learning records are consistent."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from models import training
from tests.models.org_rows import insert, make_db
from tests.support import query_rows

T0 = dt.datetime(2025, 3, 3, 9, 0)
COURSE = dict(id=1, code="KC1", title="行政处罚法释义", category="法律法规", hours=Decimal(4), mandatory=True,
              has_exam=True, pass_mark=Decimal(60), open_date=dt.date(2025, 3, 1),
              close_date=dt.date(2025, 6, 30), provider_unit_id=2)
PROGRAM = dict(id=1, name="执法业务培训班", kind="专门业务培训", organizer_unit_id=2,
               start_date=dt.date(2025, 4, 7), end_date=dt.date(2025, 4, 9), hours=Decimal(18),
               capacity=40, location="培训中心", has_exam=False, pass_mark=Decimal(60))
LESSON = dict(id=1, program_id=1, title="违法建设查处", teacher_id=2, given_at=dt.datetime(2025, 4, 7, 9),
              hours=Decimal(3))
ENROLLMENT = dict(id=1, person_id=1, course_id=1, program_id=None, required=True, enrolled_at=T0,
                  deadline_date=dt.date(2025, 6, 30), progress=100, exam_score=Decimal(82),
                  exam_taken_at=T0 + dt.timedelta(days=20), completed_at=T0 + dt.timedelta(days=20),
                  credited_hours=Decimal(4))


@pytest.fixture
def engine(tmp_path):
    """A database with the org tree, two people, a course and a programme."""
    engine = make_db(tmp_path, *(m.__table__ for m in (
        training.TrainingCourse, training.TrainingProgram, training.TrainingLesson,
        training.TrainingEnrollment)))
    insert(engine, training.TrainingCourse.__table__, COURSE)
    insert(engine, training.TrainingProgram.__table__, PROGRAM)
    yield engine
    engine.dispose()


def test_consistent_rows_are_accepted(engine):
    """A lesson, a completed course and an unfinished programme enrolment pass."""
    insert(engine, training.TrainingLesson.__table__, LESSON)
    insert(engine, training.TrainingEnrollment.__table__, ENROLLMENT)
    insert(engine, training.TrainingEnrollment.__table__, {
        **ENROLLMENT, "id": 2, "course_id": None, "program_id": 1, "progress": 40, "exam_score": None,
        "exam_taken_at": None, "completed_at": None, "credited_hours": Decimal(0)})


@pytest.mark.parametrize("change", [
    dict(program_id=1),                                    # both a course and a programme
    dict(course_id=None),                                  # neither
    dict(progress=101), dict(progress=-1),
    dict(progress=90),                                     # completed below 100%
    dict(completed_at=None),                               # hours credited without completion
    dict(credited_hours=Decimal(-1)),
    dict(exam_score=Decimal(101)),
    dict(exam_taken_at=None),                              # a score without an exam time
    dict(completed_at=T0 - dt.timedelta(days=1)),          # completed before enrolling
    dict(course_id=99), dict(person_id=99),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_enrollments_are_refused(engine, change):
    """One course or programme, progress 0-100, completion only at 100%, credit only when completed."""
    with pytest.raises(IntegrityError):
        insert(engine, training.TrainingEnrollment.__table__, {**ENROLLMENT, **change})


@pytest.mark.parametrize("table,row,change", [
    (training.TrainingCourse, COURSE, dict(id=2, code="KC2", hours=Decimal(0))),
    (training.TrainingCourse, COURSE, dict(id=2, code="KC2", close_date=dt.date(2025, 2, 1))),
    (training.TrainingCourse, COURSE, dict(id=2, code="KC2", pass_mark=Decimal(120))),
    (training.TrainingCourse, COURSE, dict(id=2, code="KC2", category="体育")),
    (training.TrainingCourse, COURSE, dict(id=2)),                        # duplicate code
    (training.TrainingProgram, PROGRAM, dict(id=2, end_date=dt.date(2025, 4, 1))),
    (training.TrainingProgram, PROGRAM, dict(id=2, capacity=0)),
    (training.TrainingProgram, PROGRAM, dict(id=2, kind="夜校")),
    (training.TrainingLesson, LESSON, dict(hours=Decimal(0))),
    (training.TrainingLesson, LESSON, dict(program_id=99)),
], ids=["course_hours", "course_window", "pass_mark", "category", "code", "program_dates",
        "capacity", "program_kind", "lesson_hours", "lesson_program"])
def test_inconsistent_courses_programs_and_lessons_are_refused(engine, table, row, change):
    """Positive hours and capacity, windows in order, known kinds, unique course codes."""
    with pytest.raises(IntegrityError):
        insert(engine, table.__table__, {**row, **change})


# --- the generated demo data -------------------------------------------------------------------

ENROLLMENTS = """
    SELECT e.id, e.person_id, e.required, e.progress, e.exam_score, e.completed_at, e.credited_hours,
           e.deadline_date, coalesce(c.has_exam, g.has_exam), coalesce(c.pass_mark, g.pass_mark),
           coalesce(c.hours, g.hours), c.mandatory, e.course_id
    FROM training_enrollment e
    LEFT JOIN training_course c ON c.id = e.course_id
    LEFT JOIN training_program g ON g.id = e.program_id
    WHERE e.deleted_at IS NULL"""


def test_completion_follows_the_metric_rule(source_engine):
    """completed_at is set exactly when progress is 100 and any exam was passed; credit = hours."""
    rows = query_rows(source_engine, ENROLLMENTS)
    assert len(rows) > 1000
    for _, _, _, progress, score, done, credit, _, exam, mark, hours, _, _ in rows:
        complete = progress == 100 and (not exam or (score is not None and score >= mark))
        assert (done is not None) == complete
        assert credit == (hours if complete else 0)


def test_every_employed_member_of_staff_is_assigned_each_mandatory_course(source_engine):
    """A mandatory course reaches all staff but 协管员 employed during its window, once each."""
    courses = query_rows(source_engine, "SELECT id, open_date, close_date FROM training_course "
                                   "WHERE mandatory AND deleted_at IS NULL")
    people = query_rows(source_engine, "SELECT id, hire_date, leave_date FROM person WHERE category <> '协管员'")
    assert courses
    for cid, opened, closed in courses:
        last = min(closed, "2025-12-31")
        expected = {p for p, hire, left in people
                    if hire <= last and (left is None or left > max(opened, hire))}
        got = Counter(p for (p,) in query_rows(source_engine, "SELECT person_id FROM training_enrollment "
                                                         "WHERE course_id = :c", c=cid))
        assert set(got) == expected and set(got.values()) == {1}


def test_mandatory_completion_exam_passes_and_overdue(source_engine):
    """Mandatory completion 82-95%, some finished late, some overdue; exams mostly passed."""
    rows = [r for r in query_rows(source_engine, ENROLLMENTS) if r[11]]
    done = [r for r in rows if r[5] is not None]
    late = [r for r in done if dt.datetime.fromisoformat(r[5]).date() > dt.date.fromisoformat(r[7])]
    overdue = [r for r in rows if r[5] is None and dt.date.fromisoformat(r[7]) < dt.date(2025, 12, 31)]
    assert 0.82 <= len(done) / len(rows) <= 0.95
    assert late and overdue
    taken = [r for r in query_rows(source_engine, ENROLLMENTS) if r[4] is not None]
    passed = [r for r in taken if r[4] >= r[9]]
    assert 0.9 <= len(passed) / len(taken) < 1.0


def test_lessons_fall_inside_their_programme_and_teachers_were_employed(source_engine):
    """Lessons are on the programme's days, given by someone on the staff that day."""
    assert query_rows(source_engine, "SELECT count(*) FROM training_lesson")[0][0] > 0
    bad = query_rows(source_engine, """
        SELECT count(*) FROM training_lesson l
        JOIN training_program g ON g.id = l.program_id
        JOIN person p ON p.id = l.teacher_id
        WHERE date(l.given_at) < g.start_date OR date(l.given_at) > g.end_date
           OR date(l.given_at) < p.hire_date
           OR (p.leave_date IS NOT NULL AND date(l.given_at) >= p.leave_date)
           OR g.deleted_at IS NOT NULL""")
    assert bad[0][0] == 0


def test_enrolments_happen_while_employed(source_engine):
    """Nobody enrols before being hired or after leaving."""
    bad = query_rows(source_engine, """
        SELECT count(*) FROM training_enrollment e JOIN person p ON p.id = e.person_id
        WHERE date(e.enrolled_at) < p.hire_date
           OR (p.leave_date IS NOT NULL AND date(e.enrolled_at) >= p.leave_date)
           OR (p.leave_date IS NOT NULL AND date(e.completed_at) >= p.leave_date)""")
    assert bad[0][0] == 0
