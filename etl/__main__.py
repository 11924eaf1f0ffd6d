"""`python -m etl run [--full] [--module NAME ...]`: build and publish the warehouse."""
from __future__ import annotations

import argparse
import sys

from dashboard.config import MODULES, Settings
from etl.run import EXIT_FAILED, EXIT_LOCKED, AlreadyRunning, EtlError, run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the ETL, print a summary; exit code says how it went."""
    ap = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="extract, check, transform and publish")
    r.add_argument("--full", action="store_true", help="rebuild from scratch instead of incrementally")
    r.add_argument("--module", action="append", choices=MODULES, metavar="NAME",
                   help=f"only extract these modules ({', '.join(MODULES)}); may repeat")
    args = ap.parse_args(argv)
    tty = sys.stderr.isatty()

    def progress(msg: str) -> None:
        if tty:
            print(f"\r\033[K{msg}", end="", file=sys.stderr, flush=True)

    try:
        result = run(Settings.from_env(), full=args.full, modules=args.module, progress=progress)
    except AlreadyRunning as exc:
        print(f"\netl: {exc}" if tty else f"etl: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except EtlError as exc:
        print(f"\netl: run failed: {exc}" if tty else f"etl: run failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    extracted = sum(t["extracted"] for t in result.tables.values())
    print(f"etl: run {result.run_id} ({result.mode}) published {result.path}: {extracted:,} rows "
          f"extracted from {len(result.tables)} tables, {result.quarantined} quarantined, "
          f"{result.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
