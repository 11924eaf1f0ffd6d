"""The raw layer's DuckDB tables and the row checks, both derived from the operational models."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, Enum, Float, Integer, Numeric, String, Table,
    UniqueConstraint,
)
from sqlalchemy.sql.elements import TextClause


def duck_type(col_type) -> str:
    """DuckDB type of an SQLAlchemy column type."""
    if isinstance(col_type, Boolean):
        return "BOOLEAN"
    if isinstance(col_type, Integer):
        return "BIGINT"
    if isinstance(col_type, DateTime):
        return "TIMESTAMP"
    if isinstance(col_type, Date):
        return "DATE"
    if isinstance(col_type, Float):
        return "DOUBLE"
    if isinstance(col_type, Numeric):
        return f"DECIMAL({col_type.precision or 18},{col_type.scale or 2})"
    if isinstance(col_type, String):
        return "VARCHAR"
    raise TypeError(f"no DuckDB type for {col_type!r}")


def raw_ddl(table: Table) -> str:
    """CREATE TABLE of raw.<table>: the source columns, typed, no constraints (checks find bad rows)."""
    cols = ", ".join(f'"{c.name}" {duck_type(c.type)}' for c in table.columns)
    return f'CREATE TABLE raw."{table.name}" ({cols})'


def ddl_hash(table: Table) -> str:
    """A short fingerprint of raw_ddl, to notice a schema change between runs."""
    return hashlib.sha1(raw_ddl(table).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RowCheck:
    """One check over raw.<table>: a SELECT returning (source_id, reason) of the rows that fail."""

    table: str
    name: str
    sql: str
    params: tuple = ()


def row_checks(table: Table, rows: str | None = None) -> list[RowCheck]:
    """Checks implied by the model: not null, CHECK constraints, enumerations, foreign keys, unique.

    rows is the relation to check (default: all of raw.<table>), e.g. a subquery of changed rows.
    """
    t = rows or f'raw."{table.name}"'
    checks: list[RowCheck] = []
    for c in table.columns:
        if not c.nullable and not c.primary_key:
            checks.append(RowCheck(table.name, f"not_null:{c.name}",
                                   f"SELECT id, '{c.name} 为空' FROM {t} WHERE \"{c.name}\" IS NULL"))
        if isinstance(c.type, Enum):
            checks.append(RowCheck(
                table.name, f"enum:{c.name}",
                f"SELECT id, '{c.name}=' || \"{c.name}\" || ' 不在允许值内' FROM {t} "
                f"WHERE \"{c.name}\" IS NOT NULL AND NOT list_contains(?, \"{c.name}\")",
                (list(c.type.enums),)))
        for fk in c.foreign_keys:
            parent = fk.column.table.name
            checks.append(RowCheck(
                table.name, f"foreign_key:{c.name}",
                f"SELECT c.id, '{c.name}=' || c.\"{c.name}\" || ' 在 {parent} 中不存在' FROM {t} c "
                f"WHERE c.\"{c.name}\" IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM raw.\"{parent}\" p WHERE p.\"{fk.column.name}\" = c.\"{c.name}\")"))
    for con in table.constraints:
        if isinstance(con, CheckConstraint) and isinstance(con.sqltext, TextClause):
            expr = con.sqltext.text
            checks.append(RowCheck(
                table.name, f"check:{con.name or expr}",
                f"SELECT id, '不满足 ' || ? FROM {t} WHERE NOT ({expr})", (expr,)))
        unique_cols = None
        if isinstance(con, UniqueConstraint):
            unique_cols = [c.name for c in con.columns]
        if unique_cols:
            checks.append(_unique_check(table, unique_cols, rows))
    for c in table.columns:
        if c.unique and not c.primary_key:
            checks.append(_unique_check(table, [c.name], rows))
    return checks


def _unique_check(table: Table, cols: list[str], rows: str | None) -> RowCheck:
    """Every checked row but the first (lowest id) of a duplicated business key."""
    key = ", ".join(f'"{c}"' for c in cols)
    label = "+".join(cols)
    not_null = " AND ".join(f'a."{c}" IS NOT NULL' for c in cols)
    full = f'raw."{table.name}"'
    keys_of_rows = f" SEMI JOIN {rows} x USING ({key})" if rows else ""
    # Group first: only keys that occur twice are joined back, which is much cheaper than a
    # window over the whole table when (as usual) there are no duplicates at all.
    return RowCheck(
        table.name, f"unique:{label}",
        f"SELECT t.id, '{label} 与 id=' || d.first_id || ' 重复' FROM {rows or full} t "
        f"JOIN (SELECT {', '.join(f'a.{chr(34)}{c}{chr(34)}' for c in cols)}, min(a.id) AS first_id "
        f"FROM {full} a{keys_of_rows} WHERE {not_null} GROUP BY ALL HAVING count(*) > 1) d "
        f"USING ({key}) WHERE t.id <> d.first_id")
