"""Who was in which unit when: fast look-ups over ctx.persons for the demo generators."""
from __future__ import annotations

import bisect
import datetime as dt
import random
from typing import Any

from models.demo.core import DemoContext

Person = dict[str, Any]


def stints(person: Person) -> list[tuple[dt.date, dt.date | None, int]]:
    """(first day, first day no longer there or None, unit_id) for each unit the person was in."""
    moves = person["moves"]
    out = []
    for i, (day, unit_id) in enumerate(moves):
        end = moves[i + 1][0] if i + 1 < len(moves) else person["leave_date"]
        if end is None or end > day:
            out.append((day, end, unit_id))
    return out


def is_active(person: Person, day: dt.date) -> bool:
    """Active on day: hired on or before it and not yet left (METRICS.md common rules)."""
    return person["hire_date"] <= day and (person["leave_date"] is None or person["leave_date"] > day)


class Roster:
    """The staff of every unit on any day, answered by bisection over precomputed change points."""

    def __init__(self, ctx: DemoContext) -> None:
        """Sweep every person's stints once, unit by unit."""
        changes: dict[int, list[tuple[dt.date, int, int]]] = {}
        self.by_id = {p["id"]: p for p in ctx.persons}
        for p in ctx.persons:
            for start, end, unit_id in stints(p):
                changes.setdefault(unit_id, []).append((start, 1, p["id"]))
                if end is not None:
                    changes.setdefault(unit_id, []).append((end, -1, p["id"]))
        self._dates: dict[int, list[dt.date]] = {}
        self._members: dict[int, list[tuple[int, ...]]] = {}
        for unit_id, evs in changes.items():
            evs.sort()
            current: set[int] = set()
            dates: list[dt.date] = []
            members: list[tuple[int, ...]] = []
            for day, sign, pid in evs:
                if sign > 0:
                    current.add(pid)
                else:
                    current.discard(pid)
                if dates and dates[-1] == day:
                    members[-1] = tuple(sorted(current))
                else:
                    dates.append(day)
                    members.append(tuple(sorted(current)))
            self._dates[unit_id], self._members[unit_id] = dates, members

    def ids_on(self, unit_id: int, day: dt.date) -> tuple[int, ...]:
        """Ids of the people in unit_id on day (sorted, so choices are reproducible)."""
        dates = self._dates.get(unit_id)
        if not dates:
            return ()
        i = bisect.bisect_right(dates, day) - 1
        return self._members[unit_id][i] if i >= 0 else ()

    def pick(self, rng: random.Random, unit_id: int, day: dt.date) -> Person | None:
        """A random person of unit_id on day, or None if the unit was empty."""
        ids = self.ids_on(unit_id, day)
        return self.by_id[rng.choice(ids)] if ids else None

    def next_change(self, unit_id: int, day: dt.date) -> dt.date | None:
        """The first day after day on which the unit's staff changes, or None."""
        dates = self._dates.get(unit_id, [])
        i = bisect.bisect_right(dates, day)
        return dates[i] if i < len(dates) else None


def pick_active(rng: random.Random, persons: list[Person], day: dt.date,
                tries: int = 50) -> Person | None:
    """A random person active on day anywhere (rejection sampling: most people are active)."""
    for _ in range(tries):
        p = rng.choice(persons)
        if is_active(p, day):
            return p
    return None


def unit_on(person: Person, day: dt.date) -> int:
    """The unit a person belonged to on day (the first unit before they were hired)."""
    moves = person["moves"]
    i = bisect.bisect_right(moves, (day, float("inf"))) - 1
    return moves[max(i, 0)][1]
