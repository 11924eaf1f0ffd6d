"""Overview callbacks at city scale: server-side time of every callback the overview fires, median
and P95, for a city leader and a district head, with the query cache cold and warm.

Needs the city-scale source and warehouse of bench/etl.py (bench/out/city.db, bench/out/wh_city).
Prints one line per callback; record the figures in bench/RESULTS.md with the machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from dashboard import cache  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.config import Settings  # noqa: E402
from models.base import Base, import_all  # noqa: E402
from models.db import open_engine  # noqa: E402
from tests.dashboard.web import card_body, page_module, post_callback, router_body, signed_in  # noqa: E402

QUERY = {"period": "this_year"}


def shell_bodies(search: str) -> dict[str, dict]:
    """The shell's callbacks as the renderer posts them when the overview opens."""
    url = [{"id": "_pages_location", "property": "pathname", "value": "/"},
           {"id": "_pages_location", "property": "search", "value": search}]
    return {
        "router (page layout)": router_body("/", search),
        "menu": {"output": "..shell-nav.children...shell-user.children..",
                 "outputs": [{"id": "shell-nav", "property": "children"},
                             {"id": "shell-user", "property": "children"}],
                 "inputs": url, "changedPropIds": ["_pages_location.pathname"], "state": []},
        "data-as-of badge": {"output": "..shell-as-of.children...shell-as-of.color..",
                             "outputs": [{"id": "shell-as-of", "property": "children"},
                                         {"id": "shell-as-of", "property": "color"}],
                             "inputs": url[:1], "changedPropIds": ["_pages_location.pathname"],
                             "state": []},
        "org tree": {"output": "shell-org.options",
                     "outputs": {"id": "shell-org", "property": "options"}, "inputs": url[:1],
                     "changedPropIds": ["_pages_location.pathname"], "state": []},
    }


def timed(client, body: dict, runs: int, cold: bool) -> list[float]:
    """Server-side seconds of runs posts of one callback (the test client calls the app in-process)."""
    out = []
    for _ in range(runs):
        if cold:
            cache.clear()
        t0 = time.perf_counter()
        response = post_callback(client, body)
        out.append(time.perf_counter() - t0)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
    return out


def main() -> int:
    """Time every overview callback for two users; print median and P95 in milliseconds."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    out = Path(args.dir)
    settings = Settings.from_env({"OA_DATABASE_URL": f"sqlite:///{out / 'city.db'}",
                                  "OA_WAREHOUSE_DIR": str(out / "wh_city"),
                                  "OA_SECRET_KEY": secrets.token_urlsafe(48)})
    import_all()
    engine = open_engine(settings.database_url)
    Base.metadata.create_all(engine, checkfirst=True)  # tables added since the seed (sessions)
    engine.dispose()
    app = create_app(settings)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    cards = page_module("/").CARDS
    worst = []
    for username in ("city_leader", "dongcheng_dept_head"):
        client = signed_in(app, username)
        bodies = shell_bodies("?period=this_year")
        bodies.update({f"card {m}": card_body(m, QUERY) for m in cards})
        for label, body in bodies.items():
            for cold in (True, False):
                times = timed(client, body, args.runs, cold)
                med = statistics.median(times) * 1000
                p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)] * 1000
                worst.append((med, username, label, cold))
                print(f"{username:<20} {label:<22} {'cold' if cold else 'warm'}: "
                      f"median {med:7.1f} ms  P95 {p95:7.1f} ms")
    med, username, label, cold = max(worst)
    print(f"slowest median: {label} for {username} ({'cold' if cold else 'warm'}) {med:.1f} ms; "
          f"target under 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
