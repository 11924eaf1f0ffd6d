"""The only code that opens the published DuckDB warehouse: read-only, parameterised, one open
database per process and published version, a fresh cursor per query."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

from dashboard.config import Settings

PUBLISHED = "warehouse.duckdb"
# Open warehouses kept per process: the app has one; a test process builds many, each held only
# until newer ones push it out.
KEEP_OPEN = 4

_open: OrderedDict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = OrderedDict()
_lock = threading.Lock()


class WarehouseNotPublished(RuntimeError):
    """No ETL run has published a warehouse yet."""


def path(settings: Settings) -> Path:
    """Path of the published warehouse file."""
    return Path(settings.warehouse_dir) / PUBLISHED


def _database(p: Path) -> duckdb.DuckDBPyConnection:
    """The process's open database for the file published at p now, opened on first use.

    Opening the file reads its catalog (about 40 ms at city scale), so it is done once per
    published version, not per query. The file is ATTACHed to a private in-memory database:
    duckdb.connect(path) would hand back its cached instance of the file the path named before
    the last publish. A publish renames a new file over p, which changes its inode and mtime;
    the old instance keeps reading the old file until the last cursor on it is gone, so a
    reader never blocks a publish. A forked worker opens its own (DuckDB is not fork-safe).
    """
    try:
        st = p.stat()
    except FileNotFoundError:
        raise WarehouseNotPublished(f"no warehouse at {p}: run `python -m etl run --full` first") from None
    version = (st.st_ino, st.st_mtime_ns, os.getpid())
    key = str(p)
    with _lock:
        held = _open.get(key)
        if held and held[0] == version:
            _open.move_to_end(key)
            return held[1]
        db = duckdb.connect(":memory:")
        # ATTACH takes no parameters; the path is our own setting, quoted as a SQL string.
        db.execute("ATTACH '{}' AS wh (READ_ONLY)".format(key.replace("'", "''")))
        _open[key] = (version, db)
        _open.move_to_end(key)
        while len(_open) > KEEP_OPEN:
            _open.popitem(last=False)  # closed by DuckDB when the last cursor on it is gone
        return db


@contextmanager
def connect(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the warehouse as published now; closed on exit. Cursors are cheap
    and each thread needs its own (a DuckDB connection is not shared between threads)."""
    con = _database(path(settings)).cursor()
    try:
        con.execute("USE wh")
        yield con
    finally:
        con.close()


def query(settings: Settings, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one parameterised query (? or $name parameters) against the published warehouse."""
    with connect(settings) as con:
        return con.execute(sql, params or []).df()


def as_of(settings: Settings):
    """When the published warehouse's ETL run ended (Beijing time), or None if none is published."""
    try:
        df = query(settings, "SELECT max(ended_at) AS as_of FROM etl_run WHERE status = 'published'")
    except WarehouseNotPublished:
        return None
    value = df["as_of"].iloc[0]
    return None if pd.isna(value) else value.to_pydatetime()

