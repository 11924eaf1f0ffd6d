"""One ETL run: lock, extract, load, check, transform, publish atomically, log."""
from __future__ import annotations

import datetime as dt
import fcntl
import itertools
import os
import shutil
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pyarrow as pa

from dashboard import warehouse
from dashboard.config import MODULES, Settings
from etl import extract, runlog, schema, sla, transform
from etl.runlog import RunLog
from models import workday
from models.base import table_modules, tables_of, warehouse_tables

EXIT_FAILED = 1
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; try again later
CALENDAR_FIRST_YEAR = 2010


class EtlError(RuntimeError):
    """A run failed; nothing was published. The message is one line for the terminal."""


class AlreadyRunning(EtlError):
    """Another ETL run holds the lock."""


@dataclass
class RunResult:
    """What a finished run did."""

    run_id: int
    mode: str
    tables: dict[str, dict] = field(default_factory=dict)
    quarantined: int = 0
    seconds: float = 0.0
    path: Path | None = None
    rebuilt: dict[str, str] = field(default_factory=dict)  # mart -> "rebuilt" | "refreshed"


def published_path(settings: Settings) -> Path:
    """Where readers find the published warehouse."""
    return warehouse.path(settings)


def run(settings: Settings, full: bool = False, modules: list[str] | None = None,
        progress: Callable[[str], None] | None = None) -> RunResult:
    """Run the ETL; raises AlreadyRunning or EtlError, and publishes nothing on failure."""
    t0 = time.monotonic()
    say = progress or (lambda _msg: None)
    wdir = Path(settings.warehouse_dir)
    (wdir / "build").mkdir(parents=True, exist_ok=True)
    lock = _lock(wdir)
    log = RunLog(wdir)
    retiring = None
    try:
        log.mark_dead_runs()
        for stale in (wdir / "build").glob("*"):
            stale.unlink()  # left by a killed run; we hold the lock, so nobody else uses them
        retiring = threading.Thread(target=_remove_retired, args=(wdir / RETIRED,), name="etl-retire",
                                    daemon=True)
        retiring.start()
        chosen = list(modules or MODULES)
        unknown = sorted(set(chosen) - set(MODULES))
        if unknown:
            raise EtlError(f"unknown module(s): {', '.join(unknown)}")
        published = published_path(settings)
        incremental = not full and published.exists()
        mode = "incremental" if incremental else "full"
        if not published.exists():
            chosen = list(MODULES)  # a first build needs every module
        run_id = log.start(mode, chosen)
        build = wdir / "build" / f"warehouse-{run_id}.duckdb"
        # A full run of every module starts from an empty file: a DuckDB file never shrinks
        # (freed blocks are reused, not given back), so a rebuild inside a copy carried the size
        # of every earlier run, and each incremental run then copied all of it.
        fresh = full and set(chosen) == set(MODULES)
        copy = _Copy(published, build) if published.exists() and not fresh else None
        try:
            result = _build(settings, build, copy, run_id, mode, full, chosen, log, say)
            if copy:
                copy.join()
            _publish(build, published)
        except Exception as exc:
            if copy:
                copy.join()
            log.finish("failed", _one_line(exc))
            build.unlink(missing_ok=True)
            Path(str(build) + ".wal").unlink(missing_ok=True)
            if isinstance(exc, EtlError):
                raise
            raise EtlError(_one_line(exc)) from exc
        log.finish("published")
        result.seconds = time.monotonic() - t0
        result.path = published
        return result
    finally:
        if retiring:
            retiring.join()
        log.close()
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


class _Copy(threading.Thread):
    """Copies the published file into the build while the extraction starts, which needs only
    the watermarks (read from the published file itself), then writes the copy to disk while
    the run goes on: otherwise the checkpoint before publishing waits for all of it."""

    def __init__(self, published: Path, build: Path) -> None:
        super().__init__(name="etl-copy", daemon=True)
        self.published, self.build, self.error = published, build, None
        self.copied = threading.Event()
        self.start()

    def run(self) -> None:
        try:
            shutil.copyfile(self.published, self.build)
        except BaseException as exc:  # raised by wait(), in the run's thread
            self.error = exc
            return
        finally:
            self.copied.set()
        try:
            fd = os.open(self.build, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass  # only an early start: _publish syncs the file again before the rename

    def wait(self) -> None:
        """Block until the copy is done (not its writing to disk); raise its error, if any."""
        self.copied.wait()
        if self.error:
            raise self.error


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}" if not isinstance(exc, EtlError) else text[0]


