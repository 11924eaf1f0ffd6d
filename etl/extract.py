"""Extract one module's tables from its source database into Arrow, in keyset-paged chunks."""
from __future__ import annotations

import datetime as dt
import queue
import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Boolean, Float, Integer, Numeric, Table, text
from sqlalchemy.engine import make_url

from models.base import make_engine


@dataclass
class TableExtract:
    """What one table's extraction produced: Arrow chunks, the source's row count, the new watermark.

    When the chunks were handed on as they came (stream()), chunks is empty and rows counts them.
    """

    table: str
    chunks: list[pa.Table]
    source_rows: int
    watermark: dt.datetime | None
    streamed_rows: int = 0

    @property
    def rows(self) -> int:
        """Rows extracted."""
        return self.streamed_rows + sum(c.num_rows for c in self.chunks)


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


class SourceSchemaError(RuntimeError):
    """The source database lacks a column the models have."""


@dataclass(frozen=True)
class Job:
    """One module to extract: its source, the extraction path and (table, since) pairs in order."""

    module: str
    url: str
    path: str
    tables: list[tuple[Table, dt.datetime | None]]


def stream(jobs: list[Job], chunk_rows: int, depth: int = 4) -> Iterator[tuple]:
    """Extract the jobs in a background thread and yield what it reads, in order:
    ("chunk", module, table, arrow) for each chunk and ("end", module, table, TableExtract) after
    each table. Reading the source and loading DuckDB thus overlap (both release the GIL).
    At most depth full chunks' rows wait in memory (any number of small ones: an incremental
    run's many small deltas are all read ahead); an error in the thread is raised here.
    """
    q: queue.Queue = queue.Queue()
    stop = threading.Event()
    room = threading.Condition()
    waiting = [0]  # rows queued and not yet taken
    limit = depth * chunk_rows

    def put(item: tuple) -> None:
        rows = _rows(item)
        with room:
            while waiting[0] and waiting[0] + rows > limit and not stop.is_set():
                room.wait(0.2)
            if stop.is_set():
                raise _Stopped()
            waiting[0] += rows
        q.put(item)

    def work() -> None:
        try:
            for job in jobs:
                with source(job.url, job.path) as src:
                    for table, since in job.tables:
                        got = src.extract(table, since, chunk_rows,
                                          emit=lambda c, t=table, m=job.module: put(("chunk", m, t, c)))
                        put(("end", job.module, table, got))
            put(("done",))
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the consumer, which raises it
            try:
                put(("error", exc))
            except _Stopped:
                pass

    thread = threading.Thread(target=work, name="etl-extract", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            with room:
                waiting[0] -= _rows(item)
                room.notify_all()
            if item[0] == "done":
                return
            if item[0] == "error":
                raise item[1]
            yield item
    finally:
        stop.set()
        with room:
            room.notify_all()
        thread.join()


def _rows(item: tuple) -> int:
    return item[3].num_rows if item[0] == "chunk" else 0


class _Stopped(Exception):
    """The consumer of stream() went away; the extraction thread ends quietly."""


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

    def extract(self, table: Table, since: dt.datetime | None, chunk_rows: int,
                emit: Callable[[pa.Table], None] | None = None) -> TableExtract:
        """Rows updated after since (all rows if None), chunk by chunk in id order; with emit,
        each chunk is handed to it as soon as it is read instead of being kept."""
        chunks: list[pa.Table] = []
        streamed = 0
        last_id, watermark = -1, None
        if since is not None and self.count_since(table, since) <= chunk_rows:
            # A small delta: one query the updated_at index can drive (ORDER BY id would make
            # the database walk the whole table in id order instead).
            mark = self.marks(1)[0]
            chunk = self.fetch(table, f"WHERE updated_at > {mark}", [since])
            if chunk.num_rows:
                watermark = _as_datetime(pc.max(chunk.column("updated_at")).as_py())
                if emit:
                    emit(chunk)
                    streamed += chunk.num_rows
                else:
                    chunks.append(chunk)
            # Counted after the delta was handed on, so that it loads while the source counts
            # (the same snapshot: a count of millions of rows takes a tenth of a second).
            return TableExtract(table.name, chunks, self.count(table), watermark, streamed)
        where = "id > {0}" + (" AND updated_at > {1}" if since is not None else "")
        while True:
            args: list[Any] = [last_id] + ([since] if since is not None else [])
            chunk = self.fetch(table, f"WHERE {where.format(*self.marks(len(args)))} "
                                      f"ORDER BY id LIMIT {int(chunk_rows)}", args)
            if chunk.num_rows == 0:
                break
            last_id = chunk.column("id")[-1].as_py()
            top = pc.max(chunk.column("updated_at")).as_py()
            top = _as_datetime(top)
            watermark = top if watermark is None or (top and top > watermark) else watermark
            if emit:
                emit(chunk)
                streamed += chunk.num_rows
            else:
                chunks.append(chunk)
            if chunk.num_rows < chunk_rows:
                break
        return TableExtract(table.name, chunks, self.count(table), watermark, streamed)

    def select_expr(self, column, cast: bool = False) -> str:
        """The column as selected; with cast, SQLite is told the storage class to return."""
        return f'"{column.name}"'

    def fetch(self, table: Table, rest: str, args: list[Any]) -> pa.Table:
        """SELECT every column of table with the given WHERE/ORDER tail, as normalised Arrow.

        SQLite columns may mix storage classes (a stray text in a number column); the ADBC
        driver then returns the whole column as text. Such a chunk is asked for again with
        explicit casts, which are five times slower and so not used for clean chunks.
        """
        cols = ", ".join(self.select_expr(c) for c in table.columns)
        chunk = normalise(self.query(f'SELECT {cols} FROM "{table.name}" {rest}', args))
        missing = [c.name for c in table.columns if c.name not in chunk.column_names]
        if missing:
            # SQLite reads an unknown "quoted" name as a string literal instead of failing.
            raise SourceSchemaError(f"source table {table.name} has no column {', '.join(missing)}: "
                                    f"its schema is older than the models (run the migrations)")
        if self.dialect == "sqlite" and not conforms(table, chunk):
            cols = ", ".join(self.select_expr(c, cast=True) for c in table.columns)
            chunk = normalise(self.query(f'SELECT {cols} FROM "{table.name}" {rest}', args))
        return chunk

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

    def select_expr(self, column, cast: bool = False) -> str:
        if self.dialect != "sqlite" or not cast:
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


def conforms(table: Table, chunk: pa.Table) -> bool:
    """Whether every column arrived as the model's kind: integer, number, or text."""
    for column in table.columns:
        got = chunk.column(column.name).type
        t = column.type
        if pa.types.is_null(got):
            continue
        if isinstance(t, (Integer, Boolean)):
            ok = pa.types.is_integer(got)
        elif isinstance(t, (Float, Numeric)):
            ok = pa.types.is_integer(got) or pa.types.is_floating(got)
        else:
            ok = pa.types.is_string(got) or pa.types.is_large_string(got)
        if not ok:
            return False
    return True


def normalise(chunk: pa.Table) -> pa.Table:
    """Turn all-null columns (typed by guesswork) into Arrow's null type, which casts to anything."""
    cols = []
    for name, col in zip(chunk.column_names, chunk.columns):
        cols.append(pa.nulls(len(col)) if col.null_count == len(col) and len(col) else col)
    return pa.table(cols, names=chunk.column_names)
