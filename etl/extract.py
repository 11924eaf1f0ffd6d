"""Extract one module's tables from its source database into Arrow, in keyset-paged chunks."""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, Table, text
from sqlalchemy.engine import make_url

from models.base import make_engine


@dataclass
class TableExtract:
    """What one table's extraction produced: Arrow chunks, the source's row count, the new watermark."""

    table: str
    chunks: list[pa.Table]
    source_rows: int
    watermark: dt.datetime | None

    @property
    def rows(self) -> int:
        """Rows extracted."""
        return sum(c.num_rows for c in self.chunks)


def path_for(url: str, forced: str = "auto") -> str:
    """'adbc-sqlite', 'adbc-postgresql' or 'sqlalchemy' (the generic path for any other database)."""
    if forced != "auto":
        return forced
    backend = make_url(url).get_backend_name()
    return {"sqlite": "adbc-sqlite", "postgresql": "adbc-postgresql"}.get(backend, "sqlalchemy")


@contextmanager
def source(url: str, path: str) -> Iterator["Source"]:
    """An open source connection inside one read transaction (one snapshot for the module)."""
    if path == "adbc-sqlite":
        import adbc_driver_sqlite.dbapi as adbc
        conn = adbc.connect(make_url(url).database)
        yield AdbcSource(conn, "?", "sqlite")
        conn.rollback()
        conn.close()
    elif path == "adbc-postgresql":
        import adbc_driver_postgresql.dbapi as adbc
        u = make_url(url)
        uri = u.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = adbc.connect(uri)
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield AdbcSource(conn, "$", "postgresql")
        conn.rollback()
        conn.close()
    else:
        engine = make_engine(url)
        with engine.connect() as conn:
            with conn.begin():
                yield SqlAlchemySource(conn)
        engine.dispose()


class Source(ABC):
    """Common keyset-paging logic; subclasses run one query and return Arrow."""

    dialect = ""

    def count(self, table: Table) -> int:
        """Rows in the source table (soft-deleted included, as in raw)."""
        return int(self.query(f'SELECT count(*) AS n FROM "{table.name}"', []).column(0)[0].as_py())

    def count_since(self, table: Table, since: dt.datetime) -> int:
        """Rows updated after since (answered from the updated_at index)."""
        mark = self.marks(1)[0]
        return int(self.query(f'SELECT count(*) AS n FROM "{table.name}" WHERE updated_at > {mark}',
                              [since]).column(0)[0].as_py())

    def extract(self, table: Table, since: dt.datetime | None, chunk_rows: int) -> TableExtract:
        """Rows updated after since (all rows if None), chunk by chunk in id order."""
        source_rows = self.count(table)
        cols = ", ".join(self.select_expr(c) for c in table.columns)
        chunks: list[pa.Table] = []
        last_id, watermark = -1, None
        if since is not None and self.count_since(table, since) <= chunk_rows:
            # A small delta: one query the updated_at index can drive (ORDER BY id would make
            # the database walk the whole table in id order instead).
            mark = self.marks(1)[0]
            chunk = normalise(self.query(
                f'SELECT {cols} FROM "{table.name}" WHERE updated_at > {mark}', [since]))
            if chunk.num_rows:
                chunks.append(chunk)
                watermark = _as_datetime(pc.max(chunk.column("updated_at")).as_py())
            return TableExtract(table.name, chunks, source_rows, watermark)
        where = "id > {0}" + (" AND updated_at > {1}" if since is not None else "")
        while True:
            args: list[Any] = [last_id] + ([since] if since is not None else [])
            sql = (f'SELECT {cols} FROM "{table.name}" WHERE {where.format(*self.marks(len(args)))}'
                   f" ORDER BY id LIMIT {int(chunk_rows)}")
            chunk = normalise(self.query(sql, args))
            if chunk.num_rows == 0:
                break
            chunks.append(chunk)
            last_id = chunk.column("id")[-1].as_py()
            top = pc.max(chunk.column("updated_at")).as_py()
            top = _as_datetime(top)
            watermark = top if watermark is None or (top and top > watermark) else watermark
            if chunk.num_rows < chunk_rows:
                break
        return TableExtract(table.name, chunks, source_rows, watermark)

    def select_expr(self, column) -> str:
        """The column as selected; SQLite gets casts so Arrow types do not depend on the first rows."""
        return f'"{column.name}"'

    @abstractmethod
    def marks(self, n: int) -> list[str]:
        """Placeholders for n positional parameters."""

    @abstractmethod
    def query(self, sql: str, args: list[Any]) -> pa.Table:
        """Run one query and return its rows as Arrow."""


class AdbcSource(Source):
    """ADBC driver (SQLite or PostgreSQL): columnar results straight into Arrow."""

    def __init__(self, conn: Any, mark: str, dialect: str) -> None:
        self.conn, self.mark, self.dialect = conn, mark, dialect

    def marks(self, n: int) -> list[str]:
        return ["?"] * n if self.mark == "?" else [f"${i}" for i in range(1, n + 1)]

    def select_expr(self, column) -> str:
        if self.dialect != "sqlite":
            return f'"{column.name}"'
        t = column.type
        kind = ("INTEGER" if isinstance(t, (Integer, Boolean)) else
                "REAL" if isinstance(t, (Float, Numeric)) else "TEXT")
        return f'CAST("{column.name}" AS {kind}) AS "{column.name}"'

    def query(self, sql: str, args: list[Any]) -> pa.Table:
        with self.conn.cursor() as cur:
            if self.dialect == "sqlite":
                # One batch per query: the driver infers column types from the first batch only.
                cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": "1000000"})
                args = [a.isoformat(sep=" ") if isinstance(a, dt.datetime) else a for a in args]
            cur.execute(sql, args)
            return cur.fetch_arrow_table()


class SqlAlchemySource(Source):
    """Any database SQLAlchemy reaches: rows fetched through the DB-API and turned into Arrow."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.dialect = conn, conn.dialect.name

    def marks(self, n: int) -> list[str]:
        return [f":p{i}" for i in range(n)]

    def query(self, sql: str, args: list[Any]) -> pa.Table:
        result = self.conn.execute(text(sql), {f"p{i}": a for i, a in enumerate(args)})
        names = list(result.keys())
        rows = result.fetchall()
        return pa.table({n: pa.array([_plain(r[i]) for r in rows]) for i, n in enumerate(names)})


def _plain(value: Any) -> Any:
    """Decimals travel as text (exact); DuckDB casts them to the raw column's DECIMAL."""
    from decimal import Decimal
    return str(value) if isinstance(value, Decimal) else value


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def normalise(chunk: pa.Table) -> pa.Table:
    """Turn all-null columns (typed by guesswork) into Arrow's null type, which casts to anything."""
    cols = []
    for name, col in zip(chunk.column_names, chunk.columns):
        cols.append(pa.nulls(len(col)) if col.null_count == len(col) and len(col) else col)
    return pa.table(cols, names=chunk.column_names)
