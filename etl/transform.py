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
class KeySource:
    """A raw table column holding a mart's key, and for a key with a day, the day or day range."""

    table: str
    column: str
    day: str | None = None  # "record_date", or "start_date..end_date" for every day of a range

    @property
    def spec(self) -> str:
        """How changed_key names this source's values (its column_name)."""
        return self.column if self.day is None else f"{self.column}|{self.day}"

    def day_sql(self) -> str:
        """The key's day of a raw row (NULL for a key without a day), one row per day of a range."""
        if self.day is None:
            return "CAST(NULL AS DATE)"
        if ".." not in self.day:
            return f'CAST("{self.day}" AS DATE)'
        first, last = self.day.split("..")
        return (f'CAST(unnest(generate_series(CAST("{first}" AS TIMESTAMP), CAST("{last}" AS TIMESTAMP), '
                f"INTERVAL 1 DAY)) AS DATE)")


@dataclass(frozen=True)
class Incremental:
    """A mart's promise that its rows for one key value depend only on the source rows with that
    key (plus inputs that did not change), so it can be refreshed for changed keys alone.

    Declared in the mart file as
        -- incremental: person_id <- attendance_record.person_id, leave_request.person_id
        -- guard: select min(record_date), max(record_date) from stg_attendance__attendance_record
        -- key filter: leave_requests(person_id), person(person_id)
    A key may have a second part, a day, taken from a date column or every day of a date range:
        -- incremental: person_id, date_day <- attendance_record(person_id, record_date),
                                               leave_request(person_id, start_date..end_date)
    The guard is a query over whole inputs (a coverage window, say) whose answer every key's rows
    depend on; when it changes, the mart is rebuilt whole. The key filter names CTEs that a
    refresh restricts to the refreshed keys, with the columns holding the key (or its first part)
    there: DuckDB does not carry a key filter on the result through outer joins down to their
    inputs' scans, so without it a refresh reads whole inputs and joins every day of every person.
    A CTE that must see all rows (a coverage window, say) reads its own, unfiltered import.
    """

    key: tuple[str, ...]
    sources: tuple[KeySource, ...]
    guard: str | None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()


# Above this many changed keys a refresh saves little over a rebuild and the key list gets long.
MAX_INCREMENTAL_KEYS = 20_000


@functools.lru_cache(maxsize=None)
def incremental(path: Path) -> Incremental | None:
    """The '-- incremental:' (with '-- guard:', '-- key filter:') declaration of a mart file, if any."""
    text = path.read_text(encoding="utf-8")
    inc = re.search(r"^--\s*incremental:\s*([\w, ]+?)\s*<-\s*(.+)$", text, re.M)
    if not inc:
        return None
    key = tuple(k.strip() for k in inc.group(1).split(","))
    sources = []
    for table, column, pair in re.findall(r"(\w+)(?:\.(\w+)|\(([^)]*)\))", inc.group(2)):
        if pair:
            column, day = (part.strip() for part in pair.split(","))
            sources.append(KeySource(table, column, day))
        else:
            sources.append(KeySource(table, column))
    if len(key) > 2 or any((s.day is not None) != (len(key) == 2) for s in sources):
        raise ModelError(f"{path.name}: a key is one column or a column and a day, in every source")
    guard = re.search(r"^--\s*guard:\s*(.+)$", text, re.M)
    filters = re.search(r"^--\s*key filter:\s*(.+)$", text, re.M)
    parsed = tuple((cte, tuple(c.strip() for c in cols.split(",")))
                   for cte, cols in re.findall(r"(\w+)\(([^)]*)\)", filters.group(1) if filters else ""))
    return Incremental(key, tuple(sources), guard.group(1).strip() if guard else None, parsed)


@functools.lru_cache(maxsize=None)
def keyed_columns() -> dict[str, frozenset[KeySource]]:
    """Raw table -> key sources whose changed values some incremental mart needs to know."""
    out: dict[str, frozenset[KeySource]] = {}
    for path in sql_files():
        inc = incremental(path)
        for source in (inc.sources if inc else ()):
            out[source.table] = out.get(source.table, frozenset()) | {source}
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
    answers: dict[str, str] = {}  # guard -> its answer in this run (two marts may share a guard)
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
                how = _refresh(con, path, reach, keyed, answers)
            if how == "rebuilt":
                con.execute(path.read_text(encoding="utf-8"))
                _store_guard(con, path, answers)
        except duckdb.Error as exc:
            raise ModelError(f"{path.relative_to(SQL_DIR)}: {str(exc).splitlines()[0]}") from exc
        if not is_view:
            for guard in [g for g in answers if re.search(rf"\b{path.stem}\b", g)]:
                del answers[guard]  # it reads this mart, which has just changed
            # A dependent sees this mart as changed as a whole.
            roots[path.stem] = {path.stem}
            done[path.stem] = how
    return done


