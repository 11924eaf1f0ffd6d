"""Numbers as Chinese (or English) readers expect them (Babel): counts with separators, rates as
percentages with one decimal, "—" where the base is 0 (METRICS.md common rules), yuan, hours."""
from __future__ import annotations

from babel.numbers import format_decimal, format_percent

DASH = "—"
LOCALES = {"zh": "zh_CN", "en": "en_US"}


def value(x, kind: str, lang: str = "zh") -> str:
    """One metric value; kind is count, rate, money (yuan), hours, days or ms."""
    if x is None:
        return DASH
    loc = LOCALES.get(lang, "zh_CN")
    if kind == "rate":
        return format_percent(x, "#,##0.0%", locale=loc)
    if kind == "money":
        if abs(x) >= 1e8 and lang == "zh":
            return format_decimal(x / 1e8, "#,##0.00", locale=loc) + " 亿元"
        if abs(x) >= 1e4 and lang == "zh":
            return format_decimal(x / 1e4, "#,##0.0", locale=loc) + " 万元"
        return format_decimal(x, "#,##0.00", locale=loc) + (" 元" if lang == "zh" else " CNY")
    if kind in ("hours", "days"):
        return format_decimal(x, "#,##0.0", locale=loc)
    return format_decimal(x, "#,##0", locale=loc)


def change(now, before, kind: str, lang: str = "zh") -> str:
    """The change against the previous period: percentage points for rates, else the difference
    and its relative size; "—" when either side is missing."""
    if now is None or before is None:
        return DASH
    diff = now - before
    sign = "+" if diff > 0 else ("±" if diff == 0 else "")
    if kind == "rate":
        points = format_decimal(diff * 100, "#,##0.0", locale=LOCALES.get(lang, "zh_CN"))
        return f"{sign}{points} {'个百分点' if lang == 'zh' else 'pp'}"
    text = sign + value(diff, kind, lang)
    if before:
        text += f" ({sign}{format_percent(diff / abs(before), '#,##0.0%', locale=LOCALES.get(lang, 'zh_CN'))})"
    return text
