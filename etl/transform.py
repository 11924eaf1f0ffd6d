"""Run the SQL models (staging views, then marts) and the checks that sit beside them."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"


def sql_files() -> list[Path]:
    """The one ordered list: staging views, then dims, then facts (each layer by file name)."""
    staging = sorted((SQL_DIR / "staging").glob("*.sql"))
    marts = sorted((SQL_DIR / "marts").glob("*.sql"), key=lambda p: (not p.name.startswith("dim_"), p.name))
    return staging + marts


def dependencies(path: Path) -> set[str]:
    """Names a SQL model reads: raw./src. tables, staging views, dims and facts."""
    text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    names = set(re.findall(r"\b(?:raw|src)\.\"?(\w+)", text))
    names |= set(re.findall(r"\b((?:stg|dim|fact)_\w+)", text))
    names.discard(path.stem)
    return names


@dataclass(frozen=True)
class Incremental:
    """A mart's promise that its rows for one key value depend only on the source rows with that
    key (plus inputs that did not change), so it can be refreshed for changed keys alone.

    Declared in the mart file as
        -- incremental: person_id <- attendance_record.person_id, leave_request.person_id
        -- guard: select min(record_date), max(record_date) from stg_attendance__attendance_record
    The guard is a query over whole inputs (a coverage window, say) whose answer every key's rows
    depend on; when it changes, the mart is rebuilt whole.
    """

    key: str
    sources: tuple[tuple[str, str], ...]  # (raw table, its column holding the key)
    guard: str | None


# Above this many changed keys a refresh saves little over a rebuild and the key list gets long.
MAX_INCREMENTAL_KEYS = 20_000


@functools.lru_cache(maxsize=None)
def incremental(path: Path) -> Incremental | None:
    """The '-- incremental:' (and '-- guard:') declaration of a mart file, if any."""
    text = path.read_text(encoding="utf-8")
    inc = re.search(r"^--\s*incremental:\s*(\w+)\s*<-\s*(.+)$", text, re.M)
    if not inc:
        return None
    guard = re.search(r"^--\s*guard:\s*(.+)$", text, re.M)
    sources = tuple(tuple(item.strip().split(".", 1)) for item in inc.group(2).split(","))
    return Incremental(inc.group(1), sources, guard.group(1).strip() if guard else None)


@functools.lru_cache(maxsize=None)
def keyed_columns() -> dict[str, frozenset[str]]:
    """Raw table -> columns whose changed values some incremental mart needs to know."""
    out: dict[str, set[str]] = {}
    for path in sql_files():
        inc = incremental(path)
        for table, column in (inc.sources if inc else ()):
            out[table] = out.get(table, frozenset()) | {column}
    return out


def run_models(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None,
               on_file=None, keyed: set[str] = frozenset()) -> dict[str, str]:
    """Execute the SQL models in order; with changed (source table names), only the marts that
    read them, directly or through other models, are rebuilt. A mart that declares itself
    incremental is refreshed for the changed keys only when every changed input it reads is one
    of its keyed sources, all of them in keyed (tables changed row by row, with their old and new
    key values in the changed_key table) and its guard still gives the same answer.
    Returns {mart: "rebuilt" | "refreshed"}."""
    con.execute("CREATE TABLE IF NOT EXISTS mart_guard (mart VARCHAR PRIMARY KEY, answer VARCHAR)")
    existing = {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    # Changed names reaching each model, directly or through the models it reads.
    roots: dict[str, set[str]] = {}
    done: dict[str, str] = {}
    for path in sql_files():
        is_view = path.parent.name == "staging"
        deps = dependencies(path)
        reach = set() if changed is None else {d for d in deps if d in changed}
        for d in deps:
            reach |= roots.get(d, set())
        stale = changed is None or bool(reach) or (not is_view and path.stem not in existing)
        if is_view:
            roots[path.stem] = reach
        if not is_view and not stale:
            continue
        if on_file:
            on_file(path)
        how = "rebuilt"
        try:
            if not is_view and changed is not None and path.stem in existing:
                how = _refresh(con, path, reach, keyed)
            if how == "rebuilt":
                con.execute(path.read_text(encoding="utf-8"))
                _store_guard(con, path)
        except duckdb.Error as exc:
            raise ModelError(f"{path.relative_to(SQL_DIR)}: {str(exc).splitlines()[0]}") from exc
        if not is_view:
            # A dependent sees this mart as changed as a whole.
            roots[path.stem] = {path.stem}
            done[path.stem] = how
    return done


def _refresh(con, path: Path, reach: set[str], keyed: set[str]) -> str:
    """Refresh the changed keys of an incremental mart; "rebuilt" when it has to be rebuilt whole."""
    inc = incremental(path)
    if inc is None or not reach or not reach <= keyed & {t for t, _ in inc.sources}:
        return "rebuilt"
    if inc.guard and _guard_answer(con, inc.guard) != _stored_guard(con, path.stem):
        return "rebuilt"
    pairs = [[t, c] for t, c in inc.sources]
    keys = [int(k) for (k,) in con.execute(
        "SELECT DISTINCT key_value FROM changed_key WHERE [table_name, column_name] IN "
        "(SELECT unnest(?::VARCHAR[][])) AND key_value IS NOT NULL ORDER BY 1", [pairs]).fetchall()]
    if len(keys) > MAX_INCREMENTAL_KEYS:
        return "rebuilt"
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refreshed_key (mart VARCHAR, k BIGINT)")
    con.execute("INSERT INTO refreshed_key SELECT ?, unnest(?::BIGINT[])", [path.stem, keys])
    body = re.sub(r"(?is)^.*?create\s+or\s+replace\s+table\s+\w+\s+as", "",
                  path.read_text(encoding="utf-8")).strip().rstrip(";")
    # The keys go in as literals (integers read back from our own changed_key table): DuckDB
    # pushes a literal IN list down to every input's scan, which a subquery would not be.
    literal = ", ".join(str(k) for k in keys) or "NULL"
    con.execute(f"DELETE FROM {path.stem} WHERE {inc.key} IN (SELECT k FROM refreshed_key WHERE mart = ?)",
                [path.stem])
    con.execute(f"INSERT INTO {path.stem} SELECT * FROM ({body}) WHERE {inc.key} IN ({literal})")
    return "refreshed"


def _guard_answer(con, guard: str) -> str:
    return repr(con.execute(guard).fetchall())


def _stored_guard(con, mart: str) -> str | None:
    row = con.execute("SELECT answer FROM mart_guard WHERE mart = ?", [mart]).fetchone()
    return row[0] if row else None


def _store_guard(con, path: Path) -> None:
    inc = incremental(path) if path.parent.name == "marts" else None
    if inc and inc.guard:
        con.execute("INSERT OR REPLACE INTO mart_guard VALUES (?, ?)",
                    [path.stem, _guard_answer(con, inc.guard)])


class ModelError(RuntimeError):
    """A SQL model failed to build."""


@dataclass(frozen=True)
class MartContract:
    """What a mart promises in its header comments: a unique, non-null grain and references."""

    table: str
    grain: tuple[str, ...]
    references: tuple[tuple[str, str, str], ...]


def mart_contracts() -> list[MartContract]:
    """Parse '-- grain:' and '-- references:' from every mart file."""
    out = []
    for path in sorted((SQL_DIR / "marts").glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        grain = re.search(r"^--\s*grain:\s*(.+)$", text, re.M)
        refs = re.search(r"^--\s*references:\s*(.+)$", text, re.M)
        pairs = []
        for item in (refs.group(1).split(",") if refs else []):
            col, target = (s.strip() for s in item.split("->"))
            table, tcol = target.rsplit(".", 1)
            pairs.append((col, table, tcol))
        out.append(MartContract(path.stem, tuple(c.strip() for c in grain.group(1).split(","))
                                if grain else (), tuple(pairs)))
    return out


def contract_failures(con: duckdb.DuckDBPyConnection, marts: dict[str, str] | list[str] | None = None
                      ) -> list[str]:
    """Broken promises of the given marts (default all): duplicate or null keys, dangling references.

    A mart that was only refreshed (marts[name] == "refreshed") is checked on its refreshed keys:
    its other rows are the ones checked when they were written.
    """
    problems = []
    how = marts if isinstance(marts, dict) else {m: "rebuilt" for m in (marts or [])}
    for m in mart_contracts():
        if marts is not None and m.table not in how:
            continue
        rows = m.table
        if how.get(m.table) == "refreshed":
            key = incremental(SQL_DIR / "marts" / f"{m.table}.sql").key
            rows = (f"(SELECT * FROM {m.table} WHERE {key} IN "
                    f"(SELECT k FROM refreshed_key WHERE mart = '{m.table}'))")
        if m.grain:
            key = ", ".join(m.grain)
            nulls = " OR ".join(f"{c} IS NULL" for c in m.grain)
            dup = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {rows} GROUP BY ALL "
                              f"HAVING count(*) > 1)").fetchone()[0]
            null = con.execute(f"SELECT count(*) FROM {rows} WHERE {nulls}").fetchone()[0]
            if dup:
                problems.append(f"{m.table}: {dup} duplicate keys ({key})")
            if null:
                problems.append(f"{m.table}: {null} rows with a null key ({key})")
        for col, table, tcol in m.references:
            # NOT IN over an uncorrelated subquery runs as one hash join (see etl/run.py _clean_views).
            n = con.execute(f"SELECT count(*) FROM {rows} f WHERE f.{col} IS NOT NULL AND f.{col} NOT IN "
                            f"(SELECT d.{tcol} FROM {table} d WHERE d.{tcol} IS NOT NULL)").fetchone()[0]
            if n:
                problems.append(f"{m.table}: {n} rows whose {col} is not in {table}.{tcol}")
    return problems