def _lock(wdir: Path):
    """Take the ETL lock without waiting; a second run gets AlreadyRunning."""
    f = open(wdir / "etl.lock", "a+")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or "unknown"
        f.close()
        raise AlreadyRunning(f"another ETL run is in progress ({holder}); nothing was done")
    f.seek(0)
    f.truncate()
    f.write(f"pid {os.getpid()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
    f.flush()
    return f


def _build(settings: Settings, build: Path, copy: _Copy | None, run_id: int, mode: str, full: bool,
           chosen: list[str], log: RunLog, say: Callable[[str], None]) -> RunResult:
    """Fill the build file: raw deltas, checks and quarantine, staging and marts, bookkeeping."""
    result = RunResult(run_id, mode)
    marks: dict[str, tuple] = {}
    if copy:
        # ATTACHed to a private in-memory database, not duckdb.connect(path): that returns the
        # process's cached instance of whatever file the path named when it was first opened
        # (a reader in the same process may hold one from before the last publish).
        with duckdb.connect(":memory:") as published:
            published.execute("ATTACH '{}' AS published (READ_ONLY)".format(
                str(copy.published).replace("'", "''")))
            published.execute("USE published")
            marks = _watermarks(published)
    lookback = dt.timedelta(minutes=settings.etl_lookback_minutes)
    reloaded: set[str] = set()
    jobs = []
    for module in chosen:
        url = settings.source_url(module)
        tables = [(t, _since(marks.get(t.name), t, full, lookback)) for t in tables_of(module)]
        reloaded |= {t.name for t, since in tables if since is None}
        jobs.append(extract.Job(module, url, extract.path_for(url, settings.etl_extract_path), tables))
    stream = extract.stream(jobs, settings.etl_chunk_rows)
    try:
        first = next(stream, None)  # the extraction has started; it goes on while the copy ends
        if copy:
            copy.wait()
        con = duckdb.connect(str(build))
    except BaseException:
        stream.close()
        raise
    try:
        con.execute("SET threads = 2")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute("CREATE TABLE IF NOT EXISTS etl_watermark (table_name VARCHAR PRIMARY KEY, "
                    "module VARCHAR, watermark TIMESTAMP, source_rows BIGINT, ddl_hash VARCHAR, "
                    "run_id BIGINT)")
        con.execute("CREATE TEMP TABLE changed_row (table_name VARCHAR, id BIGINT)")
        # Old and new values of the columns incremental marts are keyed on, for changed rows.
        con.execute("CREATE TEMP TABLE changed_key (table_name VARCHAR, column_name VARCHAR, "
                    "key_value BIGINT, key_day DATE)")
        in_load = False  # a load transaction is open: one per reloaded table, one for all deltas
        created: set[str] = set()  # reloaded tables whose raw table was made anew
        said = None
        extracted: list[tuple] = []
        for kind, module, table, payload in itertools.chain([first] if first else [], stream):
            if module != said:
                say(f"extract {module}")
                said = module
            replace = table.name in reloaded
            if (kind == "chunk" or replace) and not in_load:
                con.execute("BEGIN")
                in_load = True
            if replace and table.name not in created:
                _begin_load(con, table)  # an empty source table still gets its raw table
                created.add(table.name)
            if kind == "chunk":
                _load_chunk(con, table, payload, replace=replace)
                continue
            if replace:
                # A reload commits on its own: a city-scale table is millions of rows.
                con.execute("COMMIT")
                in_load = False
            extracted.append((table, module, payload))
            log.table(module, table.name, payload.rows, payload.source_rows, payload.watermark)
            result.tables[table.name] = {"module": module, "extracted": payload.rows,
                                         "source_rows": payload.source_rows}
        if in_load:
            con.execute("COMMIT")
        _set_watermarks(con, extracted, marks, run_id)
        say("check rows")
        counts = _reconcile(con, reloaded)
        changed = reloaded | {t for (t,) in con.execute(
            "SELECT DISTINCT table_name FROM changed_row").fetchall()}
        result.quarantined, requarantined = _quarantine(con, settings, run_id, reloaded, result, log, counts)
        # Tables changed row by row, whose changed keys are known; the rest changed as a whole.
        keyed = changed - reloaded - requarantined
        changed = _with_dependents(changed | requarantined)
        keyed -= {t.name for t in warehouse_tables() if t.name in changed and any(
            fk.column.table.name in changed and fk.column.table.name != t.name
            for col in t.c for fk in col.foreign_keys)}
        say("transform")
        if _calendar(con):
            changed.add("calendar")
        _clean_views(con)
        rebuilt = transform.run_models(con, changed,
                                       on_file=lambda p: say(f"model {p.stem}"), keyed=keyed)
        if sla.needed(con, changed):
            say(f"model {sla.MART}")
            sla.build(con)
            rebuilt[sla.MART] = "rebuilt"
        result.rebuilt = rebuilt
        say("mart checks")
        problems = transform.contract_failures(con, rebuilt)
        if problems:
            raise EtlError("mart checks failed: " + "; ".join(problems[:5]))
        say("publish")
        _write_log(con, log)
        con.execute("CHECKPOINT")
    finally:
        stream.close()
        con.close()
    return result


def _watermarks(con) -> dict[str, tuple]:
    """(watermark, ddl_hash) of every table whose raw table exists, in one statement."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                       "AND table_name = 'etl_watermark'").fetchone()[0]:
        return {}  # a warehouse without bookkeeping: every table is loaded anew
    return {name: (mark, ddl) for name, mark, ddl in con.execute(
        "SELECT table_name, watermark, ddl_hash FROM etl_watermark WHERE table_name IN "
        "(SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw')").fetchall()}


def _since(mark: tuple | None, table, full: bool, lookback: dt.timedelta) -> dt.datetime | None:
    """Lower bound of the delta, or None for a full reload of this table."""
    if full or mark is None or mark[1] != schema.ddl_hash(table):
        return None  # first load, --full, or the table's columns changed
    return None if mark[0] is None else mark[0] - lookback


def _begin_load(con, table) -> None:
    """Start a full reload of one table from an empty raw table (inside the load transaction)."""
    con.execute(f'DROP TABLE IF EXISTS raw."{table.name}"')
    con.execute(schema.raw_ddl(table))


def _load_chunk(con, table, chunk, replace: bool) -> None:
    """Append a chunk to raw.<table> (full) or upsert the rows that really changed (incremental).

    Rows re-read because of the lookback but identical to raw are not rewritten, and the ids
    of the rest are kept in changed_row, so checks and marts only redo what changed.
    """
    name = f'raw."{table.name}"'
    con.register("delta_chunk", chunk)
    if replace:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM delta_chunk")
        con.unregister("delta_chunk")
        return
    typed = ", ".join(f'CAST("{c.name}" AS {schema.duck_type(c.type)}) AS "{c.name}"' for c in table.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE delta_typed AS SELECT {typed} FROM delta_chunk")
    con.unregister("delta_chunk")
    # The raw rows the delta replaces, read once: every lookup below is then into a few rows,
    # where each lookup into raw would scan the whole table.
    con.execute(f"CREATE OR REPLACE TEMP TABLE delta_old AS SELECT r.* FROM {name} r "
                f"SEMI JOIN delta_typed d ON d.id = r.id")
    con.execute("CREATE OR REPLACE TEMP TABLE chunk_changed AS SELECT id FROM "
                "(SELECT * FROM delta_typed EXCEPT SELECT * FROM delta_old)")
    if not con.execute("SELECT count(*) FROM chunk_changed").fetchone()[0]:
        return  # re-read because of the lookback, but unchanged
    sources = sorted(transform.keyed_columns().get(table.name, ()), key=lambda s: s.spec)
    keys = " UNION ALL ".join(f'SELECT ?, ?, "{s.column}", {s.day_sql()} FROM {{rel}} '
                              f"WHERE id IN (SELECT id FROM chunk_changed)" for s in sources)
    params = [p for s in sources for p in (table.name, s.spec)]
    if keys:  # the old and new values of the keys incremental marts need
        con.execute(f"INSERT INTO changed_key {keys.format(rel='delta_old')} UNION ALL "
                    f"{keys.format(rel='delta_typed')}", params + params)
    con.execute(f"DELETE FROM {name} WHERE id IN (SELECT id FROM chunk_changed)")
    con.execute(f"INSERT INTO {name} SELECT * FROM delta_typed WHERE id IN (SELECT id FROM chunk_changed)")
    con.execute("INSERT INTO changed_row SELECT ?, id FROM chunk_changed", [table.name])
    # The written rows, kept for the row checks, which would otherwise look them up in raw again.
    con.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{LOADED_PREFIX}{table.name}" AS '
                f"SELECT * FROM delta_typed LIMIT 0")
    con.execute(f'INSERT INTO "{LOADED_PREFIX}{table.name}" SELECT * FROM delta_typed '
                f"WHERE id IN (SELECT id FROM chunk_changed)")


LOADED_PREFIX = "loaded_row_"  # temp table of the rows an incremental run wrote into raw.<table>


def _set_watermarks(con, extracted: list[tuple], marks: dict[str, tuple], run_id: int) -> None:
    """Advance the tables' watermarks in one statement; they are published with the data they cover."""
    rows = []
    for table, module, got in extracted:
        old = marks.get(table.name, (None, None))[0]
        mark = got.watermark
        if old and (mark is None or old > mark):
            mark = old
        rows.append((table.name, module, mark, got.source_rows, schema.ddl_hash(table), run_id))
    if not rows:
        return
    names = ["table_name", "module", "watermark", "source_rows", "ddl_hash", "run_id"]
    types = [pa.string(), pa.string(), pa.timestamp("us"), pa.int64(), pa.string(), pa.int64()]
    new = pa.table({n: pa.array([r[i] for r in rows], type=t) for i, (n, t) in enumerate(zip(names, types))})
    con.register("new_watermark", new)
    con.execute("INSERT OR REPLACE INTO etl_watermark BY NAME SELECT * FROM new_watermark")
    con.unregister("new_watermark")


def _reconcile(con, reloaded: set[str]) -> dict[str, int]:
    """Structural checks: unique ids and row counts equal to the source's; returns the row counts.

    Ids are counted over reloaded tables whole; in the others only the rows this run wrote can
    repeat an id (the rest were unique before), so only those are counted. Each is one statement
    over all tables: a statement per table cost more than the counting itself.
    """
    names = [n for (n,) in con.execute("SELECT table_name FROM etl_watermark ORDER BY 1").fetchall()]
    source = dict(con.execute("SELECT table_name, source_rows FROM etl_watermark").fetchall())
    written = [n for (n,) in con.execute("SELECT DISTINCT table_name FROM changed_row").fetchall()]
    parts, params = [], []
    for name in names:
        parts.append(f'SELECT ?, count(*), 0 FROM raw."{name}"')
        params.append(name)
    for name in sorted(set(names) & (reloaded | set(written))):
        rows = f'raw."{name}"' if name in reloaded else (
            f'(SELECT id FROM raw."{name}" WHERE id IN (SELECT id FROM changed_row WHERE table_name = ?))')
        parts.append(f"SELECT ?, 0, count(*) - count(DISTINCT id) FROM {rows}")
        params += [name] if name in reloaded else [name, name]
    counts: dict[str, int] = {}
    dups: dict[str, int] = {}
    if parts:
        for name, n, dup in con.execute(" UNION ALL ".join(parts), params).fetchall():
            counts[name] = counts.get(name, 0) + n
            dups[name] = dups.get(name, 0) + dup
    problems = []
    for name in names:
        if dups[name]:
            problems.append(f"{name}: {dups[name]} duplicate ids in the source")
        elif counts[name] != source[name]:
            problems.append(f"{name}: warehouse has {counts[name]} rows, source has {source[name]} "
                            f"(rows deleted in the source? run with --full)")
    if problems:
        raise EtlError("structural check failed: " + "; ".join(problems[:5]))
    return counts


def _quarantine(con, settings: Settings, run_id: int, reloaded: set[str], result: RunResult,
                log: RunLog, counts: dict[str, int]) -> tuple[int, set[str]]:
    """Run the row checks over the rows that need it; fail if one table has too many bad rows.

    Reloaded tables are checked whole; otherwise only changed rows and rows already in
    quarantine (a late parent may have released them) are checked again, and a check file
    runs again when a table it reads changed. Returns the total of bad rows and the tables
    whose quarantined set changed.
    """
    columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE "
                                         "table_name = 'quarantine'").fetchall()]
    if columns and "origin" not in columns:  # written by an older ETL: check everything anew
        con.execute("DROP TABLE quarantine")
        reloaded = {t.name for t in warehouse_tables()}
    con.execute("CREATE TABLE IF NOT EXISTS quarantine (run_id BIGINT, module VARCHAR, "
                "table_name VARCHAR, source_id BIGINT, check_name VARCHAR, reason VARCHAR, "
                "origin VARCHAR)")
    before = _quarantined_sets(con)
    held = {t for (t,) in con.execute("SELECT DISTINCT table_name FROM quarantine WHERE origin = 'model'"
                                      ).fetchall()}
    con.execute("CREATE OR REPLACE TEMP TABLE recheck AS SELECT table_name, id FROM changed_row "
                "UNION SELECT table_name, source_id FROM quarantine WHERE origin = 'model'")
    changed = reloaded | {t for (t,) in con.execute("SELECT DISTINCT table_name FROM changed_row").fetchall()}
    rechecked = {t for (t,) in con.execute("SELECT DISTINCT table_name FROM recheck").fetchall()}
    con.execute("DELETE FROM quarantine WHERE origin = 'model' AND (list_contains(?, table_name) OR "
                "EXISTS (SELECT 1 FROM recheck r WHERE r.table_name = quarantine.table_name AND "
                "r.id = quarantine.source_id))", [sorted(reloaded)])
    modules = table_modules()
    for table in warehouse_tables():
        if table.name in reloaded:
            rows = f'raw."{table.name}"'
        elif table.name in rechecked and table.name not in held:
            rows = f'"{LOADED_PREFIX}{table.name}"'  # only rows written by this run to check
        elif table.name in rechecked:
            # Read the rows to check once; each check would otherwise scan raw for them anew.
            con.execute(f'CREATE OR REPLACE TEMP TABLE recheck_row AS SELECT * FROM raw."{table.name}" '
                        f"WHERE id IN (SELECT id FROM recheck WHERE table_name = ?)", [table.name])
            rows = "recheck_row"
        else:
            continue
        checks = schema.row_checks(table, rows)
        # One statement per table: DuckDB scans it once per check, but pays the query overhead once.
        union = " UNION ALL ".join(f"SELECT q.*, ? FROM ({c.sql}) q" for c in checks)
        params = [p for c in checks for p in (c.name, *c.params)]
        con.execute(f"INSERT INTO quarantine SELECT ?, ?, ?, q.source_id, q.check_name, q.reason, "
                    f"'model' FROM ({union}) q(source_id, reason, check_name)",
                    [run_id, modules[table.name], table.name, *params])
    for path in sorted((transform.SQL_DIR / "checks").glob("*.sql")):
        if not transform.dependencies(path) & changed:
            continue
        origin = f"sql:{path.stem}"
        con.execute("DELETE FROM quarantine WHERE origin = ?", [origin])
        con.execute(f"INSERT INTO quarantine SELECT ?, ?, q.table_name, q.source_id, q.check_name, "
                    f"q.reason, ? FROM ({path.read_text(encoding='utf-8').strip().rstrip(';')}) q",
                    [run_id, path.stem, origin])
    after = _quarantined_sets(con)
    moved = {t for t in set(before) | set(after) if before.get(t) != after.get(t)}
    problems, total = [], 0
    for table in warehouse_tables():
        rows = counts[table.name]
        bad = len(after.get(table.name, ()))
        total += bad
        limit = max(settings.etl_max_bad_rows, settings.etl_max_bad_share * rows)
        if bad > limit:
            problems.append(f"{table.name}: {bad} bad rows of {rows} (limit {int(limit)})")
        if table.name in result.tables:
            result.tables[table.name]["quarantined"] = bad
        log.loaded(table.name, rows - bad, bad)
    if problems:
        raise EtlError("too many bad rows: " + "; ".join(problems[:5]))
    return total, moved


