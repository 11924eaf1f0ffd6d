"""Working time computed in Python from the work calendar, to check the marts' SQL independently."""
from __future__ import annotations

import datetime as dt

from models import workday

OPEN, CLOSE = dt.time(9, 0), dt.time(18, 0)


def _clip(day: dt.date, t: dt.datetime) -> float:
    """Working minutes of day that lie before t."""
    if not workday.is_workday(day):
        return 0.0
    start = dt.datetime.combine(day, OPEN)
    end = dt.datetime.combine(day, CLOSE)
    return max(0.0, (min(max(t, start), end) - start).total_seconds() / 60)


def workdays_between(a: dt.datetime, b: dt.datetime) -> float:
    """Working time from a to b (09:00-18:00 on China workdays) in workdays of 9 hours."""
    minutes = -_clip(a.date(), a)
    for day in workday.days(a.date(), b.date()):
        minutes += _clip(day, b) if day == b.date() else _clip(day, dt.datetime.combine(day, CLOSE))
    return minutes / 540


def as_datetime(value) -> dt.datetime | None:
    """A timestamp read from SQLite (text) or another driver (datetime)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
