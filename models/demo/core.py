"""Shared machinery of the demo generator: scales, the seeded context and bulk inserts."""
from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

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
        n = 0
        for chunk in chunked(rows, CHUNK):
            self.conn.execute(table.insert(), chunk)
            n += len(chunk)
            self.rows += len(chunk)
            if self.progress is not None:
                self.progress.update(len(chunk))
        return n

    def days(self) -> list[dt.date]:
        """Every date of the demo period."""
        return workday.days(self.start, self.end)

    def workdays(self) -> list[dt.date]:
        """The China workdays of the demo period."""
        return workday.workdays(self.start, self.end)

    def active(self, day: dt.date) -> list[dict[str, Any]]:
        """Staff active on day: hired on or before it and not yet left."""
        return [p for p in self.persons
                if p["hire_date"] <= day and (p["leave_date"] is None or p["leave_date"] > day)]

    def unit_on(self, person: dict[str, Any], day: dt.date) -> int:
        """The unit a person belonged to on day."""
        moves = person["moves"]
        i = bisect.bisect_right([m[0] for m in moves], day) - 1
        return moves[max(i, 0)][1]

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
