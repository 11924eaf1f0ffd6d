"""Who was in which unit when, the work calendar and random draws, shared by the demo generators."""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from functools import lru_cache
from typing import Any, NamedTuple

from models import workday
from models.demo.core import DemoContext, at

LEADER_POSITIONS = frozenset(("局长", "副局长", "处长", "副处长", "队长", "副队长"))
PARTY_STATUSES = frozenset(("中共党员", "中共预备党员"))
CIVIL_SERVANTS = frozenset(("公务员", "参照公务员法管理"))
# The end of a spell that has not ended: one comparison then covers both cases.
FOREVER = dt.date.max
# Office hours of the bureau: 08:30-17:30, nine hours of the working day counted in minutes.
DAY_START = 8 * 60 + 30
DAY_MINUTES = 9 * 60
Person = dict[str, Any]
# (person, first day in the unit, first day no longer there or FOREVER)
Spell = tuple[Person, dt.date, dt.date]


# --- people ----------------------------------------------------------------------------------

def spells(person: Person) -> list[tuple[int, dt.date, dt.date]]:
    """(unit_id, first day, first day no longer there or FOREVER) of each stay of person in a unit."""
    end = person["leave_date"] or FOREVER
    moves = person["moves"]
    out = []
    for i, (day, unit_id) in enumerate(moves):
        stop = min(moves[i + 1][0] if i + 1 < len(moves) else end, end)
        if stop > day:
            out.append((unit_id, day, stop))
    return out


def spell_of(person: Person, unit_id: int, day: dt.date) -> tuple[dt.date, dt.date] | None:
    """(first day, first day gone or FOREVER) of person's stay in the unit that covers day, if any."""
    return next(((a, b) for u, a, b in spells(person) if u == unit_id and a <= day < b), None)


def is_active(person: Person, day: dt.date) -> bool:
    """Hired on or before day and not yet left (METRICS.md common rules)."""
    return person["hire_date"] <= day and (person["leave_date"] is None or person["leave_date"] > day)


def unit_on(person: Person, day: dt.date) -> int:
    """The unit of person on day (the hire unit before the first move)."""
    moves = person["moves"]
    if len(moves) == 1:
        return moves[0][1]
    i = bisect.bisect_right(moves, (day, math.inf)) - 1
    return moves[max(i, 0)][1]


def pick_active(rng: random.Random, persons: list[Person], day: dt.date,
                tries: int = 50) -> Person | None:
    """A random person of persons active on day, or None after tries misses (most are active)."""
    for _ in range(tries):
        p = rng.choice(persons)
        if is_active(p, day):
            return p
    return None


