"""The only code that opens the published DuckDB warehouse: short-lived, read-only, parameterised."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

from dashboard.config import Settings

PUBLISHED = "warehouse.duckdb"


class WarehouseNotPublished(RuntimeError):
    """No ETL run has published a warehouse yet."""


def path(settings: Settings) -> Path:
    """Path of the published warehouse file."""
    return Path(settings.warehouse_dir) / PUBLISHED


@contextmanager
def connect(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse as published now; closed on exit."""
    p = path(settings)
    if not p.exists():
        raise WarehouseNotPublished(
            f"no warehouse at {p}: run `python -m etl run --full` first")
    con = duckdb.connect(str(p), read_only=True)
    try:
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
