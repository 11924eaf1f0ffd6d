"""asset summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dashboard.queries import asset
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

CENT = Decimal("0.01")


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month


def net_book_value(original: Decimal, acquired: dt.date, life_years: int | None,
                   disposed: dt.date | None, as_of: dt.date) -> Decimal:
    """METRICS.md: straight line over the life, residual 0, monthly; the acquisition month is
    charged, the disposal month is not; every month through as_of's month counts; never below 0;
    rounded to the cent at the end."""
    if life_years is None:
        return original
    life = life_years * 12
    months = _month_index(as_of) - _month_index(acquired) + 1
    if disposed is not None:
        months = min(months, _month_index(disposed) - _month_index(acquired))
    months = max(0, min(months, life))
    value = original - original * months / life
    return max(Decimal(0), value.quantize(CENT, rounding=ROUND_HALF_UP))


def _source(q, start, end) -> dict:
    cards = q.all("SELECT original_value, acquired_date, useful_life_years, disposed_date, status "
                  "FROM asset_card WHERE deleted_at IS NULL "
                  "AND unit_id IN (SELECT id FROM subtree) AND acquired_date <= :end "
                  "AND (disposed_date IS NULL OR disposed_date > :end)")
    on_books = [(Decimal(str(value)), dt.date.fromisoformat(str(acquired)), life,
                 dt.date.fromisoformat(str(disposed)) if disposed else None, status)
                for value, acquired, life, disposed, status in cards]
    values = [net_book_value(v, a, life, d, end) for v, a, life, d, _ in on_books]
    statuses = [status for *_, status in on_books]
    return {"asset_count": len(on_books),
            "original_value": float(sum((v for v, *_ in on_books), Decimal(0))),
            "net_book_value": float(sum(values, Decimal(0))),
            "idle_rate": rate(statuses.count("闲置"), len(on_books)),
            "fully_depreciated_in_use": sum(v == 0 and s == "在用" for v, s in zip(values, statuses))}


def test_net_book_value_follows_the_monthly_rules():
    """当月增加当月计提, 当月减少当月不再计提, never below 0, half a cent rounds up."""
    bought, price = dt.date(2024, 3, 31), Decimal("1200.00")
    assert net_book_value(price, bought, 1, None, bought) == Decimal("1100.00")
    assert net_book_value(price, bought, 1, None, dt.date(2030, 1, 1)) == 0
    sold = dt.date(2024, 5, 2)
    assert net_book_value(price, bought, 1, sold, dt.date(2024, 5, 1)) == Decimal("1000.00")
    # 0.01 over 24 months, 11 charged: 0.01 * 13 / 24 = 0.0054 -> 0.01; 12 charged: 0.005 -> 0.01
    assert net_book_value(Decimal("0.01"), bought, 2, None, dt.date(2025, 1, 1)) == Decimal("0.01")
    assert net_book_value(Decimal("0.01"), bought, 2, None, dt.date(2025, 2, 1)) == Decimal("0.01")
    assert net_book_value(Decimal("0.01"), bought, 2, None, dt.date(2025, 3, 1)) == 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Cards, original and net book value to the cent, idle rate, fully depreciated in use."""
    assert_matches_source(asset, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """The books at each month end of 2025 (acquisitions, disposals, a month more of wear)."""
    assert_matches_source(asset, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_books_on_the_eve_of_disposals_equal_the_operational_database(warehouse_settings,
                                                                      source_engine):
    """The day before a card leaves the books, later in the same month: the disposal month is
    not charged even as of a day before the disposal (one-day periods, as of their end)."""
    disposed = query_rows(source_engine,
                          "SELECT DISTINCT disposed_date FROM asset_card WHERE deleted_at IS NULL "
                          "AND disposed_date IS NOT NULL AND strftime('%d', disposed_date) > '01' "
                          "ORDER BY disposed_date")
    days = [dt.date.fromisoformat(str(day)) - dt.timedelta(days=1) for (day,) in disposed]
    assert len(days) > 5
    for day in days[::max(1, len(days) // 10)]:
        assert_matches_source(asset, _source, warehouse_settings, source_engine, "city", day, day)


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's books value, wear, idle and fully depreciated cards."""
    got = summary_of(asset, warehouse_settings, "city", *PERIODS["year"])
    assert got["asset_count"] > 0 and 0 < got["net_book_value"] < got["original_value"]
    assert 0 < got["idle_rate"] < 1 and got["fully_depreciated_in_use"] > 0
