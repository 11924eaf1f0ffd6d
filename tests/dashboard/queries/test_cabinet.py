"""cabinet against the operational database, recomputed with METRICS.md's definitions: the summary
and every question of the /cabinet page (expected_<question>: plain SQL on the source tables and
Python, never the warehouse), on the seed and on the edited copy whose withdrawn person deposited,
picked up and held a card."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard import warehouse
from dashboard.period import custom
from dashboard.queries import cabinet
from tests.dashboard.queries._business import MONTHS, same as same_values, summary_of
from tests.dashboard.queries._people import LIVE_PERSON, edited_source, names_live
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate, source_subtree

# The default of settings.cabinet_overdue_hours, which the recomputations assume (a test checks).
OVERDUE_HOURS = 24
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# A live card: not naming a withdrawn person. A live deposit: not withdrawn, naming no withdrawn
# person and no card held back (the ETL's src views hold back a row whose parent is withdrawn).
LIVE_CARD = f"SELECT id FROM cabinet_card WHERE {names_live('person_id')}"
LIVE_DOCUMENT = (f"t.deleted_at IS NULL AND {names_live('t.depositor_id')} AND {names_live('t.picked_up_by_id')} "
                 f"AND (t.depositor_card_id IS NULL OR t.depositor_card_id IN ({LIVE_CARD})) "
                 f"AND (t.pickup_card_id IS NULL OR t.pickup_card_id IN ({LIVE_CARD}))")


def _moment(value) -> pd.Timestamp:
    return pd.Timestamp(value) if value is not None else pd.NaT


def subtree(engine, code: str) -> set[int]:
    """ids of the unit with code and every unit below it."""
    return {i for (i,) in query_rows(engine, f"{source_subtree(code)} SELECT id FROM subtree")}


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


def documents(engine) -> pd.DataFrame:
    """Every live deposit, with its cabinet (named by host unit and id), box, receiving unit and
    sender: id, box_id, box_no, cabinet_id, cabinet_name, unit_id, document_ref, sender_unit_name,
    deposited_at, picked_up_at, dwell_hours."""
    rows = query_rows(engine, f"""
        SELECT t.id, t.box_id, x.box_no, c.id, h.name || ' #' || c.id, t.receiving_unit_id,
               g.document_ref, s.name, t.deposited_at, t.picked_up_at
        FROM cabinet_transaction t
        JOIN cabinet_box x ON x.id = t.box_id JOIN cabinet c ON c.id = x.cabinet_id
        JOIN org_unit h ON h.id = c.unit_id
        JOIN cabinet_barcode g ON g.id = t.barcode_id JOIN org_unit s ON s.id = g.sender_unit_id
        WHERE {LIVE_DOCUMENT}""")
    df = pd.DataFrame(rows, columns=["id", "box_id", "box_no", "cabinet_id", "cabinet_name", "unit_id",
                                     "document_ref", "sender_unit_name", "deposited_at", "picked_up_at"])
    df["deposited_at"] = [_moment(v) for v in df.deposited_at]
    df["picked_up_at"] = pd.to_datetime([_moment(v) for v in df.picked_up_at])
    df["dwell_hours"] = (df.picked_up_at - df.deposited_at).dt.total_seconds() / 3600
    return df


def _cutoff(end: dt.date) -> pd.Timestamp:
    return pd.Timestamp(end + dt.timedelta(days=1))


def _in(moments: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """Whether each moment falls on a day of [start, end]."""
    return (moments >= pd.Timestamp(start)) & (moments < _cutoff(end))


def _flows(part: pd.DataFrame, start: dt.date, end: dt.date) -> dict:
    """Deposits, pickups and the dwell median and P90 (numpy's linear percentile) of the pickups."""
    picked = part[_in(part.picked_up_at, start, end)]
    dwell = picked.dwell_hours.to_numpy()
    return {"deposits": int(_in(part.deposited_at, start, end).sum()), "pickups": len(picked),
            "dwell_median": float(np.median(dwell)) if len(dwell) else None,
            "dwell_p90": float(np.percentile(dwell, 90)) if len(dwell) else None}


def _waiting(part: pd.DataFrame, end: dt.date) -> tuple[pd.Series, pd.Series]:
    """Which documents wait at the end of end, and which of them waited over OVERDUE_HOURS."""
    cutoff = _cutoff(end)
    waiting = (part.deposited_at < cutoff) & (part.picked_up_at.isna() | (part.picked_up_at >= cutoff))
    return waiting, waiting & (part.deposited_at < cutoff - pd.Timedelta(hours=OVERDUE_HOURS))


def _merged_hours(intervals: list[tuple[pd.Timestamp, pd.Timestamp]], lo: pd.Timestamp,
                  hi: pd.Timestamp) -> float:
    """Hours of [lo, hi) covered by at least one interval (overlaps counted once)."""
    total, reach = 0.0, lo
    for start, end in sorted(intervals):
        start, end = max(start, reach), min(end, hi)
        if end > start:
            total += (end - start).total_seconds() / 3600
            reach = end
    return total


def box_hours(engine, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per box: box_id, cabinet_id, cabinet_name, unit_id (the box's unit, else the cabinet's),
    days on record in [start, end] (from the later of installation and the first deposit on record
    to the last day with a deposit or pickup) and the hours of those days a document lay in it (a
    waiting one until the end of that last day)."""
    docs = documents(engine)
    first = docs.deposited_at.min().date()
    last = max(docs.deposited_at.max(), docs.picked_up_at.max()).date()
    boxes = query_rows(engine, """SELECT x.id, c.id, h.name || ' #' || c.id, coalesce(x.unit_id, c.unit_id),
                                         c.installed_date
                                  FROM cabinet_box x JOIN cabinet c ON c.id = x.cabinet_id
                                  JOIN org_unit h ON h.id = c.unit_id""")
    open_until = pd.Timestamp(last + dt.timedelta(days=1))
    spans = {box: list(zip(part.deposited_at, part.picked_up_at.fillna(open_until)))
             for box, part in docs.groupby("box_id")}
    out = []
    for box, cabinet_id, name, unit, installed in boxes:
        lo = max(start, dt.date.fromisoformat(str(installed)[:10]), first)
        hi = min(end, last)
        days = (hi - lo).days + 1 if hi >= lo else 0
        # hi < lo (no day on record in the period) leaves nothing to cover
        hours = _merged_hours(spans.get(box, []), pd.Timestamp(lo), pd.Timestamp(hi + dt.timedelta(days=1)))
        out.append({"box_id": box, "cabinet_id": cabinet_id, "cabinet_name": name, "unit_id": unit,
                    "days": days, "occupied_hours": hours})
    return pd.DataFrame(out)


def cards(engine) -> pd.DataFrame:
    """Every live card: unit_id, issued_at, status, status_changed_at."""
    rows = query_rows(engine, f"SELECT c.unit_id, c.issued_at, c.status, c.status_changed_at "
                              f"FROM cabinet_card c WHERE c.id IN ({LIVE_CARD})")
    df = pd.DataFrame(rows, columns=["unit_id", "issued_at", "status", "status_changed_at"])
    df["issued_at"] = [_moment(v) for v in df.issued_at]
    df["status_changed_at"] = pd.to_datetime([_moment(v) for v in df.status_changed_at])
    return df


def _cards(part: pd.DataFrame, start: dt.date, end: dt.date) -> dict:
    """Issued in the period, active at its end (not lost or cancelled by then), lost in it."""
    cutoff = _cutoff(end)
    active = (part.issued_at < cutoff) & ((part.status == "有效") | (part.status_changed_at >= cutoff))
    lost = (part.status == "挂失") & _in(part.status_changed_at, start, end)
    return {"cards_issued": int(_in(part.issued_at, start, end).sum()), "cards_active": int(active.sum()),
            "cards_lost": int(lost.sum())}


def expected_summary(engine, code: str, start: dt.date, end: dt.date) -> dict:
    """The KPI cards of the scope and period, as cabinet.summary's row."""
    ids = subtree(engine, code)
    docs = documents(engine)
    docs = docs[docs.unit_id.isin(ids)]
    waiting, overdue = _waiting(docs, end)
    boxes = box_hours(engine, start, end)
    boxes = boxes[boxes.unit_id.isin(ids)]
    owned = cards(engine)
    return {**_flows(docs, start, end), "awaiting_pickup": int(waiting.sum()), "overdue_24h": int(overdue.sum()),
            "box_utilization": rate(boxes.occupied_hours.sum(), 24 * boxes.days.sum()),
            **_cards(owned[owned.unit_id.isin(ids)], start, end)}


def expected_flows_by_day(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Deposits and pickups of each day of the period for the receiving units in scope."""
    docs = documents(engine)
    docs = docs[docs.unit_id.isin(subtree(engine, code))]
    deposited = docs.deposited_at.dt.normalize().value_counts()
    picked = docs.picked_up_at.dropna().dt.normalize().value_counts()
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({"day": days, "deposits": [int(deposited.get(d, 0)) for d in days],
                         "pickups": [int(picked.get(d, 0)) for d in days]})


def expected_flows_by_cabinet(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per cabinet with a deposit or pickup in the period for the receiving units in scope."""
    docs = documents(engine)
    docs = docs[docs.unit_id.isin(subtree(engine, code)) & (docs.deposited_at < _cutoff(end))]
    rows = [{"cabinet_id": cabinet_id, "cabinet_name": name, **_flows(part, start, end)}
            for (cabinet_id, name), part in sorted(docs.groupby(["cabinet_id", "cabinet_name"]))]
    return pd.DataFrame([r for r in rows if r["deposits"] or r["pickups"]],
                        columns=["cabinet_id", "cabinet_name", "deposits", "pickups", "dwell_median", "dwell_p90"])


def expected_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit below the scope unit with a deposit or pickup in the period or a document waiting
    at its end, in the bureau's order."""
    docs = documents(engine).join(units_below(engine, code), on="unit_id", how="inner")
    docs = docs[docs.deposited_at < _cutoff(end)]
    rows = []
    for (_order, child_code, child_name), part in sorted(
            docs.groupby(["child_order", "child_code", "child_name"]), key=lambda g: g[0][:2]):
        waiting, overdue = _waiting(part, end)
        row = {"unit_code": child_code, "unit_name": child_name, **_flows(part, start, end),
               "awaiting_pickup": int(waiting.sum()), "overdue": int(overdue.sum())}
        if row["deposits"] or row["pickups"] or row["awaiting_pickup"]:
            rows.append(row)
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "deposits", "pickups", "dwell_median",
                                       "dwell_p90", "awaiting_pickup", "overdue"])


def expected_deposits_by_hour(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Deposits of the period for the receiving units in scope per weekday and hour, all 168 cells."""
    docs = documents(engine)
    docs = docs[docs.unit_id.isin(subtree(engine, code)) & _in(docs.deposited_at, start, end)]
    counted = docs.groupby([docs.deposited_at.dt.weekday, docs.deposited_at.dt.hour]).size()
    return pd.DataFrame([{"weekday": WEEKDAYS[w], "hour": h, "deposits": int(counted.get((w, h), 0))}
                         for w in range(7) for h in range(24)])


def expected_awaiting(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The documents waiting at the end of end for the receiving units in scope, by receiving unit
    (the bureau's order, then code), the longest waiting first."""
    units = pd.DataFrame(query_rows(engine, "SELECT id, name, sort_order, code FROM org_unit"),
                         columns=["unit_id", "unit_name", "sort_order", "code"])
    docs = documents(engine)
    docs = docs[docs.unit_id.isin(subtree(engine, code))]
    waiting, overdue = _waiting(docs, end)
    docs = docs.assign(overdue=np.where(overdue, "是", "否"),
                       waited_hours=(_cutoff(end) - docs.deposited_at).dt.total_seconds() / 3600)[waiting]
    docs = docs.merge(units, on="unit_id").sort_values(["sort_order", "code", "deposited_at", "id"])
    return docs[["unit_name", "cabinet_name", "box_no", "document_ref", "sender_unit_name", "deposited_at",
                 "waited_hours", "overdue"]].reset_index(drop=True)


def expected_box_utilization_by_cabinet(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per cabinet with boxes of units in scope on record in the period: box-hours and their use."""
    boxes = box_hours(engine, start, end)
    boxes = boxes[boxes.unit_id.isin(subtree(engine, code)) & (boxes.days > 0)]
    rows = [{"cabinet_id": cabinet_id, "cabinet_name": name, "boxes": len(part),
             "available_hours": 24.0 * part.days.sum(), "occupied_hours": part.occupied_hours.sum(),
             "box_utilization": rate(part.occupied_hours.sum(), 24 * part.days.sum())}
            for (cabinet_id, name), part in sorted(boxes.groupby(["cabinet_id", "cabinet_name"]))]
    return pd.DataFrame(rows, columns=["cabinet_id", "cabinet_name", "boxes", "available_hours",
                                       "occupied_hours", "box_utilization"])


def expected_cards_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit below the scope unit with a card issued in the period, active at its end or lost
    in it, in the bureau's order."""
    owned = cards(engine).join(units_below(engine, code), on="unit_id", how="inner")
    rows = []
    for (_order, child_code, child_name), part in sorted(
            owned.groupby(["child_order", "child_code", "child_name"]), key=lambda g: g[0][:2]):
        row = {"unit_code": child_code, "unit_name": child_name, **_cards(part, start, end)}
        if any(row[k] for k in ("cards_issued", "cards_active", "cards_lost")):
            rows.append(row)
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "cards_issued", "cards_active", "cards_lost"])


QUESTIONS = ("flows_by_day", "flows_by_cabinet", "by_unit", "deposits_by_hour", "awaiting",
             "box_utilization_by_cabinet", "cards_by_unit")


def _plain(value):
    """A frame value as a comparable plain value: moments as datetimes, missing as None."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: the same columns, rows in the same order, hours within a microsecond's worth."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for a, b in zip(got.to_dict("records"), want.to_dict("records")):
        a, b = ({k: _plain(v) for k, v in r.items()} for r in (a, b))
        assert a == pytest.approx(b, rel=0, abs=1e-6), (a, b)


def test_the_recomputations_assume_the_default_overdue_threshold(warehouse_settings):
    """OVERDUE_HOURS is the setting the warehouse fixtures run with."""
    assert warehouse_settings.cabinet_overdue_hours == OVERDUE_HOURS


def assert_summary_matches(settings, engine, scope_name: str, start: dt.date, end: dt.date) -> None:
    """cabinet.summary equals expected_summary, metric for metric and in the same order."""
    got = summary_of(cabinet, settings, scope_name, start, end)
    want = expected_summary(engine, SCOPE_CODES[scope_name], start, end)
    assert list(got) == list(want)
    assert got == same_values(want)


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Every KPI card for 3 scopes x 2 periods, on the seed and the edited copy."""
    settings, engine = source
    assert_summary_matches(settings, engine, scope_name, *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """What waits in the cabinets at each month end of 2025, for the city."""
    assert_summary_matches(warehouse_settings, source_engine, "city", *MONTHS[month])


@pytest.mark.parametrize("day", ["2025-03-14", "2025-06-06", "2025-09-19", "2025-12-12"])
def test_city_summary_on_a_friday_equals_the_operational_database(warehouse_settings,
                                                                  source_engine, day):
    """Friday evenings: documents left for the weekend are waiting, some already over 24 h."""
    end = dt.date.fromisoformat(day)
    assert_summary_matches(warehouse_settings, source_engine, "city", end, end)


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's cabinets something in every card."""
    got = summary_of(cabinet, warehouse_settings, "city", *PERIODS["year"])
    assert got["deposits"] > 0 and got["pickups"] > 0 and got["awaiting_pickup"] > 0
    assert got["overdue_24h"] > 0 and 0 < got["dwell_median"] < got["dwell_p90"]
    assert 0 < got["box_utilization"] < 1
    assert got["cards_issued"] > 0 and got["cards_active"] > 0 and got["cards_lost"] > 0


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every chart and table of /cabinet for the city, a district and a street, the year 2025 and
    October 2025, on the seed and on the edited copy (a withdrawn messenger's deposits, pickups
    and card gone)."""
    settings, engine = source
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(cabinet, question)(settings, scope=scope, period=custom(start, end))
    same(got, globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end))


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_rows_for_the_city_year_and_the_district_month(warehouse_settings, question):
    """The comparisons above are not vacuous: every question answers something."""
    for code, (start, end) in ((SCOPE_CODES["city"], PERIODS["year"]),
                               (SCOPE_CODES["district"], PERIODS["holiday_month"])):
        scope = scopes.of_code(warehouse_settings, code)
        got = getattr(cabinet, question)(warehouse_settings, scope=scope, period=custom(start, end))
        assert len(got) > 0, (question, code)


def test_the_edited_copy_drops_the_withdrawn_messengers_documents_and_card(warehouse_settings, seeded_file,
                                                                          tmp_path_factory):
    """The edit bites for cabinet: the withdrawn person deposited and picked up documents of the
    district and held one of its cards, which leave the numbers; nothing is quarantined."""
    settings, engine = edited_source(seeded_file, tmp_path_factory)
    named = query_rows(engine, f"""{source_subtree(SCOPE_CODES["district"])}
        SELECT count(*) FROM cabinet_transaction t
        WHERE t.deleted_at IS NULL AND t.receiving_unit_id IN (SELECT id FROM subtree)
          AND (t.depositor_id NOT IN ({LIVE_PERSON}) OR t.picked_up_by_id NOT IN ({LIVE_PERSON}))""")[0][0]
    seed, edited = (summary_of(cabinet, s, "district", *PERIODS["year"]) for s in (warehouse_settings, settings))
    assert named > 0 and edited["deposits"] < seed["deposits"]
    assert edited["cards_active"] < seed["cards_active"]
    for s in (warehouse_settings, settings):
        assert warehouse.query(s, "SELECT count(*) AS n FROM quarantine WHERE table_name LIKE 'cabinet%'").n[0] == 0


def test_the_parts_add_up_to_the_summary(warehouse_settings):
    """The charts split the KPI cards: days, cabinets and units share out the same documents,
    units the waiting ones and the cards, the hours of the heatmap the deposits."""
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    period = custom(*PERIODS["holiday_month"])
    total = cabinet.summary(warehouse_settings, scope=scope, period=period).iloc[0]
    ask = lambda question: question(warehouse_settings, scope=scope, period=period)  # noqa: E731
    for part in (ask(cabinet.flows_by_day), ask(cabinet.flows_by_cabinet), ask(cabinet.by_unit)):
        assert part.deposits.sum() == total.deposits and part.pickups.sum() == total.pickups
    units = ask(cabinet.by_unit)
    assert units.awaiting_pickup.sum() == total.awaiting_pickup == len(ask(cabinet.awaiting))
    assert units.overdue.sum() == total.overdue_24h == (ask(cabinet.awaiting).overdue == "是").sum()
    assert ask(cabinet.deposits_by_hour).deposits.sum() == total.deposits
    held = ask(cabinet.cards_by_unit)
    assert held.cards_active.sum() == total.cards_active and held.cards_issued.sum() == total.cards_issued
    boxes = ask(cabinet.box_utilization_by_cabinet)
    assert boxes.occupied_hours.sum() / boxes.available_hours.sum() == pytest.approx(total.box_utilization)
