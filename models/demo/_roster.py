"""Who was in which unit when, and office-hours arithmetic, for the portal/office/mail/contract demo."""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from typing import Any

from models import workday
from models.demo.core import DemoContext, at

LEADER_POSITIONS = frozenset(("局长", "副局长", "处长", "副处长", "队长", "副队长"))
PARTY_STATUSES = frozenset(("中共党员", "中共预备党员"))
# Office hours of the bureau: 08:30-17:30, nine hours of the working day counted in minutes.
DAY_START = 8 * 60 + 30
DAY_MINUTES = 9 * 60
Person = dict[str, Any]
Stint = tuple[Person, dt.date, dt.date]


def stints(person: Person) -> list[tuple[int, dt.date, dt.date]]:
    """(unit_id, from, to) spells of a person, to exclusive, ending at the leave date."""
    end = person["leave_date"] or dt.date.max
    moves = person["moves"]
    out = []
    for i, (day, unit_id) in enumerate(moves):
        stop = min(moves[i + 1][0] if i + 1 < len(moves) else end, end)
        if stop > day:
            out.append((unit_id, day, stop))
    return out


class Roster:
    """Stints of staff per unit, the org tree and the work calendar, built once per generator."""

    def __init__(self, ctx: DemoContext) -> None:
        """Index ctx.persons by unit (and leaders), the org tree and the calendar."""
        self.ctx = ctx
        self.cutoff = at(ctx.end, 23, 59, 59)
        self.by_unit: dict[int, list[Stint]] = {}
        self.leaders: dict[int, list[Stint]] = {}
        self.everyone: list[Stint] = []
        for p in ctx.persons:
            for unit_id, start, stop in stints(p):
                s = (p, start, stop)
                self.by_unit.setdefault(unit_id, []).append(s)
                self.everyone.append(s)
                if p["position"] in LEADER_POSITIONS:
                    self.leaders.setdefault(unit_id, []).append(s)
        self.children: dict[int, list[int]] = {}
        for u in ctx.units:
            if u["parent_id"] is not None:
                self.children.setdefault(u["parent_id"], []).append(u["id"])
        self.root = next(u["id"] for u in ctx.units if u["parent_id"] is None)
        self.office = next((u["id"] for u in ctx.units if u["name"] == "办公室"), self.root)
        self._subtree: dict[int, list[int]] = {}
        self._calendar(ctx)

    def _calendar(self, ctx: DemoContext) -> None:
        """Workdays of the period and a year beyond (deadlines), Monday-Friday past the known years."""
        last = ctx.end + dt.timedelta(days=400)
        self.workdays = [d for d in workday.days(ctx.start - dt.timedelta(days=30), last)
                         if (workday.is_workday(d) if workday.covered(d) else d.weekday() < 5)]
        self.index = {d: i for i, d in enumerate(self.workdays)}
        self.opening = [at(d, 0) + dt.timedelta(minutes=DAY_START) for d in self.workdays]
        self.period_workdays = [d for d in self.workdays if ctx.start <= d <= ctx.end]

    # --- who -------------------------------------------------------------------------------

    def subtree(self, unit_id: int) -> list[int]:
        """The unit and every unit below it."""
        if unit_id not in self._subtree:
            out, todo = [], [unit_id]
            while todo:
                u = todo.pop()
                out.append(u)
                todo.extend(self.children.get(u, ()))
            self._subtree[unit_id] = out
        return self._subtree[unit_id]

    def organ(self, unit_id: int) -> int:
        """The organ that registers documents for a unit: 处室 belong to the bureau."""
        return self.root if self.ctx.unit(unit_id)["level"] == "处室" else unit_id

    def members(self, unit_id: int, day: dt.date) -> list[Person]:
        """Staff in the unit on day."""
        return [p for p, a, b in self.by_unit.get(unit_id, ()) if a <= day < b]

    def pick(self, rng: random.Random, unit_id: int, day: dt.date,
             leader: bool = False, exclude: int | None = None) -> Person | None:
        """A random member (or leader) of the unit on day, None if it has nobody then."""
        pool = (self.leaders if leader else self.by_unit).get(unit_id)
        if not pool:
            return None
        for _ in range(6):
            p, a, b = pool[rng.randrange(len(pool))]
            if a <= day < b and p["id"] != exclude:
                return p
        live = [p for p, a, b in pool if a <= day < b and p["id"] != exclude]
        return rng.choice(live) if live else None

    def pick_up(self, rng: random.Random, unit_id: int, day: dt.date,
                leader: bool = False, exclude: int | None = None) -> Person | None:
        """pick() in the unit, else in the units above it: someone always answers for a unit."""
        u: int | None = unit_id
        while u is not None:
            p = self.pick(rng, u, day, leader, exclude)
            if p is None and leader:
                p = self.pick(rng, u, day, False, exclude)
            if p is not None:
                return p
            u = self.ctx.unit(u)["parent_id"]
        return self.pick_any(rng, day)

    def pick_any(self, rng: random.Random, day: dt.date) -> Person | None:
        """A random member of staff active on day, anywhere in the organisation."""
        pool = self.everyone
        for _ in range(20):
            p, a, b = pool[rng.randrange(len(pool))]
            if a <= day < b:
                return p
        live = [p for p, a, b in pool if a <= day < b]
        return rng.choice(live) if live else None

    def pick_in(self, rng: random.Random, units: list[int], day: dt.date) -> Person | None:
        """A random member of staff active on day in one of units (weighted by staff)."""
        for _ in range(12):
            p = self.pick(rng, units[rng.randrange(len(units))], day)
            if p is not None:
                return p
        live = [p for u in units for p in self.members(u, day)]
        return rng.choice(live) if live else None

    @staticmethod
    def unit_on(person: Person, day: dt.date) -> int:
        """The unit of person on day (the hire unit before the first move)."""
        moves = person["moves"]
        if len(moves) == 1:
            return moves[0][1]
        i = bisect.bisect_right(moves, (day, math.inf)) - 1
        return moves[max(i, 0)][1]

    @staticmethod
    def is_active(person: Person, day: dt.date) -> bool:
        """Hired on or before day and not yet left."""
        return person["hire_date"] <= day and (person["leave_date"] is None
                                                or person["leave_date"] > day)

    # --- when ------------------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        """True on China workdays (within the calendar this roster covers)."""
        return day in self.index

    def next_workday(self, day: dt.date) -> dt.date:
        """day if it is a workday, else the next workday."""
        i = bisect.bisect_left(self.workdays, day)
        return self.workdays[min(i, len(self.workdays) - 1)]

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The workday n workdays after day (n=0: day or the next workday)."""
        i = bisect.bisect_left(self.workdays, day) + n
        if i < len(self.workdays):
            return self.workdays[i]
        return self.workdays[-1] + dt.timedelta(days=(i - len(self.workdays) + 1) * 7 // 5)

    def work_minute(self, t: dt.datetime) -> int:
        """Working minutes from the start of the calendar to t (08:30-17:30 on workdays)."""
        day = t.date()
        i = self.index.get(day)
        if i is None:
            return bisect.bisect_left(self.workdays, day) * DAY_MINUTES
        off = t.hour * 60 + t.minute - DAY_START
        return i * DAY_MINUTES + min(max(off, 0), DAY_MINUTES)

    def from_work_minute(self, m: float) -> dt.datetime:
        """The timestamp of a working minute (the inverse of work_minute)."""
        i, off = divmod(int(m), DAY_MINUTES)
        if i < len(self.opening):
            return self.opening[i] + dt.timedelta(minutes=off)
        day = self.add_workdays(self.workdays[-1], i - len(self.workdays) + 1)
        return at(day, 0) + dt.timedelta(minutes=DAY_START + off)

    def add_work_hours(self, t: dt.datetime, hours: float) -> dt.datetime:
        """t plus hours of office time; a start outside office hours begins at the next opening."""
        return self.from_work_minute(self.work_minute(t) + hours * 60)

    def work_time(self, rng: random.Random, day: dt.date, late_share: float = 0.05) -> dt.datetime:
        """A time on day inside office hours, a few after hours (overtime)."""
        if rng.random() < late_share:
            return at(day, rng.randint(17, 20), rng.randint(0, 59))
        minute = DAY_START + int(rng.triangular(0, DAY_MINUTES, DAY_MINUTES * 0.4))
        return at(day, minute // 60, minute % 60)

    def random_workday(self, rng: random.Random) -> dt.date:
        """A workday of the demo period, uniformly."""
        return self.period_workdays[rng.randrange(len(self.period_workdays))]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth for small means, a rounded normal for large ones)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, prod = math.exp(-mean), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


_CUMULATIVE: dict[int, tuple[dict, list, list[float]]] = {}


def weighted(rng: random.Random, table: dict[str, Any]) -> Any:
    """One key of table drawn with its weight (tables are module constants: cached by identity)."""
    hit = _CUMULATIVE.get(id(table))
    if hit is None or hit[0] is not table:
        hit = _CUMULATIVE[id(table)] = (table, list(table), list(itertools.accumulate(table.values())))
    return rng.choices(hit[1], cum_weights=hit[2])[0]


def scale_factor(ctx: DemoContext, floor: float = 0.0) -> float:
    """Staff of this scale relative to the city (8,088 people), at least floor."""
    return max(ctx.scale.staff / 8088, floor)
