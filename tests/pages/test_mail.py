"""/mail: each tile, posted as a city leader and a district head, shows its query's numbers (the
KPI cards with the backlog note, the daily line, the bars by unit, the channel donut); the workbook
holds one sheet per tile with the same numbers; a forged org gets a refusal, not numbers."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import export, find, tile, values, workbook
from tests.support import PERIODS, SCOPE_CODES

PAGE = "mail"
USERS = {"city": "city_leader", "district": "dongcheng_dept_head"}
QUERIES = {name: {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
           for name, (start, end) in PERIODS.items()}
BAR_TILES = ("sent_by_unit", "backlog_by_unit", "mobile_by_unit")


def page():
    """pages/mail.py as create_app loaded it."""
    return page_module("/mail")


def the_tile(name: str):
    """The page's tile of that name."""
    (t,) = [t for t in page().TILES if t.name == name]
    return t


def frame_of(app, name: str, level: str, period_name: str) -> pd.DataFrame:
    """The tile's query for the user's own scope and the period."""
    settings = app.server.config["OA_SETTINGS"]
    return the_tile(name).query(settings, scope=scopes.of_code(settings, SCOPE_CODES[level]),
                                period=custom(*PERIODS[period_name]))


def numbers(series) -> list:
    """A column as plain floats, a missing value as NaN (as a figure's typed array holds it)."""
    return [math.nan if pd.isna(v) else float(v) for v in series]


def graph_of(client, name: str, period_name: str) -> dict:
    """The figure a chart tile's callback returns."""
    (graph,) = find(tile(client, PAGE, name, QUERIES[period_name]), "Graph")
    return graph["props"]["figure"]


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_kpi_cards_show_the_summary_and_the_backlog_note(data_app, level, period_name):
    """Every card: the value of mail.summary() for the user's scope, formatted; the 7-day rule of
    the backlog stands next to them."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    now = queries.summary(PAGE, settings, scope=scope, period=custom(*PERIODS[period_name]))
    shown = texts(tile(signed_in(data_app, USERS[level]), PAGE, "kpi", QUERIES[period_name]))
    for metric, label, kind in the_tile("kpi").query.keywords["metrics"]:
        assert label in shown and formats.value(now[metric], kind) in shown, metric
    assert any("超过 7 天" in text for text in shown)
    assert now["sent"] > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_bar_charts_plot_their_queries_numbers(data_app, level, period_name):
    """Each bar (and rate line) is a column of the by-unit query, in its order; the bars carry the
    unit codes, so a click drills into that unit."""
    client = signed_in(data_app, USERS[level])
    for name in BAR_TILES:
        t, frame = the_tile(name), frame_of(data_app, name, level, period_name)
        assert len(frame) > 0, name
        traces = graph_of(client, name, period_name)["data"]
        fields = tuple(t.chart.keywords["y"]) + ((t.chart.keywords["line"],) if t.chart.keywords.get("line") else ())
        assert len(traces) == len(fields), name
        for trace, field in zip(traces, fields):
            assert values(trace["y"]) == pytest.approx(numbers(frame[field]), nan_ok=True), (name, field)
        assert values(traces[0]["customdata"]) == frame.unit_code.tolist(), name


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_daily_line_and_the_channel_donut_are_their_queries(data_app, level, period_name):
    """One point per day of the period; one slice per read channel with its reads."""
    client = signed_in(data_app, USERS[level])
    frame = frame_of(data_app, "by_day", level, period_name)
    (line,) = graph_of(client, "by_day", period_name)["data"]
    assert len(frame) == (PERIODS[period_name][1] - PERIODS[period_name][0]).days + 1
    assert [str(x)[:10] for x in values(line["x"])] == [f"{d:%Y-%m-%d}" for d in frame.day]
    assert values(line["y"]) == numbers(frame.sent) and sum(frame.sent) > 0
    channels = frame_of(data_app, "channels", level, period_name)
    (donut,) = graph_of(client, "channels", period_name)["data"]
    assert values(donut["labels"]) == ["PC", "执法城管通", "京办"]
    assert values(donut["values"]) == numbers(channels.reads) and sum(channels.reads) > 0


def _cell(value):
    """A frame's value as openpyxl reads it back from a typed cell (None for a missing one)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_workbook_has_a_sheet_per_tile_with_the_queries_numbers(data_app, level, period_name):
    """The export opens with openpyxl: one sheet per tile, titled as the tile, and each number,
    text and date cell equal to the tile's query (the KPI sheet: the summary now and before)."""
    _name, book, _content = workbook(signed_in(data_app, USERS[level]), PAGE, QUERIES[period_name])
    tiles = page().TILES
    assert book.sheetnames == [t.title for t in tiles]
    for ws, t in zip(book.worksheets, tiles):
        frame = frame_of(data_app, t.name, level, period_name)
        assert ws.max_row == 4 + len(frame), t.name
        assert [c.value for c in ws[4]][:len(t.columns)] == [c.label for c in t.columns]
        for r, row in enumerate(frame.to_dict("records"), start=5):
            for i, col in enumerate(t.columns, start=1):
                got, want = ws.cell(r, i).value, _cell(row[col.name])
                if col.kind in ("text", "msgid"):
                    assert (got or "") == str(want or ""), (t.name, col.name)
                elif want is None:
                    assert got in (None, "—"), (t.name, col.name)
                elif isinstance(want, dt.datetime):
                    assert got == want, (t.name, col.name)
                else:
                    assert isinstance(got, (int, float)) and got == pytest.approx(float(want), abs=1e-6), \
                        (t.name, col.name)


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head names 西城 or the city: every tile refuses, the export sends nothing."""
    client = signed_in(data_app, USERS["district"])
    for code in ("110102", SCOPE_CODES["city"]):
        forged = {**QUERIES["holiday_month"], "org": code}
        for t in page().TILES:
            shown = tile(client, PAGE, t.name, forged)
            assert "不在您的数据范围内" in " ".join(texts(shown)) and not find(shown, "Graph"), t.name
        response = export(client, PAGE, forged)
        assert response.status_code == 204 or f"{PAGE}-download" not in response.get_json()["response"]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's mail: one bar,
    the street's, with the summary's messages sent in 2025."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), PAGE, "sent_by_unit", query), "Graph")
    total = queries.summary(PAGE, settings, scope=street, period=custom(*PERIODS["year"]))
    bars = graph["props"]["figure"]["data"][0]
    assert values(bars["y"]) == [total["sent"]] and values(bars["x"]) == [street.name] and total["sent"] > 0