class Staffing:
    """Spells of staff per unit, their leaders and the org tree, indexed once per context."""

    def __init__(self, ctx: DemoContext) -> None:
        """Index ctx.persons by unit (and leaders) and ctx.units as a tree."""
        self.ctx = ctx
        self.persons = ctx.persons
        self.by_id = {p["id"]: p for p in ctx.persons}
        self.by_unit: dict[int, list[Spell]] = {}
        self.leaders: dict[int, list[Spell]] = {}
        self.everyone: list[Spell] = []
        for p in ctx.persons:
            for unit_id, start, stop in spells(p):
                s = (p, start, stop)
                self.by_unit.setdefault(unit_id, []).append(s)
                self.everyone.append(s)
                if p["position"] in LEADER_POSITIONS:
                    self.leaders.setdefault(unit_id, []).append(s)
        # approver() falls back to any leader, searched unit by unit in the order of by_unit
        self.all_leaders = [s for u in self.by_unit for s in self.leaders.get(u, ())]
        self.children: dict[int, list[int]] = {}
        for u in ctx.units:
            if u["parent_id"] is not None:
                self.children.setdefault(u["parent_id"], []).append(u["id"])
        self.root = next(u["id"] for u in ctx.units if u["parent_id"] is None)
        self.office = next((u["id"] for u in ctx.units if u["name"] == "办公室"), self.root)
        self._subtree: dict[int, list[int]] = {}
        self._changes: dict[int, tuple[list[dt.date], list[tuple[int, ...]]]] | None = None

    # --- the org tree --------------------------------------------------------------------------

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

    # --- who was there -------------------------------------------------------------------------

    def members(self, unit_id: int, day: dt.date) -> list[Person]:
        """Staff in the unit on day."""
        return [p for p, a, b in self.by_unit.get(unit_id, ()) if a <= day < b]

    def ids_on(self, unit_id: int, day: dt.date) -> tuple[int, ...]:
        """Ids of the staff in the unit on day, sorted (so a choice among them is reproducible)."""
        dates, members = self._change_points().get(unit_id, ((), ()))
        i = bisect.bisect_right(dates, day) - 1
        return members[i] if i >= 0 else ()

    def next_change(self, unit_id: int, day: dt.date) -> dt.date | None:
        """The first day after day on which someone joins or leaves the unit, or None."""
        dates = self._change_points().get(unit_id, ((), ()))[0]
        i = bisect.bisect_right(dates, day)
        return dates[i] if i < len(dates) else None

    def _change_points(self) -> dict[int, tuple[list[dt.date], list[tuple[int, ...]]]]:
        """Per unit, the days its staff changes and the sorted ids from each; built on first use."""
        if self._changes is None:
            self._changes = {}
            for unit_id, unit_spells in self.by_unit.items():
                events = []
                for p, start, stop in unit_spells:
                    events.append((start, 1, p["id"]))
                    if stop != FOREVER:  # still there: no change to record
                        events.append((stop, -1, p["id"]))
                events.sort()
                current: set[int] = set()
                dates: list[dt.date] = []
                members: list[tuple[int, ...]] = []
                for day, sign, pid in events:
                    if sign > 0:
                        current.add(pid)
                    else:
                        current.discard(pid)
                    if dates and dates[-1] == day:
                        members[-1] = tuple(sorted(current))
                    else:
                        dates.append(day)
                        members.append(tuple(sorted(current)))
                self._changes[unit_id] = (dates, members)
        return self._changes

    # --- picking someone -----------------------------------------------------------------------

    def pick(self, rng: random.Random, unit_id: int, day: dt.date,
             leader: bool = False, exclude: int | None = None) -> Person | None:
        """A random member (or leader) of the unit on day, None if it has nobody then."""
        pool = (self.leaders if leader else self.by_unit).get(unit_id)
        if not pool:
            return None
        # rejection sampling first: most spells of a unit cover any given day
        for _ in range(6):
            p, a, b = pool[rng.randrange(len(pool))]
            if a <= day < b and p["id"] != exclude:
                return p
        live = [p for p, a, b in pool if a <= day < b and p["id"] != exclude]
        return rng.choice(live) if live else None

    def pick_sorted(self, rng: random.Random, unit_id: int, day: dt.date) -> Person | None:
        """A random member of the unit on day by one rng.choice among the sorted ids_on, or None."""
        ids = self.ids_on(unit_id, day)
        return self.by_id[rng.choice(ids)] if ids else None

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

    def approver(self, unit_id: int, day: dt.date, exclude: int) -> int:
        """Id of the first leader of the unit (or the nearest unit above) there on day, not exclude."""
        u: int | None = unit_id
        while u is not None:
            for p, a, b in self.leaders.get(u, ()):
                if a <= day < b and p["id"] != exclude:
                    return p["id"]
            u = self.ctx.unit(u)["parent_id"]
        for p, a, b in self.all_leaders:
            if a <= day < b and p["id"] != exclude:
                return p["id"]
        raise LookupError(f"no leader active on {day}")


def staffing(ctx: DemoContext) -> Staffing:
    """The Staffing of ctx, built on first use and kept on the context."""
    cached = getattr(ctx, "_staffing", None)
    # rebuilt if hr has replaced the staff since (a context reused in a test)
    if cached is None or cached.persons is not ctx.persons:
        cached = Staffing(ctx)
        ctx._staffing = cached  # type: ignore[attr-defined]
    return cached


# --- the work calendar -------------------------------------------------------------------------

class _Calendar(NamedTuple):
    """Workdays from a month before the period to 400 days after it (deadlines), and indexes."""

    workdays: list[dt.date]
    index: dict[dt.date, int]
    opening: list[dt.datetime]
    period: list[dt.date]


@lru_cache(maxsize=8)
def _calendar(start: dt.date, end: dt.date) -> _Calendar:
    """The calendar of a period; Monday-Friday past the years chinese-calendar knows (no warning)."""
    days = [d for d in workday.days(start - dt.timedelta(days=30), end + dt.timedelta(days=400))
            if (workday.is_workday(d) if workday.covered(d) else d.weekday() < 5)]
    return _Calendar(days, {d: i for i, d in enumerate(days)},
                     [at(d, 0) + dt.timedelta(minutes=DAY_START) for d in days],
                     [d for d in days if start <= d <= end])


