"""Declarative base, bookkeeping columns and the engine factory shared by every model file."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint, DDL, DateTime, Enum, MetaData, Table, create_engine, event, func,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every operational table: integer id, created_at and updated_at."""

    metadata = MetaData(naming_convention=NAMING)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept by the database: a server default on insert, a trigger on update (see below),
    # so raw SQL writers and other applications keep the ETL watermark honest too.
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(),
        onupdate=func.current_timestamp(), nullable=False, index=True)


class SoftDelete:
    """Mixin for records that can be withdrawn: deleted_at set instead of a DELETE."""

    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


def enum(*values: str, name: str) -> Enum:
    """A portable enumeration: VARCHAR plus a CHECK constraint listing the values."""
    return Enum(*values, name=name, native_enum=False, create_constraint=True,
                length=max(len(v) for v in values) * 3 + 2, validate_strings=True)


def check(sql: str, name: str) -> CheckConstraint:
    """A CHECK written in SQL that SQLite, PostgreSQL and DuckDB all accept (the ETL reuses it)."""
    return CheckConstraint(sql, name=name)


def table_modules() -> dict[str, str]:
    """Map each table name to its OA module (the model file that defines it)."""
    import_all()
    return {m.local_table.name: m.class_.__module__.rsplit(".", 1)[-1]
            for m in Base.registry.mappers}


def warehouse_tables() -> list[Table]:
    """Tables the ETL copies into the warehouse, parents before children: every table but those
    marked info={"warehouse": False} (the app's sessions and tokens: secrets, not OA data)."""
    import_all()
    return [t for t in Base.metadata.sorted_tables if t.info.get("warehouse", True)]


def tables_of(module: str) -> list[Table]:
    """Warehouse tables of one module, parents before children."""
    modules = table_modules()
    return [t for t in warehouse_tables() if modules.get(t.name) == module]


def import_all() -> None:
    """Import every model file so Base.metadata is complete."""
    import importlib

    from dashboard.config import MODULES
    for name in MODULES:
        importlib.import_module(f"models.{name}")


def updated_at_trigger_sql(table: str, dialect: str) -> list[str]:
    """DDL of the trigger that keeps updated_at current on every UPDATE."""
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION oa_set_updated_at() RETURNS trigger AS $$ "
            "BEGIN NEW.updated_at := now(); RETURN NEW; END $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS trg_{table}_updated_at ON {table}",
            f"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION oa_set_updated_at()",
        ]
    if dialect == "sqlite":
        # WHEN guards against an explicit updated_at in the UPDATE; recursive
        # triggers are off by default, so the inner UPDATE does not fire it again.
        return [
            f"DROP TRIGGER IF EXISTS trg_{table}_updated_at",
            f"CREATE TRIGGER trg_{table}_updated_at AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN NEW.updated_at IS OLD.updated_at BEGIN "
            f"UPDATE {table} SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id; END",
        ]
    return []


@event.listens_for(Table, "after_create")
def _create_trigger(table: Table, connection: Any, **kw: Any) -> None:
    """Attach the updated_at trigger when metadata.create_all builds a table."""
    if "updated_at" in table.c:
        for sql in updated_at_trigger_sql(table.name, connection.dialect.name):
            connection.execute(DDL(sql))


def make_engine(url: str, **kw: Any) -> Engine:
    """An engine for an operational database; SQLite gets foreign keys and WAL."""
    engine = create_engine(url, **kw)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    return engine