def _quarantined_sets(con) -> dict[str, set[int]]:
    """Quarantined source ids per table."""
    out: dict[str, set[int]] = {}
    for table, source_id in con.execute("SELECT DISTINCT table_name, source_id FROM quarantine").fetchall():
        out.setdefault(table, set()).add(source_id)
    return out


def _clean_views(con) -> None:
    """src.<table>: raw rows that are not soft-deleted, not quarantined, and whose parents (foreign
    keys) are in src too; staging reads only these. Withheld rows stay in raw and come back as
    soon as the row or its parent is mended, so nothing is lost."""
    con.execute("CREATE SCHEMA IF NOT EXISTS src")
    for table in warehouse_tables():
        # IN / NOT IN over uncorrelated subqueries: DuckDB runs them as one hash join, where the
        # equivalent correlated NOT EXISTS cost twenty times as much on a ten-million-row table.
        conditions = [f"r.id NOT IN (SELECT source_id FROM quarantine WHERE table_name = '{table.name}' "
                      f"AND source_id IS NOT NULL)"]
        if "deleted_at" in table.c:
            conditions.append("r.deleted_at IS NULL")
        for col in table.c:
            for fk in col.foreign_keys:
                parent = fk.column.table.name
                if parent != table.name:
                    conditions.append(f'(r."{col.name}" IS NULL OR r."{col.name}" IN (SELECT '
                                      f'"{fk.column.name}" FROM src."{parent}"))')
        con.execute(f'CREATE OR REPLACE VIEW src."{table.name}" AS SELECT * FROM raw."{table.name}" r '
                    f"WHERE {' AND '.join(conditions)}")


