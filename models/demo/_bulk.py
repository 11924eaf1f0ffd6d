"""Bulk insert of tuples for the biggest demo tables, straight to the driver on SQLite.

ctx.insert spends about as long binding each dict through SQLAlchemy (type processors,
parameter construction) as SQLite spends storing it; for attendance_record (about a million
rows at demo scale, ten million at city scale) that doubles the generator's run time. On SQLite
the rows go to the driver as the same text SQLAlchemy would write (dates 'YYYY-MM-DD',
timestamps 'YYYY-MM-DD HH:MM:SS.ffffff'); every other database goes through ctx.insert.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Sequence

from sqlalchemy import Table

from models.demo.core import CHUNK, DemoContext, chunked

# Offsets from midnight, one per second of the day, in both forms (see Stamps).
_SECOND_DELTA = [dt.timedelta(seconds=s) for s in range(86_400)]
_SECOND_TEXT = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86_400)]


def uses_text(ctx: DemoContext) -> bool:
    """True when insert_tuples hands rows to the driver, so dates and timestamps must be text."""
    return ctx.conn.dialect.name == "sqlite"


class Stamps:
    """Dates and timestamps in the form insert_tuples needs for this connection.

    day(d) is the value of a Date column; midnight(d) + offset[seconds] is the value of a
    DateTime column (string concatenation on SQLite, datetime arithmetic elsewhere), so a
    generator writes one expression for both.
    """

    def __init__(self, ctx: DemoContext, days: Iterable[dt.date]) -> None:
        text = uses_text(ctx)
        self.offset = _SECOND_TEXT if text else _SECOND_DELTA
        days = list(days)
        self.day = {d: d.isoformat() for d in days}.__getitem__ if text else (lambda d: d)
        self.midnight = ({d: f"{d.isoformat()} " for d in days} if text else
                         {d: dt.datetime(d.year, d.month, d.day) for d in days}).__getitem__


def insert_tuples(ctx: DemoContext, table: Table, columns: Sequence[str],
                  rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert rows given as tuples in the order of columns, dates and timestamps made by Stamps."""
    if not uses_text(ctx):
        return ctx.insert(table, (dict(zip(columns, r)) for r in rows))
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    n = 0
    for chunk in chunked(rows, CHUNK):
        ctx.conn.exec_driver_sql(sql, chunk)
        n += len(chunk)
        ctx.rows += len(chunk)  # the same bookkeeping as ctx.insert
        if ctx.progress is not None:
            ctx.progress.update(len(chunk))
    return n
