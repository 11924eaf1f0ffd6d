"""The SLA engine: response and resolution times of a ticket from its history (METRICS.md ops).

Pure functions over plain dataclasses: no database, no Dash, no pandas. The ETL feeds it every
ticket's full history on each run, so a policy change recomputes every ticket.

Conventions (METRICS.md "sla conventions", and the choices it leaves open):

- Timestamps are naive Asia/Shanghai times (aware ones are converted) cut to the whole second;
  all arithmetic is in integer seconds. Minutes are shown rounded UP (a started minute counts),
  so a clock is breached exactly when its shown minutes exceed the target (targets are whole
  minutes), and zero elapsed time is 0.
- Calendars: "7x24" is wall-clock time; "working_hours" counts 09:00-18:00 on China workdays
  (models.workday: Monday-Friday less statutory holidays, plus 调休 working weekends). A clock
  starting outside working hours starts at the next working minute; only the working part of a
  pause is excluded. A target in workdays is stored as that many times 540 minutes.
- Response ends at the first acknowledgement: the first status change out of 新建 (models.ops
  requires acknowledged_at for every status but 新建, so this equals OpsTicket.acknowledged_at).
- Resolution ends at the LAST resolution: entering 已解决 (or 已关闭 straight from an open
  status). 挂起 pauses both clocks; the time from a resolution to a reopen is a pause, and each
  reopen (a done status followed by an open one) is counted.
- Priority: each clock is judged by the policy of the priority in force when it stops (at the
  acknowledgement, at the last resolution, or at as_of while it runs), measured from the report
  time in that policy's calendar, with every pause so far excluded. A change after a clock
  stopped does not re-judge it.
- Breached means elapsed > target (reaching the target exactly is met). A running clock is
  judged at as_of. met is None while the ticket is open. at_risk: open, not breached, and some
  running clock over 80% of its target.
- Due time: the first instant the clock reaches its target, counting the pauses known up to
  where the clock stopped (or as_of) and assuming it runs from then on; in working hours a due
  time that lands on 18:00 stays at 18:00.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from models import workday
from models.ops import CALENDARS, OPEN_STATUSES, STATUSES

NEW = "新建"
PAUSED = "挂起"
DONE_STATUSES = tuple(s for s in STATUSES if s not in OPEN_STATUSES)  # 已解决, 已关闭
STATUS, PRIORITY = "状态", "优先级"
OPEN_SECONDS, CLOSE_SECONDS = 9 * 3600, 18 * 3600
WORKDAY_SECONDS = CLOSE_SECONDS - OPEN_SECONDS
AT_RISK_SHARE = (4, 5)  # at risk above 4/5 of a target, kept as a fraction for exact arithmetic
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class SlaPolicy:
    """Targets of one priority in minutes of its calendar ("7x24" or "working_hours")."""

    priority: str
    respond_minutes: int
    resolve_minutes: int
    calendar: str
    valid_from: dt.date | None = None

    def __post_init__(self) -> None:
        if self.calendar not in CALENDARS:
            raise ValueError(f"unknown SLA calendar {self.calendar!r}")
        if self.respond_minutes <= 0 or self.resolve_minutes <= 0:
            raise ValueError(f"SLA targets of {self.priority} must be positive")


@dataclass(frozen=True)
class Change:
    """One history row: a status change (状态, to_status) or a priority change (优先级, to_priority)."""

    changed_at: dt.datetime
    kind: str
    to_status: str | None = None
    to_priority: str | None = None

    @classmethod
    def status(cls, changed_at: dt.datetime, to_status: str) -> Change:
        """A status change."""
        return cls(changed_at, STATUS, to_status=to_status)

    @classmethod
    def priority(cls, changed_at: dt.datetime, to_priority: str) -> Change:
        """A priority change."""
        return cls(changed_at, PRIORITY, to_priority=to_priority)


@dataclass(frozen=True)
class Ticket:
    """What the engine needs of a ticket: report time, initial priority, history in time order."""

    reported_at: dt.datetime
    priority: str
    changes: Sequence[Change] = field(default_factory=tuple)


@dataclass(frozen=True)
class SlaResult:
    """One ticket judged at as_of: seconds (exact), minutes (rounded up), flags, due times."""

    priority: str
    is_open: bool
    responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    reopen_count: int
    response_calendar: str
    resolve_calendar: str
    response_target_minutes: int
    resolve_target_minutes: int
    response_seconds: int | None
    resolution_seconds: int | None
    open_seconds: int | None
    pause_seconds: int
    response_breached: bool
    resolution_breached: bool
    met: bool | None
    at_risk: bool
    response_due_at: dt.datetime
    resolve_due_at: dt.datetime

    @property
    def response_minutes(self) -> int | None:
        """Response time in minutes, None until acknowledged."""
        return None if self.response_seconds is None else minutes(self.response_seconds)

    @property
    def resolution_minutes(self) -> int | None:
        """Resolution time (to the last resolution) in minutes, None while open."""
        return None if self.resolution_seconds is None else minutes(self.resolution_seconds)

    @property
    def open_minutes(self) -> int | None:
        """Resolution clock so far (to as_of) of an open ticket, None once resolved."""
        return None if self.open_seconds is None else minutes(self.open_seconds)

    @property
    def pause_minutes(self) -> int:
        """Pause time excluded from the resolution clock, in minutes."""
        return minutes(self.pause_seconds)


def minutes(seconds: int) -> int:
    """Seconds shown as minutes: rounded up, so 0 s is 0 and 15 min 1 s is 16."""
    return math.ceil(seconds / 60)


def policies_on(policies: Iterable[SlaPolicy], day: dt.date) -> dict[str, SlaPolicy]:
    """The policy of each priority in force on day (the latest valid_from on or before it)."""
    chosen: dict[str, SlaPolicy] = {}
    for p in policies:
        if p.valid_from is not None and p.valid_from > day:
            continue
        current = chosen.get(p.priority)
        if current is None or (current.valid_from or dt.date.min) < (p.valid_from or dt.date.min):
            chosen[p.priority] = p
    return chosen


def work_seconds(start: dt.datetime, end: dt.datetime, calendar: str) -> int:
    """Seconds of the calendar between start and end (0 if end is not after start)."""
    start, end = _second(start), _second(end)
    if end <= start:
        return 0
    if calendar == "7x24":
        return int((end - start).total_seconds())
    _check_calendar(calendar)
    days = sum(_year(y)[2] for y in range(start.year, end.year))
    return days * WORKDAY_SECONDS + _position(end) - _position(start)


def add_work(start: dt.datetime, seconds: int, calendar: str) -> dt.datetime:
    """The first instant at which the calendar has counted seconds since start."""
    start = _second(start)
    if seconds <= 0:
        return start
    if calendar == "7x24":
        return start + dt.timedelta(seconds=seconds)
    _check_calendar(calendar)
    year, left = start.year, _position(start) + seconds
    while left > _year(year)[2] * WORKDAY_SECONDS:
        left -= _year(year)[2] * WORKDAY_SECONDS
        year += 1
    days, rest = divmod(left, WORKDAY_SECONDS)
    work_dates = _year(year)[3]
    if rest == 0:  # the clock reaches the target as a workday closes: due at 18:00, not next 09:00
        return _at(work_dates[days - 1], CLOSE_SECONDS)
    return _at(work_dates[days], OPEN_SECONDS + rest)


def evaluate(ticket: Ticket, policies: Mapping[str, SlaPolicy],
             as_of: dt.datetime) -> SlaResult:
    """Judge one ticket at as_of (later changes are ignored) under the policies by priority."""
    reported, as_of = _second(ticket.reported_at), _second(as_of)
    if as_of < reported:
        raise ValueError(f"as_of {as_of} is before the report time {reported}")
    # A stable sort: changes at the same second keep the order given (the ETL orders by id).
    changes = sorted(((_second(c.changed_at), c) for c in ticket.changes), key=lambda p: p[0])
    status = NEW
    responded_at = pause_start = done_start = None
    pauses: list[tuple[dt.datetime, dt.datetime]] = []
    priorities: list[tuple[dt.datetime, str]] = [(reported, ticket.priority)]
    reopen_count = 0
    for at, change in changes:
        if at > as_of:
            break
        if at < reported:
            raise ValueError(f"change at {at} is before the report time {reported}")
        if change.kind == PRIORITY:
            priorities.append((at, change.to_priority))
            continue
        new = change.to_status
        if responded_at is None and new != NEW:
            responded_at = at
        if status == PAUSED and new != PAUSED:
            pauses.append((pause_start, at))
        elif status != PAUSED and new == PAUSED:
            pause_start = at
        if status in DONE_STATUSES and new not in DONE_STATUSES:
            pauses.append((done_start, at))  # resolved -> reopened is a pause
            reopen_count += 1
        elif status not in DONE_STATUSES and new in DONE_STATUSES:
            done_start = at
        status = new
    is_open = status not in DONE_STATUSES
    if status == PAUSED:
        pauses.append((pause_start, as_of))
    resolved_at = None if is_open else done_start
    respond_stop = responded_at or as_of
    resolve_stop = as_of if is_open else resolved_at

    respond_policy = _policy(policies, _priority_at(priorities, respond_stop))
    resolve_policy = _policy(policies, _priority_at(priorities, resolve_stop))
    respond_elapsed, _ = _clock(reported, respond_stop, pauses, respond_policy.calendar)
    resolve_elapsed, paused = _clock(reported, resolve_stop, pauses, resolve_policy.calendar)
    respond_target = respond_policy.respond_minutes * 60
    resolve_target = resolve_policy.resolve_minutes * 60
    response_breached = respond_elapsed > respond_target
    resolution_breached = resolve_elapsed > resolve_target
    share, whole = AT_RISK_SHARE
    running = [(resolve_elapsed, resolve_target)] if is_open else []
    if is_open and responded_at is None:
        running.append((respond_elapsed, respond_target))
    at_risk = (is_open and not (response_breached or resolution_breached)
               and any(e * whole > t * share for e, t in running))
    return SlaResult(
        priority=_priority_at(priorities, as_of),
        is_open=is_open,
        responded_at=responded_at,
        resolved_at=resolved_at,
        reopen_count=reopen_count,
        response_calendar=respond_policy.calendar,
        resolve_calendar=resolve_policy.calendar,
        response_target_minutes=respond_policy.respond_minutes,
        resolve_target_minutes=resolve_policy.resolve_minutes,
        response_seconds=None if responded_at is None else respond_elapsed,
        resolution_seconds=None if is_open else resolve_elapsed,
        open_seconds=resolve_elapsed if is_open else None,
        pause_seconds=paused,
        response_breached=response_breached,
        resolution_breached=resolution_breached,
        met=None if is_open else not (response_breached or resolution_breached),
        at_risk=at_risk,
        response_due_at=_due(reported, respond_stop, pauses, respond_target,
                             respond_policy.calendar),
        resolve_due_at=_due(reported, resolve_stop, pauses, resolve_target,
                            resolve_policy.calendar),
    )


def _clock(start: dt.datetime, stop: dt.datetime, pauses: list[tuple[dt.datetime, dt.datetime]],
           calendar: str) -> tuple[int, int]:
    """(elapsed less pauses, paused) seconds of a clock running from start to stop."""
    paused = sum(work_seconds(max(a, start), min(b, stop), calendar) for a, b in pauses)
    return work_seconds(start, stop, calendar) - paused, paused


def _due(start: dt.datetime, stop: dt.datetime, pauses: list[tuple[dt.datetime, dt.datetime]],
         target: int, calendar: str) -> dt.datetime:
    """When the clock reaches target: known pauses up to stop count, after stop it keeps running."""
    cursor, left = start, target
    for a, b in pauses:
        if a >= stop:
            break
        run = work_seconds(cursor, a, calendar)
        if run >= left:
            break
        left -= run
        cursor = min(b, stop)
    return add_work(cursor, left, calendar)


def _priority_at(priorities: list[tuple[dt.datetime, str]], at: dt.datetime) -> str:
    """The priority in force at the instant at (changes at that very instant included)."""
    current = priorities[0][1]
    for when, priority in priorities:
        if when > at:
            break
        current = priority
    return current


def _policy(policies: Mapping[str, SlaPolicy], priority: str) -> SlaPolicy:
    """The policy of priority, or a clear error naming the missing one."""
    try:
        return policies[priority]
    except KeyError:
        raise ValueError(f"no SLA policy for priority {priority!r}") from None


def _check_calendar(calendar: str) -> None:
    """Refuse a calendar the engine does not know."""
    if calendar not in CALENDARS:
        raise ValueError(f"unknown SLA calendar {calendar!r}")


def _second(t: dt.datetime) -> dt.datetime:
    """t as a naive Shanghai time cut to the whole second."""
    if t.tzinfo is not None:
        t = t.astimezone(SHANGHAI).replace(tzinfo=None)
    return t.replace(microsecond=0) if t.microsecond else t


def _at(day: dt.date, seconds: int) -> dt.datetime:
    """The instant seconds after the midnight that starts day."""
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


@lru_cache(maxsize=None)
def _year(year: int) -> tuple[tuple[bool, ...], tuple[int, ...], int, tuple[dt.date, ...]]:
    """Per day of year: workday flags and workdays before it; the year's total; its workdays."""
    first = dt.date(year, 1, 1)
    dates = workday.days(first, dt.date(year, 12, 31))
    flags = tuple(workday.is_workday(d) for d in dates)
    before, n = [], 0
    for flag in flags:
        before.append(n)
        n += flag
    return flags, tuple(before), n, tuple(d for d, f in zip(dates, flags) if f)


def _position(t: dt.datetime) -> int:
    """Working seconds from the start of t's year to t."""
    flags, before, _, _ = _year(t.year)
    i = t.timetuple().tm_yday - 1
    if not flags[i]:
        return before[i] * WORKDAY_SECONDS
    second = t.hour * 3600 + t.minute * 60 + t.second
    return before[i] * WORKDAY_SECONDS + min(max(second - OPEN_SECONDS, 0), WORKDAY_SECONDS)
