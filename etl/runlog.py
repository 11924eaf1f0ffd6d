"""The ETL run log (etl_run, etl_run_table) kept beside the warehouse, killed runs included."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import zoneinfo
from pathlib import Path

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
SCHEMA = """
CREATE TABLE IF NOT EXISTS etl_run (
  run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT, status TEXT NOT NULL,
  mode TEXT NOT NULL, modules TEXT NOT NULL, pid INTEGER NOT NULL, error TEXT);
CREATE TABLE IF NOT EXISTS etl_run_table (
  run_id INTEGER NOT NULL, module TEXT NOT NULL, table_name TEXT NOT NULL,
  rows_extracted INTEGER NOT NULL, rows_loaded INTEGER, rows_quarantined INTEGER,
  source_rows INTEGER, watermark TEXT, PRIMARY KEY (run_id, table_name));
"""


def now() -> dt.datetime:
    """Beijing time without an offset, like every business timestamp of the OA."""
    return dt.datetime.now(BEIJING).replace(tzinfo=None)


def _now() -> str:
    return now().isoformat(sep=" ", timespec="seconds")


class RunLog:
    """Writes one run's progress to etl_log.sqlite, committing each step so a kill leaves a trace."""

    def __init__(self, warehouse_dir: Path) -> None:
        self.db = sqlite3.connect(warehouse_dir / "etl_log.sqlite", isolation_level=None)
        # A commit per step, without an fsync each (a hundred per run): in WAL mode a killed
        # process loses nothing committed, and a power cut at worst the last steps, never the file.
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(SCHEMA)
        self.run_id = 0

    def mark_dead_runs(self) -> None:
        """Call while holding the ETL lock: any run still 'running' was killed before it finished."""
        self.db.execute("UPDATE etl_run SET status = 'killed', ended_at = ?, "
                        "error = 'process ended without finishing' WHERE status = 'running'", (_now(),))

    def start(self, mode: str, modules: list[str]) -> int:
        """Record a new run and return its id."""
        cur = self.db.execute(
            "INSERT INTO etl_run (started_at, status, mode, modules, pid) VALUES (?, 'running', ?, ?, ?)",
            (_now(), mode, ",".join(modules), os.getpid()))
        self.run_id = int(cur.lastrowid)
        return self.run_id

    def table(self, module: str, table: str, extracted: int, source_rows: int,
              watermark: dt.datetime | None) -> None:
        """Record one table's extraction."""
        self.db.execute(
            "INSERT OR REPLACE INTO etl_run_table (run_id, module, table_name, rows_extracted, "
            "source_rows, watermark) VALUES (?, ?, ?, ?, ?, ?)",
            (self.run_id, module, table, extracted, source_rows,
             watermark.isoformat(sep=" ") if watermark else None))

    def loaded(self, table: str, loaded: int, quarantined: int) -> None:
        """Record rows loaded into the clean layer and rows quarantined for one table."""
        self.db.execute("UPDATE etl_run_table SET rows_loaded = ?, rows_quarantined = ? "
                        "WHERE run_id = ? AND table_name = ?", (loaded, quarantined, self.run_id, table))

    def finish(self, status: str, error: str | None = None) -> None:
        """Close the run with 'published' or 'failed' and a one-line error."""
        self.db.execute("UPDATE etl_run SET status = ?, ended_at = ?, error = ? WHERE run_id = ?",
                        (status, _now(), error, self.run_id))

    def rows(self, table: str) -> tuple[list[str], list[tuple]]:
        """All rows of one log table with its column names (copied into each published warehouse)."""
        cur = self.db.execute(f"SELECT * FROM {table} ORDER BY run_id")
        return [d[0] for d in cur.description], cur.fetchall()

    def close(self) -> None:
        """Close the log database."""
        self.db.close()

