"""The ETL run as a whole: publish, incremental equality, kills, locks, readers, bad rows."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import text

from etl.run import EXIT_FAILED, EXIT_LOCKED, EtlError, published_path, run
from models.base import warehouse_tables
from models.db import open_engine
from tests.support import differences, settings_for

ROOT = Path(__file__).resolve().parents[2]


def scalar(path: Path, sql: str, params: list | None = None):
    """One value from a published warehouse."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def etl(env: dict[str, str], *args: str, **kw) -> subprocess.Popen:
    """Start `python -m etl run` in a child process with the given settings."""
    return subprocess.Popen([sys.executable, "-m", "etl", "run", *args], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def test_full_run_publishes_reference_data(warehouse):
    """The real organisation and the China work calendar reach the warehouse."""
    levels = dict(warehouse.execute("SELECT level, count(*) FROM dim_org GROUP BY 1").fetchall())
    assert levels["区局"] == 16 and levels["街乡镇"] == 343 and levels["市局"] == 1
    codes = {c for (c,) in warehouse.execute("SELECT code FROM dim_org WHERE level = '区局'").fetchall()}
    assert codes == {"110101", "110102", "110105", "110106", "110107", "110108", "110109",
                     "110111", "110112", "110113", "110114", "110115", "110116", "110117",
                     "110118", "110119"}
    workdays = dict(warehouse.execute(
        "SELECT year, count(*) FILTER (WHERE is_workday) FROM dim_date "
        "WHERE year IN (2024, 2025) GROUP BY 1").fetchall())
    assert workdays == {2024: 251, 2025: 248}
    assert warehouse.execute("SELECT is_workday FROM dim_date WHERE date_day = '2025-01-26'"
                             ).fetchone()[0] is True  # 调休 Sunday before 春节


def test_every_source_row_reaches_raw(warehouse, source_engine):
    """Row counts of every raw table equal the source (reconciliation of the extract)."""
    with source_engine.connect() as conn:
        for table in warehouse_tables():
            src = conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar()
            raw = warehouse.execute(f'SELECT count(*) FROM raw."{table.name}"').fetchone()[0]
            assert raw == src, table.name


def test_sessions_and_tokens_stay_out_of_the_warehouse(warehouse):
    """The app's sign-in state (session ids' hashes, CSRF tokens, API tokens) is not OA data."""
    raw = {t for (t,) in warehouse.execute("SELECT table_name FROM duckdb_tables() "
                                           "WHERE schema_name = 'raw'").fetchall()}
    assert {"user_account", "login_event"} <= raw and not raw & {"user_session", "api_token"}


def test_dim_person_headcount_matches_source_on_any_date(warehouse, source_engine):
    """SCD2: active staff per unit on a past date equal the source's history replayed."""
    day = "2025-06-30"
    wh = dict(warehouse.execute(
        "SELECT unit_id, count(*) FROM dim_person WHERE valid_from <= ? AND valid_to > ? "
        "AND hire_date <= ? AND (leave_date IS NULL OR leave_date > ?) GROUP BY 1",
        [day, day, day, day]).fetchall())
    with source_engine.connect() as conn:
        src = dict(conn.execute(text(
            "SELECT h.unit_id, count(*) FROM person p JOIN person_history h ON h.person_id = p.id "
            "WHERE h.id = (SELECT h2.id FROM person_history h2 WHERE h2.person_id = p.id "
            "AND h2.effective_date <= :d ORDER BY h2.effective_date DESC, h2.id DESC LIMIT 1) "
            "AND p.hire_date <= :d AND (p.leave_date IS NULL OR p.leave_date > :d) "
            "AND p.deleted_at IS NULL GROUP BY 1"), {"d": day}).all())
    assert wh == src and sum(wh.values()) > 200


def change_source(url: str) -> None:
    """Update, insert and soft-delete rows in the source, as the OA would in a day."""
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE person SET rank = '一级主任科员' WHERE id IN (5, 6, 7)"))
        conn.execute(text("UPDATE org_unit SET authorized_headcount = authorized_headcount + 3 "
                          "WHERE id = 20"))
        conn.execute(text("UPDATE person SET deleted_at = CURRENT_TIMESTAMP WHERE id = 9"))
        # rows in the first and a later extraction chunk of a big table
        conn.execute(text("UPDATE attendance_record SET channel = '补卡' WHERE id IN (10, 30000)"))
        pid = conn.execute(text("SELECT max(id) + 1 FROM person")).scalar()
        hid = conn.execute(text("SELECT max(id) + 1 FROM person_history")).scalar()
        conn.execute(text(
            "INSERT INTO person (id, employee_no, name, gender, birth_date, ethnicity, "
            "political_status, education, category, rank_series, rank, position, "
            "has_enforcement_cert, hire_date, unit_id) VALUES (:id, 'BJ999999', '新同事', '女', "
            "'1998-03-01', '汉族', '共青团员', '研究生', '公务员', '综合管理类', '二级科员', '科员', "
            "false, '2025-12-01', 2)"), {"id": pid})
        conn.execute(text(
            "INSERT INTO person_history (id, person_id, effective_date, kind, unit_id, category, "
            "rank, position) VALUES (:id, :pid, '2025-12-01', '入职', 2, '公务员', '二级科员', '科员')"),
            {"id": hid, "pid": pid})
    engine.dispose()


def test_incremental_equals_full_and_rerun_changes_nothing(source_copy, tmp_path):
    """Change, add and soft-delete source rows: incremental == fresh full; a rerun changes nothing."""
    # Small chunks: the delta (everything, inside the lookback) spans many chunks per table.
    inc = settings_for(source_copy, tmp_path / "inc", OA_ETL_CHUNK_ROWS="20000")
    run(inc, full=True)
    change_source(source_copy)
    assert run(inc).mode == "incremental"
    fresh = settings_for(source_copy, tmp_path / "fresh")
    run(fresh, full=True)
    assert differences(published_path(inc), published_path(fresh)) == []
    assert scalar(published_path(inc), "SELECT count(*) FROM dim_person WHERE person_id = 9") == 0
    snapshot = tmp_path / "before_rerun.duckdb"
    snapshot.write_bytes(published_path(inc).read_bytes())
    run(inc)
    assert differences(snapshot, published_path(inc)) == []


def test_a_full_run_starts_from_an_empty_file(source_copy, tmp_path):
    """--full builds anew: nothing an earlier warehouse held (a table, the size it grew to) is
    carried into the next file; a run of some modules keeps the others' data."""
    settings = settings_for(source_copy, tmp_path / "wh")
    run(settings, full=True)
    path = published_path(settings)
    size = path.stat().st_size
    with duckdb.connect(str(path)) as con:  # what an older run might have left behind
        con.execute("CREATE TABLE leftover AS SELECT range AS n, md5(range::VARCHAR) AS s FROM range(500000)")
    assert path.stat().st_size > size * 1.2
    run(settings, full=True, modules=["mail"])
    assert scalar(path, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'leftover'") == 1
    run(settings, full=True)
    assert scalar(path, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'leftover'") == 0
    assert path.stat().st_size < size * 1.2
    assert scalar(path, "SELECT count(*) FROM raw.person") > 0


def test_reader_holding_the_warehouse_does_not_block_publish(source_copy, tmp_path):
    """An open read-only connection keeps its old numbers; the next publish goes through."""
    settings = settings_for(source_copy, tmp_path / "wh")
    run(settings, full=True)
    reader = duckdb.connect(str(published_path(settings)), read_only=True)
    before = reader.execute("SELECT sum(authorized_headcount) FROM dim_org").fetchone()[0]
    change_source(source_copy)
    run(settings)
    assert reader.execute("SELECT sum(authorized_headcount) FROM dim_org").fetchone()[0] == before
    reader.close()
    assert scalar(published_path(settings), "SELECT sum(authorized_headcount) FROM dim_org") == before + 3


def test_killed_run_leaves_previous_warehouse_serving(source_copy, tmp_path):
    """SIGKILL in the middle of a run: readers see the old numbers; the next run works and logs it."""
    settings = settings_for(source_copy, tmp_path / "wh")
    run(settings, full=True)
    before = scalar(published_path(settings), "SELECT sum(authorized_headcount) FROM dim_org")
    change_source(source_copy)
    env = {"OA_DATABASE_URL": source_copy, "OA_WAREHOUSE_DIR": settings.warehouse_dir}
    child = etl(env, "--full")
    build = Path(settings.warehouse_dir) / "build"
    deadline = time.monotonic() + 60
    while not any(build.glob("*.duckdb")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # well inside the extract and load
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert scalar(published_path(settings), "SELECT sum(authorized_headcount) FROM dim_org") == before
    result = run(settings)
    log = sqlite3.connect(Path(settings.warehouse_dir) / "etl_log.sqlite")
    statuses = [s for (s,) in log.execute("SELECT status FROM etl_run ORDER BY run_id")]
    assert statuses == ["published", "killed", "published"]
    assert list(build.glob("*")) == []
    assert scalar(result.path, "SELECT sum(authorized_headcount) FROM dim_org") == before + 3


def test_second_run_while_one_runs_exits_with_distinct_code(source_copy, tmp_path):
    """Only one ETL at a time: the second exits at once with code 75 and says why."""
    wh = tmp_path / "wh"
    env = {"OA_DATABASE_URL": source_copy, "OA_WAREHOUSE_DIR": str(wh)}
    first = etl(env, "--full")
    deadline = time.monotonic() + 60
    while not (wh / "build").exists() or not any((wh / "build").glob("*.duckdb")):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    second = etl(env)
    _, err = second.communicate(timeout=60)
    assert second.returncode == EXIT_LOCKED
    assert "another ETL run is in progress" in err
    first.communicate(timeout=300)
    assert first.returncode == 0


def break_rows(url: str, statements: list[str]) -> None:
    """Write rows the schema would refuse, as a source without our constraints could hold them."""
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        db.execute(sql)
    db.commit()
    db.close()


def test_bad_rows_are_quarantined_with_reasons_and_the_rest_publishes(source_copy, tmp_path):
    """Negative amount, end before start, orphan reference: quarantined, counted, left out."""
    break_rows(source_copy, [
        "UPDATE org_unit SET authorized_headcount = -5 WHERE id = 30",
        "UPDATE person SET leave_date = '1990-01-01', leave_reason = '辞职' WHERE id = 11",
        "UPDATE person SET unit_id = 999999 WHERE id = 12",
    ])
    settings = settings_for(source_copy, tmp_path / "wh")
    result = run(settings, full=True)
    path = published_path(settings)
    with duckdb.connect(str(path), read_only=True) as con:
        bad = {(t, i): (c, r) for t, i, c, r in con.execute(
            "SELECT table_name, source_id, check_name, reason FROM quarantine").fetchall()}
        assert bad[("org_unit", 30)][0] == "check:ck_org_unit_authorized_headcount_nonneg"
        assert bad[("person", 11)][0] == "check:ck_person_leave_after_hire"
        assert bad[("person", 12)] == ("foreign_key:unit_id", "unit_id=999999 在 org_unit 中不存在")
        assert con.execute("SELECT count(*) FROM dim_person WHERE person_id IN (11, 12)").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM dim_org WHERE org_id = 30").fetchone()[0] == 0
        logged = dict(con.execute("SELECT table_name, rows_quarantined FROM etl_run_table "
                                  "WHERE run_id = ?", [result.run_id]).fetchall())
    assert logged["person"] == 2 and logged["org_unit"] == 1 and result.quarantined >= 3


def test_too_many_bad_rows_fail_the_run_and_publish_nothing(source_copy, tmp_path):
    """Past the threshold the run fails with a one-line reason, exit code 1, warehouse unchanged."""
    settings = settings_for(source_copy, tmp_path / "wh", OA_ETL_MAX_BAD_ROWS="2",
                            OA_ETL_MAX_BAD_SHARE="0")
    run(settings, full=True)
    before = scalar(published_path(settings), "SELECT max(run_id) FROM etl_run")
    break_rows(source_copy, ["UPDATE person SET unit_id = 999999 WHERE id IN (20, 21, 22)"])
    env = {"OA_DATABASE_URL": source_copy, "OA_WAREHOUSE_DIR": settings.warehouse_dir,
           "OA_ETL_MAX_BAD_ROWS": "2", "OA_ETL_MAX_BAD_SHARE": "0"}
    child = etl(env)
    _, err = child.communicate(timeout=300)
    assert child.returncode == EXIT_FAILED
    assert err.strip().splitlines() == [
        "etl: run failed: too many bad rows: person: 3 bad rows of %d (limit 2)"
        % scalar(published_path(settings), 'SELECT count(*) FROM raw.person')]
    assert scalar(published_path(settings), "SELECT max(run_id) FROM etl_run") == before


def test_rows_deleted_in_the_source_fail_an_incremental_run(source_copy, tmp_path):
    """A hard delete breaks the row-count reconciliation: structural failure, nothing published."""
    settings = settings_for(source_copy, tmp_path / "wh")
    run(settings, full=True)
    break_rows(source_copy, ["DELETE FROM person_history WHERE id = 3"])
    with pytest.raises(EtlError, match="person_history: warehouse has .* rows, source has"):
        run(settings)
    assert run(settings, full=True).mode == "full"
