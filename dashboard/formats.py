"""Numbers as Chinese (or English) readers expect them (Babel): counts with separators, rates as
percentages with one decimal, "—" where the base is 0 (METRICS.md common rules), yuan, hours."""
from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from dashboard.i18n import N_, translate

DASH = "—"
LOCALES = {"zh": "zh_CN", "en": "en_US"}
# Large sums, biggest step first: (from, divisor, pattern, unit). Chinese reads them in 亿 (10^8)
# and 万 (10^4), English in billions and millions; each unit is a msgid of the catalogue.
MONEY_STEPS = {
    "zh": ((1e8, 1e8, "#,##0.00", N_("亿元")), (1e4, 1e4, "#,##0.0", N_("万元"))),
    "en": ((1e9, 1e9, "#,##0.00", N_("十亿元")), (1e6, 1e6, "#,##0.0", N_("百万元"))),
}


def value(x, kind: str, lang: str = "zh") -> str:
    """One metric value; kind is count, rate, money (yuan), hours, days, number (one decimal) or ms."""
    if x is None:
        return DASH
    loc = LOCALES.get(lang, "zh_CN")
    if kind == "rate":
        return format_percent(x, "#,##0.0%", locale=loc)
    if kind == "money":
        for start, divisor, pattern, unit in MONEY_STEPS.get(lang, MONEY_STEPS["zh"]):
            if abs(x) >= start:
                return f"{format_decimal(x / divisor, pattern, locale=loc)} {translate(unit, lang)}"
        return f"{format_decimal(x, '#,##0.00', locale=loc)} {translate('元', lang)}"
    if kind in ("hours", "days", "number"):
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
        return f"{sign}{points} {translate('个百分点', lang)}"
    text = sign + value(diff, kind, lang)
    if before:
        text += f" ({sign}{format_percent(diff / abs(before), '#,##0.0%', locale=LOCALES.get(lang, 'zh_CN'))})"
    return text
