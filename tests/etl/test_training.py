"""training in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

from sqlalchemy import text

from models import training
from tests.etl.duck_checks import run_checks_on_empty_raw

TABLES = [training.TrainingCourse.__table__, training.TrainingProgram.__table__,
          training.TrainingLesson.__table__, training.TrainingEnrollment.__table__]


def _r1(value) -> float:
    """A sum of tenths compared to one decimal (SQLite sums them as floats)."""
    return round(float(value), 1)


def _one(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/training.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("training", TABLES) > 20


def test_no_training_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of training is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'training%'"
                             ).fetchone()[0] == 0


def test_fact_training_enrollment_reconciles(source_engine, warehouse):
    """Live enrolments in live courses and programmes, credited hours, completions by the METRICS
    rule, exams taken and passed equal the source."""
    expected = _one(source_engine, """
        SELECT count(*), sum(e.credited_hours),
               sum(e.progress = 100 AND (NOT coalesce(c.has_exam, g.has_exam)
                   OR e.exam_score >= coalesce(c.pass_mark, g.pass_mark))),
               sum(e.exam_score IS NOT NULL),
               sum(e.exam_score >= coalesce(c.pass_mark, g.pass_mark)),
               sum(c.mandatory)
        FROM training_enrollment e
        LEFT JOIN training_course c ON c.id = e.course_id AND c.deleted_at IS NULL
        LEFT JOIN training_program g ON g.id = e.program_id AND g.deleted_at IS NULL
        WHERE e.deleted_at IS NULL AND (c.id IS NOT NULL OR g.id IS NOT NULL)""")
    got = warehouse.execute("""
        SELECT count(*), sum(credited_hours), sum(is_completed::int), sum(is_exam_taken::int),
               sum(is_exam_passed::int), sum(is_mandatory::int)
        FROM fact_training_enrollment""").fetchone()
    assert (got[0], _r1(got[1]), *got[2:]) == (expected[0], _r1(expected[1]), *expected[2:])
    assert warehouse.execute("SELECT count(*) FROM fact_training_enrollment WHERE unit_id IS NULL "
                             "OR end_date IS NULL").fetchone()[0] == 0


def test_fact_training_lesson_reconciles(source_engine, warehouse):
    """Lessons of live programmes and their hours equal the source; each has the teacher's unit."""
    expected = _one(source_engine, """
        SELECT count(*), sum(l.hours) FROM training_lesson l
        JOIN training_program g ON g.id = l.program_id WHERE g.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(hours), count(teacher_unit_id) FROM fact_training_lesson"
                            ).fetchone()
    assert (got[0], _r1(got[1])) == (expected[0], _r1(expected[1])) and got[2] == got[0]
