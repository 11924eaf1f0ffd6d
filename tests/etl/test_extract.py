"""Extraction: the generic SQLAlchemy path and the ADBC fast path give the same warehouse."""
from __future__ import annotations

import sqlite3

import duckdb
import pyarrow as pa
import pytest

from etl.extract import normalise, path_for
from etl.run import EtlError, published_path, run
from tests.support import differences, settings_for


def test_paths_are_chosen_by_database():
    """ADBC for SQLite and PostgreSQL, SQLAlchemy for anything else or when forced."""
    assert path_for("sqlite:///x.db") == "adbc-sqlite"
    assert path_for("postgresql+psycopg://u@h/db") == "adbc-postgresql"
    assert path_for("mysql+pymysql://u@h/db") == "sqlalchemy"
    assert path_for("sqlite:///x.db", "sqlalchemy") == "sqlalchemy"


def test_all_null_columns_become_null_typed():
    """A chunk whose column is all NULL carries no guessed type that could clash with the next chunk."""
    chunk = normalise(pa.table({"a": pa.array([None, None], pa.int64()), "b": [1, None]}))
    assert chunk.schema.field("a").type == pa.null() and chunk.schema.field("b").type == pa.int64()


def test_generic_path_builds_the_same_warehouse(source_url, warehouse_settings, tmp_path):
    """OA_ETL_EXTRACT_PATH=sqlalchemy (any database) equals the ADBC warehouse row for row."""
    settings = settings_for(source_url, tmp_path / "wh", OA_ETL_EXTRACT_PATH="sqlalchemy")
    result = run(settings, full=True)
    assert all(t["extracted"] == t["source_rows"] for t in result.tables.values())
    assert differences(published_path(settings), published_path(warehouse_settings)) == []


def test_stray_text_in_a_number_column_keeps_the_other_rows_exact(source_copy, tmp_path):
    """SQLite lets a number column hold text; the driver would then turn the whole column into
    rounded text ('1.234568e+06'). The chunk is read again with casts, so every other amount
    arrives to the cent and the run publishes."""
    db = sqlite3.connect(source_copy.removeprefix("sqlite:///"))
    db.execute("UPDATE contract SET amount = 1234567.89 WHERE id = 2")
    db.execute("UPDATE contract SET amount = 'N/A' WHERE id = 1")
    assert db.execute("SELECT typeof(amount) FROM contract WHERE id = 1").fetchone()[0] == "text"
    expected = {i: round(a, 2) for i, a in db.execute("SELECT id, amount FROM contract WHERE id > 1")}
    db.commit()
    db.close()
    settings = settings_for(source_copy, tmp_path / "wh")
    run(settings, full=True)
    with duckdb.connect(str(published_path(settings)), read_only=True) as con:
        got = {i: float(a) for i, a in con.execute("SELECT id, amount FROM raw.contract WHERE id > 1").fetchall()}
    assert got == expected and got[2] == 1234567.89


def test_a_source_without_a_models_column_fails_with_the_reason(source_copy, tmp_path):
    """SQLite would read a missing "quoted" column as the literal text; the run must stop and say
    which column is missing instead of loading that text."""
    db = sqlite3.connect(source_copy.removeprefix("sqlite:///"))
    db.execute("ALTER TABLE user_account DROP COLUMN last_login_at")
    db.commit()
    db.close()
    with pytest.raises(EtlError, match="user_account has no column last_login_at"):
        run(settings_for(source_copy, tmp_path / "wh"), full=True)
