"""The ETL with PostgreSQL as the source: same data, same warehouse, same guarantees."""
from __future__ import annotations

import itertools
import signal
import time
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from etl.run import published_path, run
from models.base import make_engine
from models.db import open_engine
from models.demo.__main__ import seed
from tests.etl.test_run import etl, scalar
from tests.support import AS_OF, SEED, WRITE_TIMES, checksums, differences, settings_for

_copies = itertools.count()


@pytest.fixture(scope="module")
def pg_source(pg_url) -> str:
    """The small demo seeded into the PostgreSQL test database (same seed as the SQLite source)."""
    seed(pg_url, "small", SEED, AS_OF)
    return pg_url


@pytest.fixture
def pg_copy(pg_source):
    """A private copy of the seeded PostgreSQL database (CREATE DATABASE ... TEMPLATE), dropped after."""
    url = make_url(pg_source)
    name = f"oa_test_copy_{next(_copies)}"
    server = make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                         isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_generator_writes_the_same_data_to_postgresql(pg_source, source_engine):
    """Same seed, same as-of: identical table checksums on PostgreSQL and SQLite."""
    engine = open_engine(pg_source)
    assert checksums(engine) == checksums(source_engine)
    engine.dispose()


def test_postgresql_source_builds_the_same_warehouse(pg_source, warehouse_settings, tmp_path):
    """Extracting from PostgreSQL (ADBC) gives the warehouse SQLite gives, row for row."""
    settings = settings_for(pg_source, tmp_path / "wh")
    result = run(settings, full=True)
    assert all(t["extracted"] == t["source_rows"] for t in result.tables.values())
    assert differences(published_path(settings), published_path(warehouse_settings),
                       ignore=WRITE_TIMES) == []


def test_postgresql_incremental_equals_full(pg_copy, tmp_path):
    """Change, add, soft-delete in PostgreSQL; incremental == fresh full; rerun changes nothing."""
    from tests.etl.test_run import change_source
    inc = settings_for(pg_copy, tmp_path / "inc")
    run(inc, full=True)
    change_source(pg_copy)
    run(inc)
    fresh = settings_for(pg_copy, tmp_path / "fresh")
    run(fresh, full=True)
    assert differences(published_path(inc), published_path(fresh)) == []
    snapshot = tmp_path / "snapshot.duckdb"
    snapshot.write_bytes(published_path(inc).read_bytes())
    run(inc)
    assert differences(snapshot, published_path(inc)) == []


def test_postgresql_bad_rows_are_quarantined(pg_copy, tmp_path):
    """A PostgreSQL source without our constraints: bad rows quarantined, the rest published."""
    engine = open_engine(pg_copy)
    with engine.begin() as conn:
        for table, constraint in (("org_unit", "ck_org_unit_authorized_headcount_nonneg"),
                                  ("person", "ck_person_leave_after_hire"),
                                  ("person", "fk_person_unit_id_org_unit")):
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}"))
        conn.execute(text("UPDATE org_unit SET authorized_headcount = -5 WHERE id = 30"))
        conn.execute(text("UPDATE person SET leave_date = '1990-01-01', leave_reason = '辞职' "
                          "WHERE id = 11"))
        conn.execute(text("UPDATE person SET unit_id = 999999 WHERE id = 12"))
    engine.dispose()
    settings = settings_for(pg_copy, tmp_path / "wh")
    run(settings, full=True)
    with duckdb.connect(str(published_path(settings)), read_only=True) as con:
        bad = dict(((t, i), c) for t, i, c in con.execute(
            "SELECT table_name, source_id, check_name FROM quarantine").fetchall())
        assert con.execute("SELECT count(*) FROM dim_person WHERE person_id IN (11, 12)").fetchone()[0] == 0
    # Records of person 11 dated after the (wrong) 1990 leave date are caught by the modules' checks.
    assert bad[("org_unit", 30)] == "check:ck_org_unit_authorized_headcount_nonneg"
    assert bad[("person", 11)] == "check:ck_person_leave_after_hire"
    assert bad[("person", 12)] == "foreign_key:unit_id"


def test_postgresql_killed_run_leaves_previous_warehouse(pg_copy, tmp_path):
    """SIGKILL mid-run with a PostgreSQL source: the old warehouse keeps serving."""
    from tests.etl.test_run import change_source
    settings = settings_for(pg_copy, tmp_path / "wh")
    run(settings, full=True)
    before = scalar(published_path(settings), "SELECT sum(authorized_headcount) FROM dim_org")
    change_source(pg_copy)
    child = etl({"OA_DATABASE_URL": pg_copy, "OA_WAREHOUSE_DIR": settings.warehouse_dir}, "--full")
    build = Path(settings.warehouse_dir) / "build"
    deadline = time.monotonic() + 60
    while not any(build.glob("*.duckdb")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert scalar(published_path(settings), "SELECT sum(authorized_headcount) FROM dim_org") == before
    assert scalar(run(settings).path, "SELECT sum(authorized_headcount) FROM dim_org") == before + 3
