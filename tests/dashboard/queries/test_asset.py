"""asset against the operational database, recomputed with METRICS.md's definitions: the summary
and every question of the /asset page (expected_<question>: plain SQL on the source tables and
Python, never the warehouse), and hand-made cards run through the real ETL, checked to the cent."""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import scope as scopes
from dashboard import warehouse
from dashboard.period import custom
from dashboard.queries import asset
from etl.run import run
from models.asset import CLASSES
from models.db import open_engine
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.dashboard.queries._people import edited_source, names_live
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate, settings_for, source_subtree

CENT = Decimal("0.01")
STATUSES = ("在用", "闲置", "维修", "待处置", "已处置")
METHODS = ("报废", "调拨", "出售", "捐赠", "其他")
STAGES = ("购置", "领用", "调拨", "维修", "盘点", "处置")
# A live card: not withdrawn, and not naming a withdrawn custodian (the ETL's src views hold such
# a card back, with its events and disposals).
LIVE_CARD = f"c.deleted_at IS NULL AND {names_live('c.custodian_id')}"


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


def _day(value) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value is not None else None


def _source(q, start, end) -> dict:
    cards = q.all(f"SELECT original_value, acquired_date, useful_life_years, disposed_date, status "
                  f"FROM asset_card c WHERE {LIVE_CARD} "
                  "AND unit_id IN (SELECT id FROM subtree) AND acquired_date <= :end "
                  "AND (disposed_date IS NULL OR disposed_date > :end)")
    on_books = [(Decimal(str(value)), _day(acquired), life, _day(disposed), status)
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
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Cards, original and net book value to the cent, idle rate, fully depreciated in use: the
    seed, and the edited copy whose withdrawn person held cards."""
    settings, engine = source
    assert_matches_source(asset, _source, settings, engine, scope_name, *PERIODS[period_name])


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


# --- the questions of the /asset page, each recomputed from the source tables ---------------------

def units_below(engine, code: str) -> pd.DataFrame:
    """Every unit in the scope of code (index id) with the unit directly below the scope unit it
    lies under (the scope unit for itself): child_code, child_name, child_order."""
    rows = query_rows(engine, """
        WITH RECURSIVE tree(id, child, depth) AS (
            SELECT id, id, 0 FROM org_unit WHERE code = :code
            UNION ALL
            SELECT o.id, CASE WHEN t.depth = 0 THEN o.id ELSE t.child END, t.depth + 1
            FROM org_unit o JOIN tree t ON o.parent_id = t.id)
        SELECT t.id, c.code, c.name, c.sort_order FROM tree t JOIN org_unit c ON c.id = t.child""",
                      code=code)
    return pd.DataFrame(rows, columns=["id", "child_code", "child_name", "child_order"]).set_index("id")


def unit_names(engine) -> dict[int, str]:
    """org_unit id -> name."""
    return dict(query_rows(engine, "SELECT id, name FROM org_unit"))


def books(engine, code: str, end: dt.date) -> pd.DataFrame:
    """Live cards of units in scope on the books at end (acquired by then, not disposed by then),
    with their net book value (Decimal) as of end."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT c.id, c.asset_no, c.name, c.class_code, c.original_value, c.acquired_date,
               c.useful_life_years, c.disposed_date, c.status, c.unit_id
        FROM asset_card c WHERE {LIVE_CARD} AND c.unit_id IN (SELECT id FROM subtree)
          AND c.acquired_date <= :end AND (c.disposed_date IS NULL OR c.disposed_date > :end)""",
                      end=end.isoformat())
    df = pd.DataFrame(rows, columns=["id", "asset_no", "name", "class_code", "original_value",
                                     "acquired_date", "useful_life_years", "disposed_date", "status",
                                     "unit_id"])
    df["original_value"] = [Decimal(str(v)) for v in df.original_value]
    df["acquired_date"] = [_day(v) for v in df.acquired_date]
    df["disposed_date"] = [_day(v) for v in df.disposed_date]
    df["useful_life_years"] = pd.Series([None if pd.isna(v) else int(v) for v in df.useful_life_years],
                                        dtype=object)
    df["net_book_value"] = [net_book_value(v, a, life, d, end) for v, a, life, d in zip(
        df.original_value, df.acquired_date, df.useful_life_years, df.disposed_date)]
    return df


def _values(part: pd.DataFrame) -> dict:
    """Count, original and net book value (summed to the cent, then as floats) of some cards."""
    return {"asset_count": len(part),
            "original_value": float(sum(part.original_value, Decimal(0))),
            "net_book_value": float(sum(part.net_book_value, Decimal(0)))}


def _fully_in_use(part: pd.DataFrame) -> int:
    return int(((part.net_book_value == 0) & (part.status == "在用")).sum())


def expected_books_by_class(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The books at end per GB/T 14885 class present, by class code."""
    cards = books(engine, code, end)
    return pd.DataFrame([{"class_code": cls, "class_name": CLASSES[cls], **_values(part),
                          "fully_depreciated_in_use": _fully_in_use(part)}
                         for cls, part in sorted(cards.groupby("class_code"), key=lambda g: g[0])],
                        columns=["class_code", "class_name", "asset_count", "original_value",
                                 "net_book_value", "fully_depreciated_in_use"])


def expected_books_by_status(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The books at end per current status present, in METRICS.md's order, with its share."""
    cards = books(engine, code, end)
    return pd.DataFrame([{"status": s, **_values(cards[cards.status == s]),
                          "share": (cards.status == s).sum() / len(cards)}
                         for s in STATUSES if (cards.status == s).any()],
                        columns=["status", "asset_count", "original_value", "net_book_value", "share"])


def expected_books_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The books at end per unit below the scope unit holding cards, in the bureau's order."""
    cards = books(engine, code, end).join(units_below(engine, code), on="unit_id")
    rows = []
    for (order, child_code, child_name), part in sorted(
            cards.groupby(["child_order", "child_code", "child_name"]), key=lambda g: g[0][:2]):
        idle = int((part.status == "闲置").sum())
        rows.append({"unit_code": child_code, "unit_name": child_name, **_values(part), "idle_count": idle,
                     "idle_rate": idle / len(part), "fully_depreciated_in_use": _fully_in_use(part)})
    return pd.DataFrame(rows)


def expected_fully_depreciated_in_use(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Cards on the books at end worth 0 and in use, oldest first; the first day of the last
    month charged (the acquisition month plus the life, less one month)."""
    cards = books(engine, code, end)
    cards = cards[(cards.net_book_value == 0) & (cards.status == "在用")].sort_values(["acquired_date", "asset_no"])
    names = unit_names(engine)

    def last_month(acquired: dt.date, life: int | None) -> dt.date | None:
        if life is None:
            return None
        index = _month_index(acquired) + life * 12 - 1
        return dt.date((index - 1) // 12, (index - 1) % 12 + 1, 1)
    return pd.DataFrame([{"asset_no": c.asset_no, "name": c.name, "class_name": CLASSES[c.class_code],
                          "unit_name": names[c.unit_id], "acquired_date": c.acquired_date,
                          "useful_life_years": c.useful_life_years, "original_value": float(c.original_value),
                          "fully_depreciated_date": last_month(c.acquired_date, c.useful_life_years)}
                         for c in cards.itertuples()],
                        columns=["asset_no", "name", "class_name", "unit_name", "acquired_date",
                                 "useful_life_years", "original_value", "fully_depreciated_date"])


def expected_disposals_by_method(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Live disposals of live cards in scope carried out in the period, per method present."""
    rows = query_rows(engine, f"""{source_subtree(code)}
        SELECT d.method, count(*), sum(c.original_value), sum(d.proceeds)
        FROM asset_disposal d JOIN asset_card c ON c.id = d.asset_id
        WHERE d.deleted_at IS NULL AND {LIVE_CARD} AND c.unit_id IN (SELECT id FROM subtree)
          AND d.disposed_date BETWEEN :start AND :end
        GROUP BY d.method""", start=start.isoformat(), end=end.isoformat())
    found = {m: (n, float(Decimal(str(v)).quantize(CENT)), float(Decimal(str(p)).quantize(CENT)))
             for m, n, v, p in rows}
    return pd.DataFrame([{"method": m, "disposal_count": found[m][0], "original_value": found[m][1],
                          "proceeds": found[m][2]} for m in METHODS if m in found],
                        columns=["method", "disposal_count", "original_value", "proceeds"])


def life_events(engine, code: str) -> pd.DataFrame:
    """Every event of a live card that concerns a unit in scope: its 购置 (in the unit that first
    held it: the sending unit of its first live 调拨, else its unit now), and each live event (no
    withdrawn person named) that happened in such a unit (the receiving unit, else the sending
    unit, else the card's unit) or moved the card out of one; with the card, the units' names, the
    amount and the net book value as of the event date."""
    live_event = f"{names_live('e.from_person_id')} AND {names_live('e.to_person_id')}"
    cards = {r[0]: r for r in query_rows(engine, f"""
        SELECT c.id, c.asset_no, c.name, c.original_value, c.acquired_date, c.useful_life_years,
               c.disposed_date, c.unit_id FROM asset_card c WHERE {LIVE_CARD}""")}
    events = query_rows(engine, f"""
        SELECT e.id, e.asset_id, e.kind, e.event_date, e.from_unit_id, e.to_unit_id, e.cost, e.note
        FROM asset_event e WHERE {live_event} ORDER BY e.event_date, e.id""")
    inside = set(units_below(engine, code).index)
    names = unit_names(engine)
    first_from: dict[int, int] = {}
    for _id, card, kind, _date, from_unit, *_rest in events:
        if kind == "调拨" and card in cards:
            first_from.setdefault(card, from_unit)
    rows = []
    for cid, (_c, _no, _name, value, acquired, _life, _disposed, unit) in cards.items():
        first_unit = first_from.get(cid, unit)
        if first_unit in inside:
            rows.append((cid, 0, "购置", _day(acquired), None, first_unit, Decimal(str(value)), None))
    for eid, cid, kind, day, from_unit, to_unit, cost, note in events:
        if cid not in cards:
            continue
        at = to_unit or from_unit or cards[cid][7]
        if at in inside or from_unit in inside:
            amount = Decimal(str(cost)) if kind == "维修" and cost is not None else None
            rows.append((cid, eid, kind, _day(day), from_unit, to_unit, amount, note))
    out = []
    for cid, eid, kind, day, from_unit, to_unit, amount, note in rows:
        _c, asset_no, name, value, acquired, life, disposed, _unit = cards[cid]
        out.append({"asset_id": cid, "event_id": eid, "stage": STAGES.index(kind), "asset_no": asset_no,
                    "name": name, "event": kind, "event_date": day,
                    "net_book_value": float(net_book_value(Decimal(str(value)), _day(acquired), life,
                                                           _day(disposed), day)),
                    "from_unit_name": names.get(from_unit), "to_unit_name": names.get(to_unit),
                    "amount": None if amount is None else float(amount), "note": note})
    return pd.DataFrame(out, columns=["asset_id", "event_id", "stage", "asset_no", "name", "event",
                                      "event_date", "net_book_value", "from_unit_name", "to_unit_name",
                                      "amount", "note"])


def _latest_first(events: pd.DataFrame) -> pd.DataFrame:
    """Date descending, then asset no., then the later stage and event first (the page's order)."""
    return events.sort_values(["event_date", "asset_no", "stage", "event_id"],
                              ascending=[False, True, False, False], kind="stable")


def expected_asset_events(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The life events of the period that concern the scope, latest first."""
    events = life_events(engine, code)
    events = _latest_first(events[(events.event_date >= start) & (events.event_date <= end)])
    return events[["asset_no", "name", "event", "event_date", "from_unit_name", "to_unit_name", "amount",
                   "note"]].reset_index(drop=True)


def expected_asset_timeline(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The life up to end of the card in the events table's first row, in order of time."""
    events = life_events(engine, code)
    period = _latest_first(events[(events.event_date >= start) & (events.event_date <= end)])
    columns = ["asset_no", "name", "event", "event_date", "net_book_value", "from_unit_name", "to_unit_name",
               "amount", "note"]
    if period.empty:
        return pd.DataFrame(columns=columns)
    life = events[(events.asset_id == period.asset_id.iloc[0]) & (events.event_date <= end)]
    return life.sort_values(["event_date", "stage", "event_id"])[columns].reset_index(drop=True)


QUESTIONS = ("books_by_class", "books_by_status", "books_by_unit", "fully_depreciated_in_use",
             "disposals_by_method", "asset_events", "asset_timeline")


def _plain(value):
    """A frame value as a comparable plain value: dates as dates, missing as None."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: the same columns, rows in the same order, money to the cent (well within)."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for a, b in zip(got.to_dict("records"), want.to_dict("records")):
        a, b = ({k: _plain(v) for k, v in r.items()} for r in (a, b))
        assert a == pytest.approx(b, rel=0, abs=1e-6), (a, b)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every chart and table of /asset for the city, a district and a street, the year 2025 and
    October 2025, on the seed and on the edited copy (cards of a withdrawn custodian gone)."""
    settings, engine = source
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(asset, question)(settings, scope=scope, period=custom(start, end))
    same(got, globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end))


def test_the_edited_copy_drops_the_cards_of_the_withdrawn_custodian(warehouse_settings, seeded_file,
                                                                   tmp_path_factory):
    """The edit bites for asset: the withdrawn person held cards of the district, which leave its
    books (the ETL holds back a row naming a withdrawn person), and nothing is quarantined."""
    settings, engine = edited_source(seeded_file, tmp_path_factory)
    held = query_rows(engine, f"""{source_subtree(SCOPE_CODES["district"])}
        SELECT count(*) FROM asset_card c JOIN person p ON p.id = c.custodian_id
        WHERE p.deleted_at IS NOT NULL AND c.deleted_at IS NULL AND c.unit_id IN (SELECT id FROM subtree)
          AND c.acquired_date <= '2025-12-31' AND c.disposed_date IS NULL""")[0][0]
    seed, edited = (summary_of(asset, s, "district", *PERIODS["year"]) for s in (warehouse_settings, settings))
    assert held > 0 and edited["asset_count"] == seed["asset_count"] - held
    assert warehouse.query(settings, "SELECT count(*) AS n FROM quarantine "
                                     "WHERE table_name LIKE 'asset%'").n[0] == 0


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_rows_for_the_city_year_and_the_district_month(warehouse_settings, question):
    """The comparisons above are not vacuous: every question answers something."""
    for code, (start, end) in ((SCOPE_CODES["city"], PERIODS["year"]),
                               (SCOPE_CODES["district"], PERIODS["holiday_month"])):
        scope = scopes.of_code(warehouse_settings, code)
        assert len(getattr(asset, question)(warehouse_settings, scope=scope, period=custom(start, end))) > 0


def test_by_unit_and_by_class_add_up_to_the_summary(warehouse_settings):
    """The charts split the KPI cards' books: the same cards, value and net value."""
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    period = custom(*PERIODS["holiday_month"])
    total = asset.summary(warehouse_settings, scope=scope, period=period).iloc[0]
    for question in (asset.books_by_unit, asset.books_by_class, asset.books_by_status):
        part = question(warehouse_settings, scope=scope, period=period)
        assert part.asset_count.sum() == total.asset_count
        assert part.net_book_value.sum() == pytest.approx(total.net_book_value, abs=0.005)


# --- hand-made cards through the real ETL, their values worked out by hand ------------------------

# A new street team under 东城 holding only these cards, so its books are exactly theirs. Each card
# has its own class, so books_by_class shows each card's value alone.
HAND_UNIT = "110101999"
# (asset no., class, original value, acquired, life in years, status, disposed)
HAND_CARDS = (
    ("ZCTEST01", "A02", "10000.00", "2024-03-15", 6, "在用", None),            # acquired mid-month
    ("ZCTEST02", "A05", "7300.00", "2023-01-20", 5, "已处置", "2025-10-15"),   # disposed mid-month
    ("ZCTEST03", "A08", "4999.99", "2018-06-30", 6, "在用", None),             # fully depreciated
    ("ZCTEST04", "A07", "1234.56", "2025-10-03", 5, "已处置", "2025-10-28"),   # in and out in one month
    ("ZCTEST05", "A06", "100.01", "2024-11-10", 2, "闲置", None),              # half a cent, rounded up
    ("ZCTEST06", "A04", "3000.00", "2020-05-05", None, "在用", None),          # not depreciated
)
# Net book value per card as of a date, by hand (value * (life months - months charged) / life):
# ZCTEST01 72 months from 2024-03: to 2025-09 19 charged, 10000 * 53 / 72 = 7361.111 -> 7361.11;
#   to 2025-10 20, * 52 / 72 = 7222.22; to 2025-12 22, * 50 / 72 = 6944.44.
# ZCTEST02 60 months from 2023-01, the disposal month 2025-10 not charged: 33 charged from
#   September on, 7300 * 27 / 60 = 3285.00, even on 14 October; off the books from 15 October.
# ZCTEST03 72 months from 2018-06: the last charge in 2024-05, 0.00 all 2025.
# ZCTEST04 bought 3 October, disposed 28 October: its one month is the disposal month, so nothing
#   is charged: 1234.56 on 14 October; off the books from 28 October.
# ZCTEST05 24 months from 2024-11: to 2025-09 11 charged, 10001 cents * 13 / 24 = 5417.2 -> 54.17;
#   to 2025-10 12, 10001 * 12 / 24 = 5000.5 cents -> 50.01 (half up); to 2025-12 14 -> 41.67.
# ZCTEST06 not depreciated: 3000.00.
HAND_VALUES = {
    "2025-09-30": {"A02": "7361.11", "A05": "3285.00", "A08": "0.00", "A06": "54.17", "A04": "3000.00"},
    "2025-10-14": {"A02": "7222.22", "A05": "3285.00", "A08": "0.00", "A07": "1234.56", "A06": "50.01",
                   "A04": "3000.00"},
    "2025-10-31": {"A02": "7222.22", "A08": "0.00", "A06": "50.01", "A04": "3000.00"},
    "2025-12-31": {"A02": "6944.44", "A08": "0.00", "A06": "41.67", "A04": "3000.00"},
}


def _insert_hand_made_cards(url: str) -> None:
    """The unit, its six cards, the two disposals (an approved record each, as the ETL's checks
    want) with their 处置 events, and a stocktake and a repair of ZCTEST01."""
    engine = open_engine(url)
    stamp = "2025-12-31 12:00:00"
    with engine.begin() as conn:
        sql = lambda q, **kw: conn.execute(text(q), kw)  # noqa: E731
        unit = sql("SELECT max(id) + 1 FROM org_unit").scalar()
        sql("INSERT INTO org_unit (id, code, name, level, parent_id, district_code, unit_type, "
            "functional_zone, authorized_headcount, keeps_duty_roster, sort_order, created_at, updated_at) "
            "SELECT :id, :code, '测试街道', level, parent_id, district_code, unit_type, functional_zone, 0, 0, "
            "9999, :at, :at FROM org_unit WHERE code = '110101001'", id=unit, code=HAND_UNIT, at=stamp)
        first = sql("SELECT max(id) + 1 FROM asset_card").scalar()
        ids = {}
        for i, (no, cls, value, acquired, life, status, disposed) in enumerate(HAND_CARDS):
            ids[no] = first + i
            sql("INSERT INTO asset_card (id, asset_no, name, class_code, category_code, original_value, "
                "acquired_date, useful_life_years, unit_id, status, disposed_date, created_at, updated_at) "
                "VALUES (:id, :no, '测试资产', :cls, :cat, :value, :acquired, :life, :unit, :status, "
                ":disposed, :at, :at)", id=ids[no], no=no, cls=cls, cat=f"{cls}000000", value=value,
                acquired=acquired, life=life, unit=unit, status=status, disposed=disposed, at=stamp)
        disposal = sql("SELECT max(id) + 1 FROM asset_disposal").scalar()
        event = sql("SELECT max(id) + 1 FROM asset_event").scalar()
        for i, (no, method, requested, disposed, proceeds) in enumerate((
                ("ZCTEST02", "报废", "2025-09-01", "2025-10-15", "0.00"),
                ("ZCTEST04", "出售", "2025-10-10", "2025-10-28", "100.00"))):
            sql("INSERT INTO asset_disposal (id, asset_id, method, requested_date, approved, approved_date, "
                "disposed_date, proceeds, created_at, updated_at) VALUES (:id, :asset, :method, :requested, "
                "1, :requested, :disposed, :proceeds, :at, :at)", id=disposal + i, asset=ids[no],
                method=method, requested=requested, disposed=disposed, proceeds=proceeds, at=stamp)
            sql("INSERT INTO asset_event (id, asset_id, kind, event_date, from_unit_id, note, created_at, "
                "updated_at) VALUES (:id, :asset, '处置', :day, :unit, :method, :at, :at)",
                id=event + i, asset=ids[no], day=disposed, unit=unit, method=method, at=stamp)
        for i, (kind, day, cost) in enumerate((("盘点", "2024-12-15", None), ("维修", "2025-06-18", "300.00"))):
            sql("INSERT INTO asset_event (id, asset_id, kind, event_date, to_unit_id, cost, created_at, "
                "updated_at) VALUES (:id, :asset, :kind, :day, :unit, :cost, :at, :at)",
                id=event + 2 + i, asset=ids["ZCTEST01"], kind=kind, day=day, unit=unit, cost=cost, at=stamp)
    engine.dispose()


@pytest.fixture(scope="module")
def hand_made(seeded_file, tmp_path_factory):
    """(settings, scope of the new unit) of a private copy of the small source with the hand-made
    cards, and the warehouse the real ETL builds from it."""
    folder = tmp_path_factory.mktemp("asset_hand_made")
    url = f"sqlite:///{folder / 'oa.db'}"
    shutil.copyfile(seeded_file, folder / "oa.db")
    _insert_hand_made_cards(url)
    settings = settings_for(url, folder / "warehouse")
    run(settings, full=True)
    return settings, scopes.of_code(settings, HAND_UNIT)


@pytest.mark.parametrize("as_of", HAND_VALUES)
def test_hand_made_cards_have_the_net_book_values_worked_out_by_hand(hand_made, as_of):
    """Each card's net book value to the cent (books_by_class: one card per class), and the unit's
    count, original value, net book value, idle rate and fully depreciated cards in use."""
    settings, scope = hand_made
    day = dt.date.fromisoformat(as_of)
    period = custom(day.replace(day=1), day)
    by_class = asset.books_by_class(settings, scope=scope, period=period)
    want = HAND_VALUES[as_of]
    assert dict(zip(by_class.class_code, by_class.net_book_value)) == {
        cls: float(Decimal(v)) for cls, v in sorted(want.items())}
    assert by_class.asset_count.tolist() == [1] * len(want)
    originals = {cls: Decimal(value) for _no, cls, value, *_rest in HAND_CARDS}
    got = asset.summary(settings, scope=scope, period=period).iloc[0].to_dict()
    assert got == {"asset_count": len(want),
                   "original_value": float(sum(originals[c] for c in want)),
                   "net_book_value": float(sum(Decimal(v) for v in want.values())),
                   "idle_rate": 1 / len(want), "fully_depreciated_in_use": 1}


def test_hand_made_cards_fully_depreciated_disposals_and_timeline(hand_made):
    """ZCTEST03 is listed as fully depreciated from its 72nd month (2024-05); October's disposals
    are ZCTEST02 (报废) and ZCTEST04 (出售, 100.00); June's only event is ZCTEST01's repair, so the
    timeline is ZCTEST01's life with its value on each day: bought 2024-03-15, one month charged,
    10000 * 71 / 72 = 9861.11; counted 2024-12-15, ten months, * 62 / 72 = 8611.11; repaired
    2025-06-18, sixteen months, * 56 / 72 = 7777.78."""
    settings, scope = hand_made
    year, october = custom(*PERIODS["year"]), custom(*PERIODS["holiday_month"])
    fully = asset.fully_depreciated_in_use(settings, scope=scope, period=year)
    assert fully.asset_no.tolist() == ["ZCTEST03"]
    assert fully.fully_depreciated_date.iloc[0].date() == dt.date(2024, 5, 1)
    disposals = asset.disposals_by_method(settings, scope=scope, period=october)
    assert disposals.to_dict("records") == [
        {"method": "报废", "disposal_count": 1, "original_value": 7300.0, "proceeds": 0.0},
        {"method": "出售", "disposal_count": 1, "original_value": 1234.56, "proceeds": 100.0}]
    events = asset.asset_events(settings, scope=scope, period=october)
    assert list(zip(events.asset_no, events.event)) == [
        ("ZCTEST04", "处置"), ("ZCTEST02", "处置"), ("ZCTEST04", "购置")]
    june = custom(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    timeline = asset.asset_timeline(settings, scope=scope, period=june)
    assert [(e, d.date().isoformat(), v) for e, d, v in zip(
        timeline.event, timeline.event_date, timeline.net_book_value)] == [
        ("购置", "2024-03-15", 9861.11), ("盘点", "2024-12-15", 8611.11), ("维修", "2025-06-18", 7777.78)]
    assert timeline.amount.tolist()[::2] == [10000.0, 300.0]
