"""Extraction: the generic SQLAlchemy path and the ADBC fast path give the same warehouse."""
from __future__ import annotations

import pyarrow as pa

from etl.extract import normalise, path_for
from etl.run import published_path, run
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
