"""Shared machinery of the demo generator: scales, the seeded context and bulk inserts."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from models import workday


@dataclass(frozen=True)
class Scale:
    """How big a demo database is: staff across the organisation, years of history."""

    name: str
    staff: int
    years: int


SCALES = {
    "small": Scale("small", 300, 1),
    "demo": Scale("demo", 2000, 2),
    "city": Scale("city", 8000, 5),
}
CHUNK = 20_000


@dataclass
class DemoContext:
    """What every module generator gets: connection, seeded randomness, period, org and staff.

    units: dicts with id, code, name, level, parent_id, district_code, functional_zone,
    authorized_headcount, keeps_duty_roster.
    persons: dicts with the person columns plus "moves": [(effective_date, unit_id), ...]
    in date order (the first is the hire).
    """

    conn: Connection
    seed: int
    scale: Scale
    start: dt.date
    end: dt.date
    units: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    progress: Any = None
    rows: int = 0

    def rng(self, module: str) -> random.Random:
        """A generator of its own per module, so one module's changes leave the others alone."""
        return random.Random(f"{self.seed}:{module}")

    def insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Insert rows in chunks (explicit ids welcome); returns how many."""
        return self._write(rows, lambda chunk: self.conn.execute(table.insert(), chunk))

    # insert() spends about as long binding each dict through SQLAlchemy (type processors,
    # parameter construction) as SQLite spends storing it; for attendance_record (about a million
    # rows at demo scale, ten million at city scale) that doubles the generator's run time. On
    # SQLite insert_rows hands the tuples to the driver, with dates and timestamps already the
    # text SQLAlchemy would write (see Stamps); every other database goes through insert().
    def insert_rows(self, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert rows given as tuples in the order of columns, dates and timestamps made by Stamps."""
        if not self.writes_text:
            return self.insert(table, (dict(zip(columns, r)) for r in rows))
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        return self._write(rows, lambda chunk: self.conn.exec_driver_sql(sql, chunk))

    @property
    def writes_text(self) -> bool:
        """True when insert_rows hands rows to the driver, so dates and timestamps must be text."""
        return self.conn.dialect.name == "sqlite"

    def _write(self, rows: Iterable[Any], execute: Callable[[list[Any]], Any]) -> int:
        """Execute chunks of rows, counting them in self.rows and on the progress bar."""
        n = 0
        for chunk in chunked(rows, CHUNK):
            execute(chunk)
            n += len(chunk)
            self.rows += len(chunk)
            if self.progress is not None:
                self.progress.update(len(chunk))
        return n

    @property
    def cutoff(self) -> dt.datetime:
        """The last moment of the demo period: 23:59:59 on the as-of date."""
        return at(self.end, 23, 59, 59)

    def days(self) -> list[dt.date]:
        """Every date of the demo period."""
        return workday.days(self.start, self.end)

    def workdays(self) -> list[dt.date]:
        """The China workdays of the demo period."""
        return workday.workdays(self.start, self.end)

    def unit(self, unit_id: int) -> dict[str, Any]:
        """The unit dict with this id."""
        return self._unit_index()[unit_id]

    def _unit_index(self) -> dict[int, dict[str, Any]]:
        if not hasattr(self, "_units_by_id"):
            self._units_by_id = {u["id"]: u for u in self.units}
        return self._units_by_id


def chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most size items."""
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A naive Beijing-time timestamp on day."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)


class Stamps:
    """Dates and timestamps in the form insert_rows needs for the context's connection.

    day(d) is the value of a Date column; midnight(d) + offset[seconds] is the value of a
    DateTime column (string concatenation on SQLite, datetime arithmetic elsewhere), so a
    generator writes one expression for both.
    """

    def __init__(self, ctx: DemoContext, days: Iterable[dt.date]) -> None:
        """Precompute the forms of days and of every second of a day."""
        text = ctx.writes_text
        self.offset = _second_offsets(text)
        days = list(days)
        self.day = {d: d.isoformat() for d in days}.__getitem__ if text else (lambda d: d)
        self.midnight = ({d: f"{d.isoformat()} " for d in days} if text else
                         {d: dt.datetime(d.year, d.month, d.day) for d in days}).__getitem__


@lru_cache(maxsize=2)
def _second_offsets(text: bool) -> list[Any]:
    """Offsets from midnight, one per second of the day, as text or as timedelta (see Stamps)."""
    if text:
        return [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(86_400)]
    return [dt.timedelta(seconds=s) for s in range(86_400)]
