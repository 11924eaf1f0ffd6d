"""Run the SQL models (staging views, then marts) and the checks that sit beside them."""
from __future__ import annotations

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


def run_models(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None,
               on_file=None) -> list[str]:
    """Execute the SQL models in order; with changed (source table names), only the marts that
    read them, directly or through other models, are rebuilt. Returns the rebuilt marts."""
    existing = {t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    dirty = set(changed) if changed is not None else None
    rebuilt = []
    for path in sql_files():
        is_view = path.parent.name == "staging"
        reads_changed = dirty is None or bool(dependencies(path) & dirty)
        stale = reads_changed or (not is_view and path.stem not in existing)
        if not is_view and not stale:
            continue
        if on_file:
            on_file(path)
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            raise ModelError(f"{path.relative_to(SQL_DIR)}: {str(exc).splitlines()[0]}") from exc
        if dirty is not None and stale:
            dirty.add(path.stem)
        if not is_view:
            rebuilt.append(path.stem)
    return rebuilt


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


def contract_failures(con: duckdb.DuckDBPyConnection, marts: list[str] | None = None) -> list[str]:
    """Broken promises of the given marts (default all): duplicate or null keys, dangling references."""
    problems = []
    for m in mart_contracts():
        if marts is not None and m.table not in marts:
            continue
        if m.grain:
            key = ", ".join(m.grain)
            nulls = " OR ".join(f"{c} IS NULL" for c in m.grain)
            dup = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {m.table} GROUP BY ALL "
                              f"HAVING count(*) > 1)").fetchone()[0]
            null = con.execute(f"SELECT count(*) FROM {m.table} WHERE {nulls}").fetchone()[0]
            if dup:
                problems.append(f"{m.table}: {dup} duplicate keys ({key})")
            if null:
                problems.append(f"{m.table}: {null} rows with a null key ({key})")
        for col, table, tcol in m.references:
            n = con.execute(f"SELECT count(*) FROM {m.table} f WHERE f.{col} IS NOT NULL AND NOT EXISTS "
                            f"(SELECT 1 FROM {table} d WHERE d.{tcol} = f.{col})").fetchone()[0]
            if n:
                problems.append(f"{m.table}: {n} rows whose {col} is not in {table}.{tcol}")
    return problems
