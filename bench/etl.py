"""ETL benchmark at city scale: full run, incremental after 1,000 changed rows, extraction speed.

Prints figures and ratios measured in one run; record them in bench/RESULTS.md with the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from dashboard.config import Settings  # noqa: E402
from etl import extract  # noqa: E402
from etl.run import run  # noqa: E402
from models.base import Base, import_all  # noqa: E402
from models.demo.__main__ import seed  # noqa: E402


def backdate(db: Path) -> None:
    """Date every seeded row back into the previous month, as in a database that has been in use
    for a while, so the incremental run's lookback window does not re-read the whole seed."""
    con = sqlite3.connect(db)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name <> 'alembic_version'").fetchall():
        # Spread over the 30 days before yesterday, as writes of a month of use would be.
        con.execute(f'UPDATE "{name}" SET updated_at = datetime(updated_at, \'-1 day\', '
                    f'\'-\' || ((id * 7919) % 43200) || \' minutes\'), created_at = '
                    f'datetime(created_at, \'-1 day\', \'-\' || ((id * 7919) % 43200) || \' minutes\')')
    con.commit()
    con.close()


def change_rows(db: Path, n: int) -> dict[str, int]:
    """Touch n rows spread over the largest tables (the update trigger moves updated_at)."""
    con = sqlite3.connect(db)
    sizes = []
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name <> 'alembic_version'").fetchall():
        sizes.append((con.execute(f'SELECT max(id) FROM "{name}"').fetchone()[0] or 0, name))
    biggest = sorted(sizes, reverse=True)[:5]
    total = sum(s for s, _ in biggest)
    changed = {}
    for size, name in biggest:
        k = max(1, round(n * size / total))
        step = max(1, size // k)
        ids = list(range(1, size + 1, step))[:k]
        con.executemany(f'UPDATE "{name}" SET updated_at = updated_at WHERE id = ?', [(i,) for i in ids])
        changed[name] = len(ids)
    con.commit()
    con.close()
    return changed


def extraction_ratio(db: Path, table_name: str) -> tuple[int, float, float]:
    """Rows/s of our extraction of one table against DuckDB reading the same rows from Parquet."""
    import_all()
    table = Base.metadata.tables[table_name]
    t0 = time.perf_counter()
    with extract.source(f"sqlite:///{db}", "adbc-sqlite") as src:
        got = src.extract(table, None, 250_000)
    ours = time.perf_counter() - t0
    import pyarrow as pa
    data = pa.concat_tables([c.cast(got.chunks[0].schema) if c.schema != got.chunks[0].schema
                             else c for c in got.chunks], promote_options="permissive")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table_name}.parquet"
        pq.write_table(data, path)
        t0 = time.perf_counter()
        duckdb.connect().execute(f"SELECT * FROM read_parquet('{path}')").fetch_arrow_table()
        floor = time.perf_counter() - t0
    return got.rows, got.rows / ours, got.rows / floor


class Phases:
    """Collects how long each step of a run took, from the ETL's progress messages."""

    def __init__(self) -> None:
        self.last, self.label, self.spent = time.perf_counter(), "start", {}

    def __call__(self, message: str) -> None:
        now = time.perf_counter()
        key = self.label.split(" (")[0]
        self.spent[key] = self.spent.get(key, 0.0) + now - self.last
        self.last, self.label = now, message

    def top(self, n: int = 8) -> str:
        """The n slowest steps."""
        self(self.label)
        rows = sorted(self.spent.items(), key=lambda kv: -kv[1])[:n]
        return ", ".join(f"{k} {v:.1f} s" for k, v in rows)


def main() -> int:
    """Seed (unless reused), run full and incremental ETL, measure extraction; print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", default="city")
    ap.add_argument("--dir", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--reuse", action="store_true", help="reuse an existing seeded database")
    ap.add_argument("--backdate", action="store_true", help="with --reuse: date the rows back again")
    args = ap.parse_args()
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"{args.scale}.db"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}")
    if not (args.reuse and db.exists()):
        t0 = time.perf_counter()
        seed(f"sqlite:///{db}", args.scale, 20261126, dt.date(2026, 11, 26))
        print(f"seed {args.scale}: {time.perf_counter() - t0:.1f} s")
        backdate(db)
    elif args.backdate:
        backdate(db)
    settings = Settings.from_env({"OA_DATABASE_URL": f"sqlite:///{db}",
                                  "OA_WAREHOUSE_DIR": str(out / f"wh_{args.scale}")})
    t0 = time.perf_counter()
    phases = Phases()
    full = run(settings, full=True, progress=phases)
    full_s = time.perf_counter() - t0
    rows = sum(t["extracted"] for t in full.tables.values())
    print(f"full ETL: {full_s:.1f} s for {rows:,} rows ({rows / full_s:,.0f} rows/s); "
          f"slowest steps: {phases.top()}")
    changed = change_rows(db, 1000)
    t0 = time.perf_counter()
    phases = Phases()
    inc = run(settings, progress=phases)
    inc_s = time.perf_counter() - t0
    print(f"incremental ETL after {sum(changed.values())} changed rows {changed}: {inc_s:.2f} s "
          f"({sum(t['extracted'] for t in inc.tables.values()):,} rows re-read, {len(inc.rebuilt)} marts redone, "
          f"{sum(h == 'refreshed' for h in inc.rebuilt.values())} of them refreshed by key); slowest steps: {phases.top()}")
    biggest = max(full.tables, key=lambda t: full.tables[t]["extracted"])
    n, ours, floor = extraction_ratio(db, biggest)
    print(f"extraction of {biggest} ({n:,} rows): {ours:,.0f} rows/s; DuckDB from local Parquet "
          f"{floor:,.0f} rows/s; ratio ours/floor = {ours / floor:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