def _refresh(con, path: Path, reach: set[str], keyed: set[str], answers: dict[str, str]) -> str:
    """Refresh the changed keys of an incremental mart; "rebuilt" when it has to be rebuilt whole."""
    inc = incremental(path)
    if inc is None or not reach or not reach <= keyed & {s.table for s in inc.sources}:
        return "rebuilt"
    if inc.guard and _guard_answer(con, inc.guard, answers) != _stored_guard(con, path.stem):
        return "rebuilt"
    pairs = [[s.table, s.spec] for s in inc.sources]
    keys = con.execute(
        "SELECT DISTINCT key_value, key_day FROM changed_key WHERE [table_name, column_name] IN "
        "(SELECT unnest(?::VARCHAR[][])) AND key_value IS NOT NULL AND (key_day IS NOT NULL OR ?) "
        "ORDER BY 1, 2", [pairs, len(inc.key) == 1]).fetchall()
    if len(keys) > MAX_INCREMENTAL_KEYS:
        return "rebuilt"
    con.execute("CREATE TEMP TABLE IF NOT EXISTS refreshed_key (mart VARCHAR, k BIGINT, d DATE)")
    con.execute("INSERT INTO refreshed_key SELECT ?, unnest(?::BIGINT[]), unnest(?::DATE[])",
                [path.stem, [k for k, _ in keys], [d for _, d in keys]])
    # This mart's keys alone, so the SQL below names no mart.
    con.execute("CREATE OR REPLACE TEMP TABLE refresh_key AS SELECT k, d FROM refreshed_key WHERE mart = ?",
                [path.stem])
    body = re.sub(r"(?is)^.*?create\s+or\s+replace\s+table\s+\w+\s+as", "",
                  re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))).strip().rstrip(";")
    # A refresh appends a few rows: sorting them, as a full build sorts its table, is wasted work.
    order = re.search(r"(?is)\border\s+by\s+([\w\s,.]+)$", body)
    if order and not re.search(r"(?i)\b(limit|offset)\b", order.group(1)):
        body = body[:order.start()]
    for cte, columns in inc.filters:
        body = _filter_cte(body, cte, columns, path)
    where = _key_condition(inc.key)
    if len(inc.key) == 1:
        # A literal list (integers read back from our own changed_key table) is pushed down into
        # the scans of inner joins' inputs, which the subquery is not.
        where += f" AND {inc.key[0]} IN ({', '.join(str(int(k)) for k, _ in keys) or 'NULL'})"
    # The new rows are kept apart too: the mart checks read them there, not from the whole mart.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {REFRESHED_PREFIX}{path.stem} AS SELECT * FROM ({body}) b "
                f"WHERE {where}")
    con.execute(f"DELETE FROM {path.stem} WHERE {_key_condition(inc.key)}")
    con.execute(f"INSERT INTO {path.stem} SELECT * FROM {REFRESHED_PREFIX}{path.stem}")
    return "refreshed"


REFRESHED_PREFIX = "refreshed_row_"  # temp table of a refreshed mart's new rows
# Longer literal lists take DuckDB longer to parse than a join of the whole referenced table.
MAX_LITERAL_VALUES = 5_000


def _key_condition(key: tuple[str, ...], prefix: str = "") -> str:
    """Rows whose key is in refresh_key (the keys this refresh redoes)."""
    if len(key) == 1:
        return f"{prefix}{key[0]} IN (SELECT k FROM refresh_key)"
    return f"({prefix}{key[0]}, {prefix}{key[1]}) IN (SELECT k, d FROM refresh_key)"


def _filter_cte(body: str, cte: str, columns: tuple[str, ...], path: Path) -> str:
    """Restrict the rows of CTE `cte as (...)` to the refreshed keys, held there in columns."""
    found = re.search(rf"(?i)\b{cte}\s+as\s+(?:not\s+materialized\s+)?\(", body)
    if not found:
        raise ModelError(f"{path.name}: key filter names {cte}, which is no CTE of the model")
    depth, end = 1, found.end()
    while depth:
        if end >= len(body):
            raise ModelError(f"{path.name}: CTE {cte} has no closing parenthesis")
        depth += {"(": 1, ")": -1}.get(body[end], 0)
        end += 1
    inner = body[found.end():end - 1]
    return (f"{body[:found.end()]}select * from ({inner}) x where {_key_condition(columns, 'x.')}"
            f"{body[end - 1:]}")


def _guard_answer(con, guard: str, answers: dict[str, str]) -> str:
    if guard not in answers:
        answers[guard] = repr(con.execute(guard).fetchall())
    return answers[guard]


def _stored_guard(con, mart: str) -> str | None:
    row = con.execute("SELECT answer FROM mart_guard WHERE mart = ?", [mart]).fetchone()
    return row[0] if row else None


def _store_guard(con, path: Path, answers: dict[str, str]) -> None:
    inc = incremental(path) if path.parent.name == "marts" else None
    if inc and inc.guard:
        con.execute("INSERT OR REPLACE INTO mart_guard VALUES (?, ?)",
                    [path.stem, _guard_answer(con, inc.guard, answers)])


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
        refreshed = how.get(m.table) == "refreshed"
        if refreshed:
            rows = f"{REFRESHED_PREFIX}{m.table}"  # the rows the refresh wrote (see _refresh)
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
            wanted = f"d.{tcol} IS NOT NULL"
            if refreshed:
                # Look up only the values the refreshed rows hold: a literal list reaches the
                # referenced table's scan, where the NOT IN below would read the whole of it.
                values = [v for (v,) in con.execute(f"SELECT DISTINCT {col} FROM {rows} "
                                                    f"WHERE {col} IS NOT NULL").fetchall()]
                if all(type(v) is int for v in values) and len(values) <= MAX_LITERAL_VALUES:
                    wanted = f"d.{tcol} IN ({', '.join(str(v) for v in values) or 'NULL'})"
            # NOT IN over an uncorrelated subquery runs as one hash join (see etl/run.py _clean_views).
            n = con.execute(f"SELECT count(*) FROM {rows} f WHERE f.{col} IS NOT NULL AND f.{col} NOT IN "
                            f"(SELECT d.{tcol} FROM {table} d WHERE {wanted})").fetchone()[0]
            if n:
                problems.append(f"{m.table}: {n} rows whose {col} is not in {table}.{tcol}")
    return problems
