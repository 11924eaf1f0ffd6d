"""mail against the operational database, recomputed with METRICS.md's definitions: the summary
and every question of the /mail page (expected_<question>: plain SQL on the source tables and
Python, never the warehouse), on the seed and on the edited copy (a withdrawn sender and
addressee, October mail first read in November)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import mail
from tests.dashboard.queries._people import (
    LIVE_PERSON, active, assert_nothing_quarantined, mean_headcount, one, unit_on, with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

# Live, sent messages of live senders.
SENT = (f"m.deleted_at IS NULL AND m.sent_at IS NOT NULL AND NOT m.is_draft "
        f"AND m.sender_id IN ({LIVE_PERSON})")


def _source(engine, code: str, start, end) -> dict:
    sent = one(engine, f"""{with_subtree(code)}
        SELECT count(*) FROM mail_message m
        WHERE {SENT} AND date(m.sent_at) BETWEEN :start AND :end
          AND {unit_on('m.sender_id', 'date(m.sent_at)')} IN (SELECT id FROM subtree)""",
               start=start, end=end)
    # each addressee (who has not deleted it) in the unit they belonged to on the day it was sent
    backlog, read, mobile = query_rows(engine, f"""{with_subtree(code)}
        SELECT coalesce(sum(date(m.sent_at) < date(:end, '-7 days')
                            AND (r.read_at IS NULL OR date(r.read_at) > :end)), 0),
               coalesce(sum(date(r.read_at) BETWEEN :start AND :end), 0),
               coalesce(sum(date(r.read_at) BETWEEN :start AND :end
                            AND r.read_channel IN ('执法城管通', '京办')), 0)
        FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        WHERE {SENT} AND r.deleted_at IS NULL AND r.person_id IN ({LIVE_PERSON})
          AND {unit_on('r.person_id', 'date(m.sent_at)')} IN (SELECT id FROM subtree)""",
                                         start=start, end=end)[0]
    return {"sent": sent, "sent_per_capita": rate(sent, mean_headcount(engine, code, start, end)),
            "unread_backlog": backlog, "mobile_share": rate(mobile, read)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Sent, sent per capita, unread backlog at period end, mobile share: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = mail.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city's year has mail sent, a backlog at its end, and reads on PC and on mobile."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = mail.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("sent", "sent_per_capita", "unread_backlog"):
        assert got[name] > 0, name
    assert 0 < got["mobile_share"] < 1


# The unit directly below the scope unit of code that each unit of its scope lies under (the scope
# unit for itself): tree(id, child).
TREE = """WITH RECURSIVE tree(id, child, depth) AS (
    SELECT id, id, 0 FROM org_unit WHERE code = :code
    UNION ALL
    SELECT o.id, CASE WHEN t.depth = 0 THEN o.id ELSE t.child END, t.depth + 1
    FROM org_unit o JOIN tree t ON o.parent_id = t.id)"""
# Received messages: each live addressee of a live sent message, in their unit on the day sent.
RECEIVED = f"""FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
    JOIN tree t ON t.id = {unit_on('r.person_id', 'date(m.sent_at)')}
    WHERE {SENT} AND r.deleted_at IS NULL AND r.person_id IN ({LIVE_PERSON})
      AND date(m.sent_at) <= :end"""


def expected_sent_by_day(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Messages sent on each day of the period by senders whose unit that day is in scope."""
    counted = dict(query_rows(engine, f"""{TREE}
        SELECT date(m.sent_at), count(*) FROM mail_message m
        JOIN tree t ON t.id = {unit_on('m.sender_id', 'date(m.sent_at)')}
        WHERE {SENT} AND date(m.sent_at) BETWEEN :start AND :end GROUP BY 1""",
                              code=code, start=start, end=end))
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return pd.DataFrame({"day": days, "sent": [counted.get(d.isoformat(), 0) for d in days]})


def _by_child(engine, sql: str, **params) -> dict:
    """{child unit id: the rest of the row} of a query grouped by tree.child."""
    return {row[0]: tuple(row[1:]) for row in query_rows(engine, sql, **params)}