def is_workday(ctx: DemoContext, day: dt.date) -> bool:
    """True on China workdays (within the calendar of ctx)."""
    return day in _calendar(ctx.start, ctx.end).index


def period_workdays(ctx: DemoContext) -> list[dt.date]:
    """The workdays of the demo period (a shared list: do not change it)."""
    return _calendar(ctx.start, ctx.end).period


def workdays_between(ctx: DemoContext, first: dt.date, last: dt.date) -> list[dt.date]:
    """Workdays of the demo period from first to last, both inclusive."""
    wd = _calendar(ctx.start, ctx.end).period
    return wd[bisect.bisect_left(wd, first):bisect.bisect_right(wd, last)]


def active_workdays(ctx: DemoContext, person: Person, first: dt.date, last: dt.date) -> list[dt.date]:
    """Workdays of the demo period in [first, last] on which person was employed."""
    lo = max(first, person["hire_date"])
    hi = last if person["leave_date"] is None else min(last, person["leave_date"] - dt.timedelta(1))
    if hi < lo:
        return []
    return workdays_between(ctx, lo, hi)


def random_workday(ctx: DemoContext, rng: random.Random) -> dt.date:
    """A workday of the demo period, uniformly."""
    wd = _calendar(ctx.start, ctx.end).period
    return wd[rng.randrange(len(wd))]


def add_workdays(ctx: DemoContext, day: dt.date, n: int) -> dt.date:
    """The workday n workdays after day (n=0: day or the next workday)."""
    wd = _calendar(ctx.start, ctx.end).workdays
    i = bisect.bisect_left(wd, day) + n
    if i < len(wd):
        return wd[i]
    return wd[-1] + dt.timedelta(days=(i - len(wd) + 1) * 7 // 5)


def workday_on_or_after(ctx: DemoContext, day: dt.date) -> dt.date:
    """day if it is a workday, else the next workday."""
    return add_workdays(ctx, day, 0)


def next_workday(ctx: DemoContext, day: dt.date, n: int = 1) -> dt.date:
    """The n-th workday after day (n >= 1)."""
    return add_workdays(ctx, day + dt.timedelta(days=1), n - 1)


def work_minute(ctx: DemoContext, t: dt.datetime) -> int:
    """Working minutes from the start of the calendar to t (08:30-17:30 on workdays)."""
    cal = _calendar(ctx.start, ctx.end)
    day = t.date()
    i = cal.index.get(day)
    if i is None:
        return bisect.bisect_left(cal.workdays, day) * DAY_MINUTES
    off = t.hour * 60 + t.minute - DAY_START
    return i * DAY_MINUTES + min(max(off, 0), DAY_MINUTES)


def from_work_minute(ctx: DemoContext, m: float) -> dt.datetime:
    """The timestamp of a working minute (the inverse of work_minute)."""
    cal = _calendar(ctx.start, ctx.end)
    i, off = divmod(int(m), DAY_MINUTES)
    if i < len(cal.opening):
        return cal.opening[i] + dt.timedelta(minutes=off)
    day = add_workdays(ctx, cal.workdays[-1], i - len(cal.workdays) + 1)
    return at(day, 0) + dt.timedelta(minutes=DAY_START + off)


def add_work_hours(ctx: DemoContext, t: dt.datetime, hours: float) -> dt.datetime:
    """t plus hours of office time; a start outside office hours begins at the next opening."""
    return from_work_minute(ctx, work_minute(ctx, t) + hours * 60)


def work_time(rng: random.Random, day: dt.date, late_share: float = 0.05) -> dt.datetime:
    """A time on day inside office hours, a share late_share after hours (overtime)."""
    if rng.random() < late_share:
        return at(day, rng.randint(17, 20), rng.randint(0, 59))
    minute = DAY_START + int(rng.triangular(0, DAY_MINUTES, DAY_MINUTES * 0.4))
    return at(day, minute // 60, minute % 60)


def office_time(rng: random.Random, day: dt.date, earliest: int = 9 * 60,
                latest: int = 17 * 60 + 30) -> dt.datetime:
    """A random minute of day between earliest and latest (minutes after midnight), any second."""
    m = rng.randint(earliest, latest)
    return dt.datetime(day.year, day.month, day.day, m // 60, m % 60, rng.randint(0, 59))


# --- random draws ------------------------------------------------------------------------------

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