def _with_dependents(changed: set[str]) -> set[str]:
    """Changed tables plus every table whose rows hang off them by foreign key (their src views
    depend on the parents' src views)."""
    out = set(changed)
    for table in warehouse_tables():  # parents first, so one pass reaches grandchildren
        if any(fk.column.table.name in out for col in table.c for fk in col.foreign_keys):
            out.add(table.name)
    return out


def _calendar(con) -> bool:
    """raw.calendar: every day from 2010 to the end of next year with its China work-calendar kind.

    Rebuilt only when missing or too short; returns True when it was rebuilt."""
    last = dt.date(dt.date.today().year + 1, 12, 31)
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
                         "AND table_name = 'calendar'").fetchone()[0]
    if exists and con.execute("SELECT max(date_day) FROM raw.calendar").fetchone()[0] >= last:
        return False
    days = workday.days(dt.date(CALENDAR_FIRST_YEAR, 1, 1), last)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", workday.CalendarFallbackWarning)
        table = pa.table({
            "date_day": days,
            "day_kind": [workday.day_kind(d) for d in days],
            "holiday_name": [workday.holiday_name(d) for d in days],
            "calendar_known": [workday.covered(d) for d in days],
        })
    con.register("calendar_arrow", table)
    con.execute("CREATE OR REPLACE TABLE raw.calendar AS SELECT * FROM calendar_arrow")
    con.unregister("calendar_arrow")
    return True


