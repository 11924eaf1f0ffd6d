"""uniform summary and page questions against the operational database, recomputed with
METRICS.md's definitions.

Each expected_<query>(engine, code, start, end) answers the same question as the query function of
the same name with plain SQL on the source tables (never the warehouse) and Python, in the same
shape. The store and the vendors are central: their answers are the same at every scope."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard import warehouse
from dashboard.period import custom
from dashboard.queries import uniform
from models import workday
from tests.dashboard.queries._business import MONTHS, same, summary_of
from tests.dashboard.queries._people import edited_source, unit_on
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate, source_subtree

STATUSES = ("申领", "审核中", "已发放", "已签收", "驳回")
# Periods in which the small seed's 2025 issues fall due again (every cycle is 2 years or more):
# where the replacement forecast has rows to compare. A season, and three years, which take in
# the holders issued an item twice (lost or damaged), whose last issue is the one that counts.
FORECASTS = {"season": (dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
             "three_years": (dt.date(2027, 1, 1), dt.date(2029, 12, 31))}
# Rows the ETL withdraws with what they name, as its src views do: a withdrawn person's requests
# and those they reviewed; movements of a withdrawn request or delivery line, or by a withdrawn
# store keeper.
LIVE_PERSON = "SELECT id FROM person WHERE deleted_at IS NULL"
LIVE_REQUEST = (f"r.deleted_at IS NULL AND r.person_id IN ({LIVE_PERSON}) "
                f"AND (r.reviewer_id IS NULL OR r.reviewer_id IN ({LIVE_PERSON}))")
LIVE_DELIVERY = "d.deleted_at IS NULL"
LIVE_MOVEMENT = (f"(m.request_id IS NULL OR m.request_id IN (SELECT r.id FROM uniform_request r "
                 f"WHERE {LIVE_REQUEST})) AND (m.delivery_id IS NULL OR m.delivery_id IN "
                 f"(SELECT d.id FROM uniform_delivery d WHERE {LIVE_DELIVERY})) "
                 f"AND (m.operator_id IS NULL OR m.operator_id IN ({LIVE_PERSON}))")
# Tables whose quarantined rows the recomputations would not replay.
WATCHED = ("uniform_item", "uniform_vendor", "uniform_delivery", "uniform_request",
           "uniform_stock_movement", "person", "person_history")


def _day(value) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


def _moment(value) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(str(value))


def add_months(day: dt.date, months: int) -> dt.date:
    """day plus whole months, the day clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def quantile(values: list[float], q: float):
    """The q-quantile by linear interpolation between order statistics; None of nothing."""
    if not values:
        return None
    xs = sorted(values)
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


def with_children(code: str) -> str:
    """`WITH RECURSIVE child(id, unit_id, depth)`: every unit in the scope of code with the unit
    directly below the scope unit that it lies under (the scope unit itself for its own)."""
    assert code in SCOPE_CODES.values()  # formatted into the SQL: test constants only
    return (f"WITH RECURSIVE child(id, unit_id, depth) AS ("
            f"SELECT id, id, 0 FROM org_unit WHERE code = '{code}' UNION ALL "
            f"SELECT o.id, CASE WHEN c.depth = 0 THEN o.id ELSE c.unit_id END, c.depth + 1 "
            f"FROM org_unit o JOIN child c ON o.parent_id = c.id)")


REQUEST_FIELDS = ["id", "status", "requested_at", "issued_at", "signed_at", "unit_code", "unit_name",
                  "unit_order"]


def requests(engine, code: str) -> list[dict]:
    """The live requests whose requester was, on the request day, in a unit in the scope of code,
    with the code, name and order of the unit directly below the scope unit that it lies under."""
    rows = query_rows(engine, f"""{with_children(code)},
        mine AS (SELECT r.*, {unit_on('r.person_id', 'date(r.requested_at)')} AS unit_id
                 FROM uniform_request r WHERE {LIVE_REQUEST})
        SELECT m.id, m.status, m.requested_at, m.issued_at, m.signed_at, k.code, k.name, k.sort_order
        FROM mine m JOIN child c ON c.id = m.unit_id JOIN org_unit k ON k.id = c.unit_id""")
    out = []
    for row in rows:
        r = dict(zip(REQUEST_FIELDS, row))
        r.update(requested=_day(r["requested_at"]), issued=_day(r["issued_at"]))
        out.append(r)
    return out


