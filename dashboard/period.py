"""Reporting periods: the presets of the filter bar (本月, 上月, 本季度, 本年, 近12个月, custom) and
the period before, which every KPI's change is measured against (METRICS.md common rules)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Preset name -> label; the names travel in the URL (?period=...), the labels on screen (each
# label is a msgid of the catalogue: the filter bar shows it through dashboard.i18n).
PRESETS = {
    "this_month": "本月",
    "last_month": "上月",
    "this_quarter": "本季度",
    "this_year": "本年",
    "last_12_months": "近12个月",
    "custom": "自定义",
}
DEFAULT_PRESET = "this_month"
# Longest custom period a request may ask for: bounds the work one request can cause.
MAX_DAYS = 3 * 366


class BadPeriod(ValueError):
    """A period that cannot be used; the message says why, in Chinese (str) or, through msgid (a
    msgid of the catalogue) and params, in the reader's language (dashboard.i18n.error_text)."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid.format(**params))
        self.msgid, self.params = msgid, params


@dataclass(frozen=True)
class Period:
    """[start, end], both dates inclusive (Asia/Shanghai), and the preset that made it."""

    start: dt.date
    end: dt.date
    preset: str = "custom"

    @property
    def days(self) -> int:
        """Calendar days in the period."""
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period a change is measured against: the previous month, quarter, year or twelve
        months for those presets, as many whole months before a custom period of whole months,
        otherwise the same number of days just before start."""
        if self.preset in ("this_month", "last_month"):
            end = self.start - dt.timedelta(days=1)
            return Period(end.replace(day=1), end, self.preset)
        if self.preset == "this_quarter":
            start = _add_months(self.start, -3)
            return Period(start, self.start - dt.timedelta(days=1), self.preset)
        if self.preset == "this_year":
            return Period(self.start.replace(year=self.start.year - 1),
                          self.start - dt.timedelta(days=1), self.preset)
        if self.preset == "last_12_months":
            return Period(_add_months(self.start, -12), self.start - dt.timedelta(days=1), self.preset)
        if self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1:
            # Whole calendar months (a custom October): the same number of months before.
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            return Period(_add_months(self.start, -months), self.start - dt.timedelta(days=1), "custom")
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, "custom")


def preset(name: str, today: dt.date) -> Period:
    """The period a preset stands for on the given day (本月 = the month so far, through today)."""
    if name == "this_month":
        return Period(today.replace(day=1), today, name)
    if name == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return Period(end.replace(day=1), end, name)
    if name == "this_quarter":
        return Period(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today, name)
    if name == "this_year":
        return Period(today.replace(month=1, day=1), today, name)
    if name == "last_12_months":
        return Period(_add_months(today.replace(day=1), -11), today, name)
    raise BadPeriod("未知的时间范围：{name}", name=name)


def parse(query: dict[str, str], today: dt.date) -> Period:
    """The period of a URL query (?period=<preset> or ?period=custom&start=...&end=...)."""
    name = query.get("period") or DEFAULT_PRESET
    if name != "custom":
        return preset(name, today)
    try:
        start = dt.date.fromisoformat(query.get("start", ""))
        end = dt.date.fromisoformat(query.get("end", ""))
    except ValueError:
        raise BadPeriod("自定义时间范围需要 start 和 end，格式 YYYY-MM-DD") from None
    return custom(start, end)


def custom(start: dt.date, end: dt.date) -> Period:
    """A custom period, refused when it ends before it starts or is longer than MAX_DAYS."""
    if end < start:
        raise BadPeriod("结束日期早于开始日期")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadPeriod("时间范围不能超过 {days} 天", days=MAX_DAYS)
    return Period(start, end, "custom")


def beijing_today() -> dt.date:
    """Today in Asia/Shanghai (UTC+8, no daylight saving), whatever the server's zone."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8)).date()


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month months away from day's month (day must be a first)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
