"""Plain-SQL pieces for recomputing the people modules' metrics (attendance, appraisal, training,
identity, mail) straight from the operational database, independently of the warehouse."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import text

from dashboard import warehouse
from dashboard.config import Settings
from etl.run import run
from models import workday
from models.db import open_engine
from tests.support import SOURCE_UNIT_ON, query_rows, settings_for, source_subtree

# Live people: not withdrawn. A row naming a withdrawn person (as subject, approver, sender...) is
# withdrawn with them, as the ETL's src views do.
LIVE_PERSON = "SELECT id FROM person WHERE deleted_at IS NULL"
# Watched tables whose rows the ETL might quarantine: the recomputations below do not replay the
# ETL's checks, so they hold only while the seed gives the checks nothing to catch.
PEOPLE_TABLES = ("attendance_record", "leave_request", "overtime", "appraisal", "training_course",
                 "training_program", "training_enrollment", "user_account", "login_event",
                 "signature_event", "mail_message", "mail_recipient", "person", "person_history")


def names_live(column: str) -> str:
    """Condition: the person a nullable column names is live (or the column is empty)."""
    return f"({column} IS NULL OR {column} IN ({LIVE_PERSON}))"


def unit_on(person: str, day: str) -> str:
    """SQL for the unit that the person whose id is the expression person belonged to on day
    (tests.support.SOURCE_UNIT_ON, for any person expression)."""
    return SOURCE_UNIT_ON.replace("p.id", person).format(d=day)


def category_on(person: str, day: str) -> str:
    """SQL for the staff category (公务员, ...) of a person on day, replayed from person_history."""
    return (f"(SELECT h.category FROM person_history h WHERE h.person_id = {person} AND "
            f"h.effective_date <= {day} ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)")


def active(person: str, day: str) -> str:
    """Condition: person alias (a row of person) is live and employed on day (hired, not left)."""
    return (f"{person}.deleted_at IS NULL AND {person}.hire_date <= {day} "
            f"AND ({person}.leave_date IS NULL OR {person}.leave_date > {day})")


def with_subtree(code: str, **ctes: str) -> str:
    """`WITH RECURSIVE subtree(id) AS (...)` for the scope unit code, plus the named CTEs."""
    return ", ".join([source_subtree(code)] + [f"{name} AS ({sql})" for name, sql in ctes.items()])


def workdays_cte(start: dt.date, end: dt.date) -> str:
    """A query of one column d: the China work calendar's workdays from start to end, computed in
    Python by models.workday (the warehouse's dim_date is built from the same calendar)."""
    days = workday.workdays(start, end)
    if not days:
        return "SELECT NULL AS d WHERE 0"
    return "SELECT column1 AS d FROM (VALUES " + ", ".join(f"('{d}')" for d in days) + ")"


def one(engine, sql: str, **params):
    """The single value of a one-row, one-column query."""
    return query_rows(engine, sql, **params)[0][0]


def headcount(engine, code: str, day: dt.date) -> int:
    """Live staff employed on day whose unit that day lies in the scope of code."""
    return one(engine, f"{with_subtree(code)} SELECT count(*) FROM person p "
                       f"WHERE {active('p', ':d')} "
                       f"AND {unit_on('p.id', ':d')} IN (SELECT id FROM subtree)", d=day)


def mean_headcount(engine, code: str, start: dt.date, end: dt.date) -> float:
    """Mean of the headcount at start and at end (the base of every per-capita metric)."""
    return (headcount(engine, code, start) + headcount(engine, code, end)) / 2


def assert_nothing_quarantined(settings: Settings) -> None:
    """The ETL's checks withheld nothing of the people tables (PEOPLE_TABLES) from this source."""
    names = ", ".join(f"'{t}'" for t in PEOPLE_TABLES)
    rows = warehouse.query(settings, f"SELECT table_name, count(*) AS n FROM quarantine "
                                     f"WHERE table_name IN ({names}) GROUP BY table_name")
    assert rows.empty, f"quarantined (not replayed by the recomputation): {rows.values.tolist()}"


# Rows the small seed lacks, made in a private copy so the recomputations meet them: a withdrawn
# person (the 区局 head who approved most leave, so the leave, overtime and appraisals naming them
# go too, with their account, logins and mail), a withdrawn course, 请假 clock records without an
# approved request, 优秀 grades (the seed's units are too small for a quota), an account whose
# October logins all failed, and October mail first read in November. Each must change a row.
IN_DISTRICT = f"IN ({source_subtree('110101')} SELECT id FROM subtree)"
EDITS = (
    f"""UPDATE person SET deleted_at = '2025-12-01 10:00:00.000000' WHERE id = (
        SELECT l.approver_id FROM leave_request l JOIN person p ON p.id = l.approver_id
        WHERE p.unit_id {IN_DISTRICT} GROUP BY l.approver_id
        ORDER BY count(*) DESC, l.approver_id LIMIT 1)""",
    "UPDATE training_course SET deleted_at = '2025-12-01 10:00:00.000000' "
    "WHERE id = (SELECT min(id) FROM training_course WHERE NOT mandatory)",
    f"""UPDATE attendance_record SET status = '请假' WHERE id IN (
        SELECT r.id FROM attendance_record r JOIN person p ON p.id = r.person_id
        WHERE p.unit_id {IN_DISTRICT} AND p.deleted_at IS NULL AND r.status = '正常'
          AND r.record_date BETWEEN '2025-10-09' AND '2025-10-31' ORDER BY r.id LIMIT 3)""",
    "UPDATE appraisal SET grade = '优秀' WHERE kind = '年度' AND grade = '称职' AND id % 5 = 0",
    f"""UPDATE login_event SET success = 0, failure_reason = '密码错误'
        WHERE attempted_at BETWEEN '2025-10-01' AND '2025-11-01' AND user_id = (
            SELECT min(a.id) FROM user_account a JOIN person p ON p.id = a.person_id
            JOIN login_event l ON l.user_id = a.id
            WHERE p.unit_id {IN_DISTRICT} AND p.deleted_at IS NULL
              AND l.success AND l.attempted_at BETWEEN '2025-10-01' AND '2025-11-01')""",
    f"""UPDATE mail_recipient SET read_at = '2025-11-03 09:30:00.000000' WHERE id IN (
        SELECT r.id FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        JOIN person p ON p.id = r.person_id
        WHERE p.unit_id {IN_DISTRICT} AND r.read_at IS NOT NULL
          AND m.sent_at BETWEEN '2025-10-08' AND '2025-10-20' ORDER BY r.id LIMIT 4)""",
)
# The annual-appraisal cap of the edited warehouse: not the default, to see the setting travel.
EDITED_EXCELLENT_CAP = "0.15"


# seeded file -> (settings, engine) of its edited copy: one build per session for all five modules
# (a session fixture imported into each of them would be built once per module).
_EDITED: dict[Path, tuple[Settings, object]] = {}


def edited_source(seeded_file: Path, tmp_path_factory) -> tuple[Settings, object]:
    """(settings, engine) of a private copy of the small source with EDITS, and the warehouse a
    full ETL run builds from it; built once per test session, whichever module asks first."""
    if seeded_file not in _EDITED:
        _EDITED[seeded_file] = _build_edited(seeded_file, tmp_path_factory)
    return _EDITED[seeded_file]


def _build_edited(seeded_file: Path, tmp_path_factory) -> tuple[Settings, object]:
    folder = tmp_path_factory.mktemp("people_edited")
    shutil.copyfile(seeded_file, folder / "oa.db")
    url = f"sqlite:///{folder / 'oa.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        for sql in EDITS:
            assert conn.execute(text(sql)).rowcount > 0, f"edit changed nothing: {sql}"
    settings = settings_for(url, folder / "warehouse", OA_EXCELLENT_CAP=EDITED_EXCELLENT_CAP)
    run(settings, full=True)
    return settings, engine


# The sources every summary is checked on: the small seed as it is, then with EDITS.
SOURCES = ("seed", "edited")


def source_for(request, kind: str) -> tuple[Settings, object]:
    """(warehouse settings, source engine) of one of SOURCES, from the fixtures of request."""
    fixture = request.getfixturevalue
    if kind == "seed":
        return fixture("warehouse_settings"), fixture("source_engine")
    return edited_source(fixture("seeded_file"), fixture("tmp_path_factory"))
