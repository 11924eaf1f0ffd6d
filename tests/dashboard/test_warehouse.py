"""The app's warehouse connection: one open database per process and published version; a publish
(a new file renamed over the old) is seen by the next query and never waits for a reader."""
from __future__ import annotations

import os

import duckdb

from dashboard import warehouse
from dashboard.config import Settings


def publish(directory, value: int) -> None:
    """What the ETL does, in small: build a new file beside the published one, rename it over."""
    build = directory / f"build-{value}.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
    os.replace(build, directory / warehouse.PUBLISHED)


def test_the_next_query_after_a_publish_reads_the_new_file_while_an_open_reader_keeps_the_old(tmp_path):
    settings = Settings.from_env({"OA_WAREHOUSE_DIR": str(tmp_path)})
    publish(tmp_path, 1)
    assert warehouse.query(settings, "SELECT v FROM t")["v"].tolist() == [1]
    with warehouse.connect(settings) as reader:  # a reader in the middle of its work
        publish(tmp_path, 2)  # the rename does not wait for it
        assert reader.execute("SELECT v FROM t").fetchall() == [(1,)]
        assert warehouse.query(settings, "SELECT v FROM t")["v"].tolist() == [2]
    publish(tmp_path, 3)
    assert warehouse.query(settings, "SELECT v FROM t")["v"].tolist() == [3]


def test_the_warehouse_is_read_only_to_the_app(tmp_path):
    settings = Settings.from_env({"OA_WAREHOUSE_DIR": str(tmp_path)})
    publish(tmp_path, 1)
    try:
        warehouse.query(settings, "INSERT INTO t VALUES (9)")
    except duckdb.Error as exc:
        assert "read-only" in str(exc).lower() or "read only" in str(exc).lower(), exc
    else:
        raise AssertionError("the app could write the warehouse")
    assert warehouse.query(settings, "SELECT v FROM t")["v"].tolist() == [1]
