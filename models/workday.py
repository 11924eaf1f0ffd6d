"""The China work calendar (holidays and 调休 working weekends) from chinese-calendar."""
from __future__ import annotations

import datetime as dt
import warnings
from functools import lru_cache

import chinese_calendar


class CalendarFallbackWarning(UserWarning):
    """A date lies outside the years chinese-calendar knows; Monday-Friday was assumed."""


@lru_cache(maxsize=None)
def _known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def covered(day: dt.date) -> bool:
    """True if chinese-calendar has the official schedule for day's year."""
    return _known(day.year)


@lru_cache(maxsize=None)
def day_kind(day: dt.date) -> str:
    """'workday', 'weekend', 'holiday' (statutory) or 'adjusted_workday' (调休上班)."""
    if not _known(day.year):
        warnings.warn(f"no official work calendar for {day.year}: Monday-Friday assumed",
                      CalendarFallbackWarning, stacklevel=2)
        return "workday" if day.weekday() < 5 else "weekend"
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if chinese_calendar.is_workday(day):
        return "adjusted_workday" if day.weekday() >= 5 else "workday"
    return "holiday" if name is not None else "weekend"


def is_workday(day: dt.date) -> bool:
    """True if staff work on day (Monday-Friday less holidays, plus 调休 weekends)."""
    return day_kind(day) in ("workday", "adjusted_workday")


def holiday_name(day: dt.date) -> str | None:
    """English name of the statutory holiday of day, or None."""
    if not _known(day.year):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return str(getattr(name, "value", name)) if on_holiday and name is not None else None


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date from start to end, both inclusive."""
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


def workdays(start: dt.date, end: dt.date) -> list[dt.date]:
    """The workdays from start to end, both inclusive."""
    return [d for d in days(start, end) if is_workday(d)]