# Where the replaced warehouse file waits to be deleted by the next run, beside its work.
RETIRED = "retired"


def _remove_retired(folder: Path) -> None:
    """Delete the files earlier runs replaced (freeing a large file's blocks takes a while)."""
    for old in folder.glob("*"):
        old.unlink(missing_ok=True)


def _publish(build: Path, published: Path) -> None:
    """Swap the new file in with one rename; open readers keep the old file until they close.

    The old file keeps a name in retired/ until the next run deletes it: dropping its last
    name here would free its blocks inside the rename, a quarter of a second at city scale."""
    fd = os.open(build, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    if published.exists():
        retired = published.parent / RETIRED
        retired.mkdir(exist_ok=True)
        keep = retired / build.name
        keep.unlink(missing_ok=True)
        os.link(published, keep)
    os.replace(build, published)
    dfd = os.open(published.parent, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)



def _write_log(con, log: RunLog) -> None:
    """Copy the run log into the build, this run shown as published (readers see it with the data)."""
    con.execute("CREATE OR REPLACE TABLE etl_run (run_id BIGINT, started_at TIMESTAMP, "
                "ended_at TIMESTAMP, status VARCHAR, mode VARCHAR, modules VARCHAR, pid BIGINT, "
                "error VARCHAR)")
    con.execute("CREATE OR REPLACE TABLE etl_run_table (run_id BIGINT, module VARCHAR, "
                "table_name VARCHAR, rows_extracted BIGINT, rows_loaded BIGINT, "
                "rows_quarantined BIGINT, source_rows BIGINT, watermark TIMESTAMP)")
    for table in ("etl_run", "etl_run_table"):
        names, rows = log.rows(table)
        if rows:
            # One Arrow insert: the log grows by a row per table and run, too many for executemany.
            log_rows = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
            con.register("log_rows", log_rows)
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM log_rows")
            con.unregister("log_rows")
    con.execute("UPDATE etl_run SET status = 'published', ended_at = ? WHERE run_id = ?",
                [runlog.now(), log.run_id])