def expected_by_unit(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per unit below the scope unit (and the scope unit itself) with staff or mail: sent, mean
    headcount, per capita, backlog at the end of end, reads and mobile reads, in the bureau's order."""
    p = {"code": code, "start": start, "end": end}
    sent = _by_child(engine, f"""{TREE}
        SELECT t.child, count(*) FROM mail_message m
        JOIN tree t ON t.id = {unit_on('m.sender_id', 'date(m.sent_at)')}
        WHERE {SENT} AND date(m.sent_at) BETWEEN :start AND :end GROUP BY t.child""", **p)
    received = _by_child(engine, f"""{TREE}
        SELECT t.child, sum(date(m.sent_at) < date(:end, '-7 days')
                            AND (r.read_at IS NULL OR date(r.read_at) > :end)),
               sum(date(r.read_at) BETWEEN :start AND :end),
               sum(date(r.read_at) BETWEEN :start AND :end AND r.read_channel IN ('执法城管通', '京办'))
        {RECEIVED} GROUP BY t.child""", **p)

    def staff(day):
        return _by_child(engine, f"""{TREE}
            SELECT t.child, count(*) FROM person p JOIN tree t ON t.id = {unit_on('p.id', ':d')}
            WHERE {active('p', ':d')} GROUP BY t.child""", code=code, d=day)
    at_start, at_end = staff(start), staff(end)
    children = query_rows(engine, f"""{TREE}
        SELECT c.id, c.code, c.name FROM org_unit c WHERE c.id IN (SELECT child FROM tree)
        ORDER BY c.sort_order, c.code""", code=code)
    rows = []
    for child, child_code, name in children:
        n = sent.get(child, (0,))[0]
        backlog, read, mobile = received.get(child, (0, 0, 0))
        mean = (at_start.get(child, (0,))[0] + at_end.get(child, (0,))[0]) / 2
        if n or mean or backlog or read:
            rows.append({"unit_code": child_code, "unit_name": name, "sent": n, "mean_headcount": mean,
                         "sent_per_capita": rate(n, mean), "unread_backlog": backlog, "read": read,
                         "mobile_read": mobile, "mobile_share": rate(mobile, read)})
    return pd.DataFrame(rows, columns=["unit_code", "unit_name", "sent", "mean_headcount", "sent_per_capita",
                                       "unread_backlog", "read", "mobile_read", "mobile_share"])


def expected_reads_by_channel(engine, code: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Reads in the period by addressees in scope per channel (PC, 执法城管通, 京办) and their shares."""
    counted = dict(query_rows(engine, f"""{TREE}
        SELECT r.read_channel, count(*) {RECEIVED} AND date(r.read_at) BETWEEN :start AND :end
        GROUP BY 1""", code=code, start=start, end=end))
    total = sum(counted.values())
    return pd.DataFrame([{"channel": c, "reads": counted.get(c, 0), "share": rate(counted.get(c, 0), total)}
                         for c in ("PC", "执法城管通", "京办")], columns=["channel", "reads", "share"])


QUESTIONS = ("sent_by_day", "by_unit", "reads_by_channel")


def _plain(value):
    """A frame value as a comparable plain value: dates as ISO days, missing as None."""
    if isinstance(value, (pd.Timestamp, dt.date)):
        return f"{value:%Y-%m-%d}"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal frames: the same columns, rows in the same order, equal values (rates to 1e-9)."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want), (got, want)
    for a, b in zip(got.to_dict("records"), want.to_dict("records")):
        a, b = ({k: _plain(v) for k, v in r.items()} for r in (a, b))
        assert a == pytest.approx(b, rel=0, abs=1e-9), (a, b)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_each_question_equals_the_operational_database(source, scope_name, period_name, question):
    """Every chart of /mail for the city, a district and a street, the year 2025 and October 2025,
    on the seed and on the edited copy."""
    settings, engine = source
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = getattr(mail, question)(settings, scope=scope, period=custom(start, end))
    same(got, globals()[f"expected_{question}"](engine, SCOPE_CODES[scope_name], start, end))


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_has_numbers_for_the_city_year_and_the_district_month(warehouse_settings, question):
    """The comparisons above are not vacuous: every question counts some mail."""
    for code, (start, end) in ((SCOPE_CODES["city"], PERIODS["year"]),
                               (SCOPE_CODES["district"], PERIODS["holiday_month"])):
        scope = scopes.of_code(warehouse_settings, code)
        got = getattr(mail, question)(warehouse_settings, scope=scope, period=custom(start, end))
        numeric = got.select_dtypes("number").drop(columns=["share", "mean_headcount"], errors="ignore")
        assert len(got) > 0 and numeric.fillna(0).to_numpy().sum() > 0, (question, code)


def test_the_units_add_up_to_the_summary(warehouse_settings):
    """The district's units together sent, hold in backlog and read what the district's KPI cards say."""
    start, end = PERIODS["holiday_month"]
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    units = mail.by_unit(warehouse_settings, scope=scope, period=custom(start, end))
    total = mail.summary(warehouse_settings, scope=scope, period=custom(start, end)).iloc[0]
    assert units.sent.sum() == total.sent and units.unread_backlog.sum() == total.unread_backlog
    assert units.mobile_read.sum() / units.read.sum() == pytest.approx(total.mobile_share)


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("day", ["2025-03-12", "2025-06-18", "2025-09-10", "2025-11-20"])
def test_each_question_on_a_midweek_week_equals_the_operational_database(warehouse_settings, source_engine,
                                                                         day, question):
    """Weeks ending on a workday, so mail was sent exactly 7 days before the end and read the day
    after it: the backlog's and the reads' day boundaries are met."""
    end = dt.date.fromisoformat(day)
    start = end - dt.timedelta(days=6)
    scope = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = getattr(mail, question)(warehouse_settings, scope=scope, period=custom(start, end))
    same(got, globals()[f"expected_{question}"](source_engine, SCOPE_CODES["city"], start, end))
