"""Module pages at city scale: server-side time of every callback of every page built from tiles
(each tile, each detail table's rows, the export), median and P95 with the query cache cold,
against the same question answered straight from the operational SQLite database (the
independent computations of tests/dashboard/queries/test_<module>.py), as a ratio in one run.

Needs the city-scale source and warehouse of bench/etl.py (bench/out/city.db, bench/out/wh_city).
Signing in writes session rows: by default the app signs in against a copy of the accounts
(--accounts), so the source stays as bench/etl.py left it.
Prints one line per callback; record the figures in bench/RESULTS.md with the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import secrets
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import cache  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from models.db import open_engine  # noqa: E402
from tests.dashboard.web import signed_in  # noqa: E402
from tests.pages.tiles import export, grid_rows, tile_body, tile_pages  # noqa: E402
from tests.dashboard.web import post_callback  # noqa: E402

USER, CODE = "city_leader", "BJCG"
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
QUERY = {"period": "custom", "start": START.isoformat(), "end": END.isoformat()}
TARGET_MS, TARGET_RATIO = 300, 20


def timed(call, runs: int, cold: bool = True) -> list[float]:
    """Seconds of runs calls; cold: the query cache emptied before each (the first view after a
    publish; the process keeps the warehouse open, as a serving process does), else warm (a
    view another reader of the same scope and period asked for before)."""
    out = []
    for _ in range(runs):
        if cold:
            cache.clear()
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def stats(times: list[float]) -> tuple[float, float]:
    """(median, P95) in milliseconds."""
    ordered = sorted(times)
    return statistics.median(times) * 1000, ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000


def operational(module, query_name: str):
    """The test's independent computation of a question (expected_<name>), if it has one."""
    try:
        tests = importlib.import_module(f"tests.dashboard.queries.test_{module}")
    except ModuleNotFoundError:
        return None
    return getattr(tests, f"expected_{query_name}", None)


def main() -> int:
    """Time every callback of every tile page for a city leader; print medians, P95s and ratios."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--source-runs", type=int, default=1, help="runs of each operational computation")
    ap.add_argument("--page", action="append", help="only these pages (hr, attendance, ...)")
    args = ap.parse_args()
    out = Path(args.dir)
    source = out / "city.db"
    accounts = out / "accounts.db"  # a copy to sign in against (sign-in writes sessions)
    if not accounts.exists():
        shutil.copyfile(source, accounts)
    settings = Settings.from_env({"OA_DATABASE_URL": f"sqlite:///{accounts}",
                                  "OA_WAREHOUSE_DIR": str(out / "wh_city"),
                                  "OA_SECRET_KEY": secrets.token_urlsafe(48)})
    app = create_app(settings)
    client = signed_in(app, USER)
    engine = open_engine(f"sqlite:///{source}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"scope {CODE}, period {START} to {END}, {args.runs} cold runs per callback")
    worst_ms, worst_ratio = [], []
    source_ms: list[tuple[float, float, float]] = []  # (operational ms, cold ratio, warm ratio)
    with app.server.app_context():
        for module in tile_pages():
            if args.page and module.PAGE not in args.page:
                continue
            for t in module.TILES:
                call = lambda: post_callback(client, tile_body(module.PAGE, t.name, QUERY))  # noqa: E731
                med, p95 = stats(timed(call, args.runs))
                warm, _ = stats(timed(call, args.runs, cold=False))
                line = (f"{module.PAGE:<11} {t.name:<22} tile: median {med:7.1f} ms  P95 {p95:7.1f} ms"
                        f"  warm {warm:5.1f} ms")
                worst_ms.append((med, f"{module.PAGE}/{t.name}"))
                name = getattr(getattr(t.query, "func", t.query), "__name__", "")
                expected = operational(module.PAGE, name if name != "kpis" else "summary")
                if expected is not None:
                    s = []
                    for _ in range(args.source_runs):
                        t0 = time.perf_counter()
                        expected(engine, CODE, START, END, *((settings,) if name == "retiring" else ()))
                        s.append(time.perf_counter() - t0)
                    ratio = statistics.median(s) * 1000 / med
                    worst_ratio.append((ratio, f"{module.PAGE}/{t.name}"))
                    source_ms.append((statistics.median(s) * 1000, ratio, statistics.median(s) * 1000 / warm))
                    line += (f"; operational SQLite {statistics.median(s) * 1000:9.1f} ms, ratio {ratio:6.1f}x"
                             f" (warm {statistics.median(s) * 1000 / warm:6.1f}x)")
                print(line, flush=True)
                if t.chart is None and t.name != "kpi":
                    request = {"startRow": 0, "endRow": 20, "sortModel": [], "filterModel": {}}
                    med, p95 = stats(timed(lambda: grid_rows(client, module.PAGE, t.name, QUERY, request),
                                           args.runs))
                    worst_ms.append((med, f"{module.PAGE}/{t.name} rows"))
                    print(f"{module.PAGE:<11} {t.name:<22} rows: median {med:7.1f} ms  P95 {p95:7.1f} ms")
            med, p95 = stats(timed(lambda: export(client, module.PAGE, QUERY), max(3, args.runs // 2)))
            print(f"{module.PAGE:<11} {'(export)':<22} workbook: median {med:7.1f} ms  P95 {p95:7.1f} ms")
    if worst_ms:
        ms, where = max(worst_ms)
        print(f"slowest median callback: {where} {ms:.1f} ms (target under {TARGET_MS} ms, export aside)")
    if worst_ratio:
        ratio, where = min(worst_ratio)
        print(f"smallest ratio to the operational database: {where} {ratio:.1f}x (target at least {TARGET_RATIO}x)")
        print(f"callbacks at or over {TARGET_MS} ms: {sum(ms >= TARGET_MS for ms, _ in worst_ms)} of {len(worst_ms)}")
        for low, high in ((0, 100), (100, 500), (500, 1e12)):
            band = [(c, w) for ms, c, w in source_ms if low <= ms < high]
            if band:
                print(f"questions the operational database answers in {low:.0f}-{high:.0f} ms: {len(band)}, "
                      f"at least {TARGET_RATIO}x cold {sum(c >= TARGET_RATIO for c, _ in band)}, "
                      f"warm {sum(w >= TARGET_RATIO for _, w in band)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
