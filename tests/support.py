"""Helpers shared by tests: the seed, settings for a source and warehouse, warehouse comparison."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import subprocess
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import duckdb
from sqlalchemy import select, text

from dashboard.config import Settings
from models.base import Base, import_all

SEED = 7
AS_OF = dt.date(2025, 12, 31)
BOOKKEEPING_TABLES = {"etl_run", "etl_run_table", "etl_watermark", "quarantine"}
WRITE_TIMES = {"created_at", "updated_at"}


def settings_for(source_url: str, warehouse_dir: Path, **extra: str) -> Settings:
    """Settings pointing the ETL at one source and one warehouse folder."""
    env = {"OA_DATABASE_URL": source_url, "OA_WAREHOUSE_DIR": str(warehouse_dir), **extra}
    return Settings.from_env(env)


def warehouse_tables(path: Path) -> list[tuple[str, str]]:
    """(schema, table) of every base table in a warehouse file, bookkeeping excluded."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
    return sorted((s, t) for s, t in rows if t not in BOOKKEEPING_TABLES)


def differences(a: Path, b: Path, ignore: set[str] = frozenset()) -> list[str]:
    """Tables whose rows differ between two warehouse files (as multisets; columns in ignore left out)."""
    tables = warehouse_tables(a)
    assert tables == warehouse_tables(b)
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = []
    for schema, table in tables:
        cols = [c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND schema_name = ? "
            "AND table_name = ? ORDER BY column_index", [schema, table]).fetchall() if c not in ignore]
        sel = ", ".join(f'"{c}"' for c in cols)
        for x, y in (("a", "b"), ("b", "a")):
            n = con.execute(f'SELECT count(*) FROM (SELECT {sel} FROM {x}.{schema}."{table}" EXCEPT ALL '
                            f'SELECT {sel} FROM {y}.{schema}."{table}")').fetchone()[0]
            if n:
                out.append(f'{schema}.{table}: {n} rows only in {x}')
    con.close()
    return out


def _norm(value) -> str:
    if isinstance(value, (Decimal, float)):
        return f"{float(value):.6f}"
    return str(value)


def checksums(engine) -> dict[str, str]:
    """sha256 per source table over every row (id order) and column except created_at/updated_at,
    which record when the rows were written, not what they say."""
    import_all()
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.c if c.name not in WRITE_TIMES]
            h = hashlib.sha256()
            for row in conn.execute(select(*cols).order_by(table.c.id)):
                h.update("\x1f".join(_norm(v) for v in row).encode())
                h.update(b"\x1e")
            out[table.name] = h.hexdigest()
    return out


def query_rows(engine, sql: str, **params) -> list:
    """All rows of one plain-SQL query on engine."""
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


# The three scopes the acceptance tests read at: the 市局 (all), 东城区局, 东华门街道.
SCOPE_CODES = {"city": "BJCG", "district": "110101", "street": "110101001"}
# A full year and a single month with a holiday (国庆/中秋 2025), inside the small seed.
PERIODS = {"year": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
           "holiday_month": (dt.date(2025, 10, 1), dt.date(2025, 10, 31))}


def source_subtree(code: str) -> str:
    """A CTE `subtree(id)` of the operational org tree: the unit with code and all below it
    (the independent counterpart of dim_org.path; bind nothing, code is one of SCOPE_CODES)."""
    assert code in SCOPE_CODES.values()
    return (f"WITH RECURSIVE subtree(id) AS (SELECT id FROM org_unit WHERE code = '{code}' "
            f"UNION ALL SELECT o.id FROM org_unit o JOIN subtree s ON o.parent_id = s.id)")


# The unit person p belonged to on :d, replayed from person_history (the source of dim_person).
SOURCE_UNIT_ON = ("(SELECT h.unit_id FROM person_history h WHERE h.person_id = p.id AND "
                  "h.effective_date <= {d} ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_healthz(base: str, proc: subprocess.Popen, seconds: float = 60) -> dict:
    """Poll base/healthz until the server answers (any status); fail if it exits or is too slow."""
    deadline = time.monotonic() + seconds
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    while True:
        try:
            with direct.open(f"{base}/healthz", timeout=2) as response:
                return json.load(response)
        except OSError:
            assert proc.poll() is None, f"the server at {base} exited with {proc.returncode}"
            assert time.monotonic() < deadline, f"the server at {base} did not answer in {seconds} s"
            time.sleep(0.2)


def rate(part, whole):
    """part / whole, or None when whole is 0 (METRICS.md: a rate without a base is shown as —)."""
    return part / whole if whole else None
