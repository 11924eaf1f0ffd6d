"""`python -m models.demo`: seed an operational database with realistic, deterministic data."""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import time
import zoneinfo

from dashboard.config import Settings
from models.db import open_engine, reset_schema
from models.demo.core import SCALES, DemoContext

# hr first (org and staff), identity next (accounts), then every other module.
ORDER = ("hr", "identity", "portal", "office", "mail", "contract", "attendance", "appraisal",
         "training", "uniform", "asset", "cabinet", "ops")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, reset the database and run every module's generator."""
    ap = argparse.ArgumentParser(prog="python -m models.demo", description=__doc__)
    ap.add_argument("--scale", choices=sorted(SCALES), default="demo")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--db", help="SQLAlchemy URL (default: OA_DATABASE_URL)")
    ap.add_argument("--as-of", type=dt.date.fromisoformat,
                    help="last day of the data (default: today in Beijing); same seed and "
                         "as-of give identical data")
    args = ap.parse_args(argv)
    url = args.db or Settings.from_env().database_url
    as_of = args.as_of or dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    t0 = time.monotonic()
    rows = seed(url, SCALES[args.scale].name, args.seed, as_of, progress=sys.stderr.isatty())
    print(f"seeded {url} at scale {args.scale} (seed {args.seed}, as of {as_of}): "
          f"{rows:,} rows in {time.monotonic() - t0:.1f} s")
    return 0


def seed(url: str, scale: str, seed: int, as_of: dt.date, progress: bool = False) -> int:
    """Reset the database at url and fill it; returns the number of rows written."""
    from tqdm import tqdm

    engine = open_engine(url)
    reset_schema(engine)
    sc = SCALES[scale]
    start = period_start(as_of, sc.years)
    bar = tqdm(unit=" rows", disable=not progress, desc=f"demo {scale}")
    with engine.begin() as conn:
        ctx = DemoContext(conn=conn, seed=seed, scale=sc, start=start, end=as_of, progress=bar)
        for module in ORDER:
            bar.set_postfix_str(module)
            importlib.import_module(f"models.demo.{module}").generate(ctx)
        _fix_sequences(conn)
    bar.close()
    engine.dispose()
    return ctx.rows


def period_start(as_of: dt.date, years: int) -> dt.date:
    """First day of a period of whole years that ends on as_of."""
    try:
        back = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        back = as_of.replace(year=as_of.year - years, day=28)
    return back + dt.timedelta(days=1)


def _fix_sequences(conn) -> None:
    """PostgreSQL: move each id sequence past the explicit ids the generator wrote."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    from models.base import Base
    for table in Base.metadata.sorted_tables:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))


if __name__ == "__main__":
    raise SystemExit(main())
