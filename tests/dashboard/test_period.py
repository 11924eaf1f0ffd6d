"""Period presets and the period each change is measured against."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.period import BadPeriod, MAX_DAYS, Period, custom, parse, preset

D = dt.date


@pytest.mark.parametrize("name, start, end, prev_start, prev_end", [
    ("this_month", D(2026, 3, 1), D(2026, 3, 15), D(2026, 2, 1), D(2026, 2, 28)),
    ("last_month", D(2026, 2, 1), D(2026, 2, 28), D(2026, 1, 1), D(2026, 1, 31)),
    ("this_quarter", D(2026, 1, 1), D(2026, 3, 15), D(2025, 10, 1), D(2025, 12, 31)),
    ("this_year", D(2026, 1, 1), D(2026, 3, 15), D(2025, 1, 1), D(2025, 12, 31)),
    ("last_12_months", D(2025, 4, 1), D(2026, 3, 15), D(2024, 4, 1), D(2025, 3, 31)),
])
def test_presets_on_15_march_2026(name, start, end, prev_start, prev_end):
    """Each preset's dates on a given day, and the period before it."""
    p = preset(name, D(2026, 3, 15))
    assert (p.start, p.end) == (start, end)
    assert (p.previous().start, p.previous().end) == (prev_start, prev_end)


def test_previous_of_a_custom_period_has_the_same_length_just_before():
    """A custom period is compared with as many days just before it; a custom period of whole
    months with as many months (October with September, a custom quarter with the last one)."""
    assert custom(D(2025, 10, 1), D(2025, 10, 10)).previous() == Period(D(2025, 9, 21), D(2025, 9, 30))
    assert custom(D(2025, 10, 1), D(2025, 10, 31)).previous() == Period(D(2025, 9, 1), D(2025, 9, 30))
    assert custom(D(2025, 1, 1), D(2025, 3, 31)).previous() == Period(D(2024, 10, 1), D(2024, 12, 31))
    assert custom(D(2024, 3, 1), D(2024, 3, 31)).previous() == Period(D(2024, 2, 1), D(2024, 2, 29))


def test_url_query_parses_to_a_period_and_bad_ones_say_why():
    """?period=custom needs both dates; an inverted, overlong or unknown period is refused."""
    assert parse({}, D(2026, 3, 15)).preset == "this_month"
    assert parse({"period": "custom", "start": "2025-10-01", "end": "2025-10-31"},
                 D(2026, 3, 15)) == Period(D(2025, 10, 1), D(2025, 10, 31), "custom")
    for query, words in [({"period": "custom", "start": "2025-10-01"}, "YYYY-MM-DD"),
                         ({"period": "custom", "start": "2025-10-02", "end": "2025-10-01"}, "早于"),
                         ({"period": "custom", "start": "2020-01-01", "end": "2025-01-01"}, str(MAX_DAYS)),
                         ({"period": "yesterday"}, "未知")]:
        with pytest.raises(BadPeriod, match=words):
            parse(query, D(2026, 3, 15))