def lead_time(r: dict) -> int:
    """Workdays from the request to the issue: those after the request day up to the issue day."""
    return len(workday.workdays(r["requested"] + dt.timedelta(days=1), r["issued"]))


def made_in(rows: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    """The requests made in [start, end]."""
    return [r for r in rows if start <= r["requested"] <= end]


def issued_in(rows: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    """The requests issued in [start, end]."""
    return [r for r in rows if r["issued"] is not None and start <= r["issued"] <= end]


def stock(engine, end: dt.date) -> list[dict]:
    """Every item and size the store stocks (the item's comma-separated sizes), with the live
    movements up to the end of end summed as on_hand, and the item's safety stock."""
    cutoff = (end + dt.timedelta(days=1)).isoformat()
    moved = {(item, size): qty for item, size, qty in query_rows(
        engine, f"SELECT m.item_id, m.size, sum(m.quantity) FROM uniform_stock_movement m "
                f"WHERE m.moved_at < :cutoff AND {LIVE_MOVEMENT} GROUP BY m.item_id, m.size",
        cutoff=cutoff)}
    out = []
    for item, item_code, name, sizes, safety in query_rows(
            engine, "SELECT id, code, name, sizes, safety_stock FROM uniform_item"):
        for size in (s.strip() for s in sizes.split(",")):
            out.append({"item_code": item_code, "item_name": name, "size": size,
                        "on_hand": moved.get((item, size), 0), "safety_stock": safety})
    return out


def deliveries(engine, start: dt.date, end: dt.date) -> list[dict]:
    """The live purchase order lines promised in [start, end], with their vendor's name."""
    rows = query_rows(engine, f"""SELECT d.vendor_id, v.name, d.promised_date, d.received_date
        FROM uniform_delivery d JOIN uniform_vendor v ON v.id = d.vendor_id
        WHERE {LIVE_DELIVERY} AND d.promised_date BETWEEN :start AND :end""",
                      start=start.isoformat(), end=end.isoformat())
    out = []
    for vendor_id, name, promised, received in rows:
        promised, received = _day(promised), _day(received)
        out.append({"vendor_id": vendor_id, "vendor_name": name,
                    "on_time": received is not None and received <= promised,
                    "days_late": (received - promised).days if received and received > promised else 0})
    return out


def due(engine, code: str, start: dt.date, end: dt.date) -> list[dict]:
    """One row per live holder and item whose last issue of the item + its cycle falls in [start,
    end], the holder active on that due date and then in a unit in the scope of code."""
    rows = query_rows(engine, f"""
        SELECT r.id, r.person_id, r.item_id, i.code, i.name, i.cycle_months, r.size, r.issued_at,
               p.hire_date, p.leave_date
        FROM uniform_request r JOIN uniform_item i ON i.id = r.item_id
        JOIN person p ON p.id = r.person_id
        WHERE r.issued_at IS NOT NULL AND {LIVE_REQUEST}""")
    last: dict[tuple, tuple] = {}
    for row in rows:
        key, order = (row[1], row[2]), (_moment(row[7]), row[0])
        if key not in last or order > last[key][0]:
            last[key] = (order, row)
    units = {uid: (c, n, o) for uid, c, n, o in query_rows(
        engine, f"{source_subtree(code)} SELECT o.id, o.code, o.name, o.sort_order FROM org_unit o "
                f"WHERE o.id IN (SELECT id FROM subtree)")}
    # The unit a person belonged to on a day, replayed from person_history as tests.support's
    # SOURCE_UNIT_ON does (the last change on or before the day; the last written of a day).
    history: dict[int, list] = {}
    for person, effective, _id, unit in query_rows(
            engine, "SELECT person_id, effective_date, id, unit_id FROM person_history"):
        history.setdefault(person, []).append((_day(effective), _id, unit))
    out = []
    for (_order, (_id, person, _item, item_code, name, cycle, size, issued, hired, left)) in last.values():
        due_date = add_months(_moment(issued).date(), cycle)
        if not start <= due_date <= end or _day(hired) > due_date or (left and _day(left) <= due_date):
            continue
        changes = [h for h in history.get(person, ()) if h[0] <= due_date]
        unit = max(changes)[2] if changes else None
        if unit in units:
            out.append({"person_id": person, "item_code": item_code, "item_name": name, "size": size,
                        "due_date": due_date, "unit": units[unit]})
    return out


def expected_summary(engine, code: str, start: dt.date, end: dt.date) -> dict:
    """summary(): stock alerts at the end of end, requests made, sign-off rate and lead times of the
    requests issued, staff falling due, vendors' on-time rate."""
    mine = requests(engine, code)
    issued = issued_in(mine, start, end)
    times = [lead_time(r) for r in issued]
    lines = deliveries(engine, start, end)
    return {"stock_alerts": sum(s["on_hand"] < s["safety_stock"] for s in stock(engine, end)),
            "requests": len(made_in(mine, start, end)),
            "signoff_rate": rate(sum(r["signed_at"] is not None for r in issued), len(issued)),
            "lead_time_median": quantile(times, 0.5), "lead_time_p90": quantile(times, 0.9),
            "due_replacement": len({d["person_id"] for d in due(engine, code, start, end)}),
            "vendor_on_time": rate(sum(d["on_time"] for d in lines), len(lines))}


def expected_requests_by_status(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Requests made in the period per status, in workflow order, with their share."""
    made = made_in(requests(engine, code), start, end)
    rows = [{"status": s, "requests": n, "share": n / len(made)} for s in STATUSES
            if (n := sum(r["status"] == s for r in made))]
    return pd.DataFrame(rows, columns=["status", "requests", "share"])


def expected_requests_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Requests made, issued and signed per unit directly below the scope unit, in the bureau's
    order."""
    by: dict[tuple, list[int]] = {}
    for r in requests(engine, code):
        counts = by.setdefault((r["unit_order"], r["unit_code"], r["unit_name"]), [0, 0, 0])
        counts[0] += start <= r["requested"] <= end
        if r["issued"] is not None and start <= r["issued"] <= end:
            counts[1] += 1
            counts[2] += r["signed_at"] is not None
    rows = [{"unit_code": k[1], "unit_name": k[2], "requests": n, "issued": i, "signed": s,
             "signoff_rate": rate(s, i)} for k, (n, i, s) in sorted(by.items()) if n or i]
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "requests", "issued", "signed",
                                       "signoff_rate"])


def months(start: dt.date, end: dt.date) -> list[str]:
    """YYYY-MM of every month from start to end."""
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(f"{day:%Y-%m}")
        day = add_months(day, 1)
    return out


def expected_requests_by_month(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per month of the period: requests made, issued, signed of those, sign-off rate and the
    median and P90 lead time of those issued."""
    mine = requests(engine, code)
    rows = []
    for m in months(start, end):
        made = [r for r in made_in(mine, start, end) if f"{r['requested']:%Y-%m}" == m]
        issued = [r for r in issued_in(mine, start, end) if f"{r['issued']:%Y-%m}" == m]
        signed = sum(r["signed_at"] is not None for r in issued)
        times = [lead_time(r) for r in issued]
        rows.append({"month": m, "requests": len(made), "issued": len(issued), "signed": signed,
                     "signoff_rate": rate(signed, len(issued)), "lead_time_median": quantile(times, 0.5),
                     "lead_time_p90": quantile(times, 0.9)})
    return pd.DataFrame(rows)


def expected_stock_by_item(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per item: sizes, sizes below safety stock, on hand and safety stock over its sizes."""
    by: dict[tuple, list[int]] = {}
    for s in stock(engine, end):
        counts = by.setdefault((s["item_code"], s["item_name"]), [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += s["on_hand"] < s["safety_stock"]
        counts[2] += s["on_hand"]
        counts[3] += s["safety_stock"]
    return pd.DataFrame([{"item_code": k[0], "item_name": k[1], "sizes": n, "sizes_below": b,
                          "on_hand": h, "safety_stock": safety}
                         for k, (n, b, h, safety) in sorted(by.items())])


def expected_stock_alerts(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Item and size combinations below safety stock at the end of end, largest shortfall first."""
    rows = [{**s, "shortfall": s["safety_stock"] - s["on_hand"]} for s in stock(engine, end)
            if s["on_hand"] < s["safety_stock"]]
    rows.sort(key=lambda r: (-r["shortfall"], r["item_code"], r["size"]))
    return pd.DataFrame(rows, columns=["item_code", "item_name", "size", "on_hand", "safety_stock",
                                       "shortfall"])


def expected_vendor_on_time(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per vendor with lines promised in the period: lines, on time, late, rate, longest delay."""
    by: dict[tuple, list[dict]] = {}
    for d in deliveries(engine, start, end):
        by.setdefault((d["vendor_id"], d["vendor_name"]), []).append(d)
    rows = []
    for (_vendor, name), lines in by.items():
        on_time = sum(d["on_time"] for d in lines)
        delays = [d["days_late"] for d in lines if d["days_late"] > 0]
        rows.append({"vendor_name": name, "deliveries": len(lines), "on_time": on_time,
                     "late": len(lines) - on_time, "on_time_rate": on_time / len(lines),
                     "days_late_max": max(delays) if delays else None})
    rows.sort(key=lambda r: (r["on_time_rate"], r["vendor_name"]))
    return pd.DataFrame(rows, columns=["vendor_name", "deliveries", "on_time", "late", "on_time_rate",
                                       "days_late_max"])


def expected_due_by_item(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Holders falling due per item, most first."""
    by: dict[tuple, set] = {}
    for d in due(engine, code, start, end):
        by.setdefault((d["item_code"], d["item_name"]), set()).add(d["person_id"])
    rows = sorted(((-len(p), k) for k, p in by.items()))
    return pd.DataFrame([{"item_code": k[0], "item_name": k[1], "people_due": -n} for n, k in rows],
                        columns=["item_code", "item_name", "people_due"])


def expected_due_replacements(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Holders falling due per item, size, holder's unit on the due date and due month."""
    by: dict[tuple, set] = {}
    for d in due(engine, code, start, end):
        unit_code, unit_name, order = d["unit"]
        key = (f"{d['due_date']:%Y-%m}", d["item_code"], d["size"], order, unit_code, d["item_name"],
               unit_name)
        by.setdefault(key, set()).add(d["person_id"])
    return pd.DataFrame([{"item_code": k[1], "item_name": k[5], "size": k[2], "unit_code": k[4],
                          "unit_name": k[6], "people_due": len(p), "due_month": k[0]}
                         for k, p in sorted(by.items())],
                        columns=["item_code", "item_name", "size", "unit_code", "unit_name",
                                 "people_due", "due_month"])


QUESTIONS = ("requests_by_status", "requests_by_unit", "requests_by_month", "stock_by_item",
             "stock_alerts", "vendor_on_time", "due_by_item", "due_replacements")


def plain(value):
    """A cell as comparable across DuckDB and Python: missing as None, numbers as floats."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def rows(df: pd.DataFrame) -> list[dict]:
    """The frame's rows in order, each cell made plain."""
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def ask(settings, question: str, scope_name: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The query function named question for one of SCOPE_CODES and [start, end]."""
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    return getattr(uniform, question)(settings, scope=scope, period=custom(start, end))


def assert_question_matches(settings, engine, question: str, scope_name: str, start: dt.date,
                            end: dt.date) -> pd.DataFrame:
    """The query equals expected_<question>, row for row in order; returns the query's frame."""
    got = ask(settings, question, scope_name, start, end)
    want = globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for mine, theirs in zip(rows(got), rows(want)):
        assert mine == same(theirs)
    return got


def assert_summary_matches(settings, engine, scope_name: str, start: dt.date, end: dt.date) -> None:
    """summary() equals expected_summary, metric for metric and in the same order."""
    got = summary_of(uniform, settings, scope_name, start, end)
    want = expected_summary(engine, SCOPE_CODES[scope_name], start, end)
    assert list(got) == list(want)
    assert got == same(want)


def test_nothing_of_the_uniforms_was_quarantined(source):
    """The ETL's checks withheld no row the recomputations read, from either source: they do not
    replay those checks, so they hold only while there is nothing for them to catch."""
    settings, _engine = source
    names = ", ".join(f"'{t}'" for t in WATCHED)
    found = warehouse.query(settings, f"SELECT table_name, count(*) AS n FROM quarantine "
                                      f"WHERE table_name IN ({names}) GROUP BY table_name")
    assert found.empty, found.values.tolist()


def test_the_edited_source_withdraws_requests_and_issues(seeded_file, tmp_path_factory):
    """The edited copy meets the recomputations with withdrawn rows: the withdrawn 区局 head's own
    and reviewed requests, and the store's issues against them (so its stock differs too)."""
    _settings, engine = edited_source(seeded_file, tmp_path_factory)
    ((requests_gone,),) = query_rows(engine, f"SELECT count(*) FROM uniform_request r "
                                             f"WHERE r.deleted_at IS NULL AND NOT ({LIVE_REQUEST})")
    ((issues_gone,),) = query_rows(engine, f"SELECT count(*) FROM uniform_stock_movement m "
                                           f"WHERE NOT ({LIVE_MOVEMENT})")
    assert requests_gone > 0 and issues_gone > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Stock alerts, requests, sign-off rate, lead time median and P90, staff falling due, vendor
    on-time rate: 3 scopes x 2 periods x both sources."""
    assert_summary_matches(*source, scope_name, *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """Stock alerts at each month end of 2025 (the stock moves every day), for the city."""
    assert_summary_matches(warehouse_settings, source_engine, "city", *MONTHS[month])


@pytest.mark.parametrize("forecast", FORECASTS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_the_forecast_equals_the_operational_database(source, scope_name, forecast):
    """From 2027, when 2025's items fall due again, the staff falling due and the forecast tables
    have rows, equal to the recomputation."""
    assert_summary_matches(*source, scope_name, *FORECASTS[forecast])
    for question in ("due_by_item", "due_replacements"):
        got = assert_question_matches(*source, question, scope_name, *FORECASTS[forecast])
        assert len(got) > 0, question


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's 2025 requests, sign-offs, lead times and deliveries, and
    the store some alerts."""
    got = summary_of(uniform, warehouse_settings, "city", *PERIODS["year"])
    assert got["requests"] > 0 and 0 < got["signoff_rate"] < 1 and 0 < got["vendor_on_time"] < 1
    assert 0 < got["lead_time_median"] < got["lead_time_p90"]
    assert any(summary_of(uniform, warehouse_settings, "city", *MONTHS[m])["stock_alerts"] > 0
               for m in MONTHS)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every row and value of every page question, in order, equals its recomputation from the
    source tables: city, district, street; the year and October 2025; both sources."""
    assert_question_matches(*source, question, scope_name, *PERIODS[period_name])


@pytest.mark.parametrize("question", [q for q in QUESTIONS if not q.startswith("due")])
def test_each_question_has_rows_for_the_city_in_october(warehouse_settings, question):
    """The comparisons above compare something: every question but the forecast (nothing issued in
    2025 falls due in 2025) has rows for the city in October 2025, the stock alerts included."""
    assert len(ask(warehouse_settings, question, "city", *PERIODS["holiday_month"])) > 0


def test_the_central_store_reads_the_same_at_every_scope(warehouse_settings):
    """Stock and vendors have no unit: a street sees the city's numbers."""
    october = PERIODS["holiday_month"]
    for question in ("stock_by_item", "stock_alerts", "vendor_on_time"):
        assert rows(ask(warehouse_settings, question, "street", *october)) == \
            rows(ask(warehouse_settings, question, "city", *october)), question


def test_the_by_unit_and_monthly_questions_add_up_to_the_summary(warehouse_settings):
    """The city's units, months and statuses add up to its KPIs for 2025 (nothing lost or counted
    twice)."""
    year = PERIODS["year"]
    total = summary_of(uniform, warehouse_settings, "city", *year)
    for question in ("requests_by_status", "requests_by_unit", "requests_by_month"):
        assert ask(warehouse_settings, question, "city", *year)["requests"].sum() == total["requests"] > 0
    for question in ("requests_by_unit", "requests_by_month"):
        frame = ask(warehouse_settings, question, "city", *year)
        assert frame["signed"].sum() / frame["issued"].sum() == pytest.approx(total["signoff_rate"])


def test_lead_time_counts_workdays_across_the_national_day_holiday():
    """Hand-checked: requested Tuesday 30 September 2025, issued Thursday 9 October: 1-8 October
    is the 国庆/中秋 holiday, so one workday (the 9th); issued Saturday 11 October (a 调休 workday)
    makes three. A replacement two years after 29 February clamps to the 28th."""
    sept_30 = {"requested": dt.date(2025, 9, 30)}
    assert lead_time({**sept_30, "issued": dt.date(2025, 10, 9)}) == 1
    assert lead_time({**sept_30, "issued": dt.date(2025, 10, 11)}) == 3
    assert lead_time({**sept_30, "issued": dt.date(2025, 9, 30)}) == 0
    assert add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.9) == pytest.approx(3.7) and quantile([], 0.5) is None
