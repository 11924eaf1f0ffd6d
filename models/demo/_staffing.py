"""Who was where when: per-unit staffing spells and approvers, shared by several demo generators."""
from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from models import workday
from models.demo.core import DemoContext

LEADER_POSITIONS = frozenset(("局长", "副局长", "处长", "副处长", "队长", "副队长"))
CIVIL_SERVANTS = frozenset(("公务员", "参照公务员法管理"))
FOREVER = dt.date(9999, 12, 31)


class Staffing:
    """Spells of people in units ([from, to) with to exclusive) and the calendar, computed once."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.workdays = ctx.workdays()
        self.workday_set = frozenset(self.workdays)
        self.by_unit: dict[int, list[tuple[dt.date, dt.date, dict[str, Any]]]] = {}
        for p in ctx.persons:
            for start, end, unit_id in spells(p):
                self.by_unit.setdefault(unit_id, []).append((start, end, p))
        self.leaders = {u: [s for s in spell_list if s[2]["position"] in LEADER_POSITIONS]
                        for u, spell_list in self.by_unit.items()}
        self.all_leaders = [s for spell_list in self.leaders.values() for s in spell_list]

    def members(self, unit_id: int, day: dt.date) -> list[dict[str, Any]]:
        """People in unit_id on day."""
        return [p for start, end, p in self.by_unit.get(unit_id, ()) if start <= day < end]

    def approver(self, unit_id: int, day: dt.date, exclude: int) -> int:
        """A leader of the unit (or of the nearest unit above it) active on day, other than exclude."""
        u: int | None = unit_id
        while u is not None:
            for start, end, p in self.leaders.get(u, ()):
                if start <= day < end and p["id"] != exclude:
                    return p["id"]
            u = self.ctx.unit(u)["parent_id"]
        for start, end, p in self.all_leaders:
            if start <= day < end and p["id"] != exclude:
                return p["id"]
        raise LookupError(f"no leader active on {day}")

    def active_workdays(self, person: dict[str, Any], first: dt.date, last: dt.date) -> list[dt.date]:
        """Workdays in [first, last] on which person was employed."""
        lo = max(first, person["hire_date"])
        hi = last if person["leave_date"] is None else min(last, person["leave_date"] - dt.timedelta(1))
        if hi < lo:
            return []
        wd = self.workdays
        return wd[bisect.bisect_left(wd, lo):bisect.bisect_right(wd, hi)]


def staffing(ctx: DemoContext) -> Staffing:
    """The Staffing of ctx, built on first use and kept on the context."""
    cached = getattr(ctx, "_staffing", None)
    if cached is None:
        cached = Staffing(ctx)
        ctx._staffing = cached  # type: ignore[attr-defined]
    return cached


def spells(person: dict[str, Any]) -> list[tuple[dt.date, dt.date, int]]:
    """(from, to exclusive, unit_id) for each stay of person in a unit, up to the leave date."""
    moves = person["moves"]
    stop = person["leave_date"] or FOREVER
    out = []
    for i, (start, unit_id) in enumerate(moves):
        end = moves[i + 1][0] if i + 1 < len(moves) else stop
        end = min(end, stop)
        if end > start:
            out.append((start, end, unit_id))
    return out


def is_active(person: dict[str, Any], day: dt.date) -> bool:
    """Employed on day: hired on or before it and not yet left."""
    return person["hire_date"] <= day and (person["leave_date"] is None or person["leave_date"] > day)


def office_time(rng: Any, day: dt.date, earliest: int = 9 * 60, latest: int = 17 * 60 + 30) -> dt.datetime:
    """A random minute of day between earliest and latest (minutes after midnight)."""
    m = rng.randint(earliest, latest)
    return dt.datetime(day.year, day.month, day.day, m // 60, m % 60, rng.randint(0, 59))


def next_workday(day: dt.date, n: int = 1) -> dt.date:
    """The n-th workday after day (n >= 1)."""
    while n > 0:
        day += dt.timedelta(1)
        if workday.is_workday(day):
            n -= 1
    return day


def workday_on_or_after(day: dt.date) -> dt.date:
    """day itself if it is a workday, else the next workday."""
    while not workday.is_workday(day):
        day += dt.timedelta(1)
    return day
