"""/asset: each tile, posted as a city leader and a district head, shows its query's numbers (the
KPI cards, the bars by unit, class and method, the status pie, one card's timeline, the detail
tables); the workbook holds one sheet per tile with the same numbers; a forged org gets a refusal."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import export, find, grid_rows, tile, values, workbook
from tests.support import PERIODS, SCOPE_CODES

USERS = {"city": "city_leader", "district": "dongcheng_dept_head"}
QUERIES = {name: {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
           for name, (start, end) in PERIODS.items()}


def page():
    """pages/asset.py as create_app loaded it."""
    return page_module("/asset")


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
    (graph,) = find(tile(client, "asset", name, QUERIES[period_name]), "Graph")
    return graph["props"]["figure"]


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_kpi_cards_show_the_summary(data_app, level, period_name):
    """Every card: the value of asset.summary() for the user's scope, formatted."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    now = queries.summary("asset", settings, scope=scope, period=custom(*PERIODS[period_name]))
    shown = texts(tile(signed_in(data_app, USERS[level]), "asset", "kpi", QUERIES[period_name]))
    for metric, label, kind in the_tile("kpi").query.keywords["metrics"]:
        assert label in shown and formats.value(now[metric], kind) in shown, metric
    assert now["asset_count"] > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_bar_charts_plot_their_queries_numbers(data_app, level, period_name):
    """Each bar and line is a column of its query, in the query's order; a by-unit chart's bars
    carry the unit codes, so a click drills into that unit."""
    client = signed_in(data_app, USERS[level])
    for name in ("by_unit", "by_class", "idle", "disposals"):
        t, frame = the_tile(name), frame_of(data_app, name, level, period_name)
        assert len(frame) > 0, name
        traces = graph_of(client, name, period_name)["data"]
        keys = t.chart.keywords
        fields = keys["y"] + ((keys["line"],) if keys.get("line") else ())
        assert len(traces) == len(fields), name
        for trace, field in zip(traces, fields):
            axis = "x" if trace.get("orientation") == "h" and trace["type"] == "bar" else "y"
            assert values(trace[axis]) == pytest.approx(numbers(frame[field]), nan_ok=True), (name, field)
        if t.drill:
            assert values(traces[0]["customdata"]) == frame.unit_code.tolist(), name


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_status_pie_counts_the_books_by_status(data_app, level, period_name):
    """One slice per status of the query, sized by its cards."""
    frame = frame_of(data_app, "by_status", level, period_name)
    (pie,) = graph_of(signed_in(data_app, USERS[level]), "by_status", period_name)["data"]
    assert pie["labels"] == frame.status.tolist()
    assert values(pie["values"]) == frame.asset_count.tolist()


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_timeline_follows_the_card_in_the_events_tables_first_row(data_app, level, period_name):
    """The timeline is the life of the card that heads the events table: its events' dates, names
    and the net book value of each day, and the card's number on top."""
    events = frame_of(data_app, "events", level, period_name)
    frame = frame_of(data_app, "timeline", level, period_name)
    assert set(frame.asset_no) == {events.asset_no.iloc[0]}
    assert frame.event.iloc[0] == "购置" and frame.event_date.is_monotonic_increasing
    figure = graph_of(signed_in(data_app, USERS[level]), "timeline", period_name)
    (line,) = figure["data"]
    assert values(line["y"]) == pytest.approx(numbers(frame.net_book_value))
    assert [str(x)[:10] for x in values(line["x"])] == [f"{d:%Y-%m-%d}" for d in frame.event_date]
    assert values(line["text"]) == frame.event.tolist()
    assert events.asset_no.iloc[0] in figure["layout"]["title"]["text"]


def test_the_detail_tables_page_their_queries_on_the_server(data_app):
    """The district head's events of October and fully depreciated cards of 2025: the counts and
    the first rows of the queries."""
    client = signed_in(data_app, USERS["district"])
    for name, period_name, key in (("events", "holiday_month", "event_date"),
                                   ("fully_depreciated", "year", "acquired_date")):
        frame = frame_of(data_app, name, "district", period_name)
        answer = grid_rows(client, "asset", name, QUERIES[period_name],
                           {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}})
        assert answer["rowCount"] == len(frame) > 0
        assert [(r["asset_no"], r[key][:10]) for r in answer["rowData"]] == [
            (r.asset_no, f"{getattr(r, key):%Y-%m-%d}") for r in frame.head(10).itertuples()]


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
    """The export opens with openpyxl: one sheet per tile, titled as the tile, and each number and
    date cell equal to the tile's query (the KPI sheet: the summary now and before)."""
    _name, book, _content = workbook(signed_in(data_app, USERS[level]), "asset", QUERIES[period_name])
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
            shown = tile(client, "asset", t.name, forged)
            assert "不在您的数据范围内" in " ".join(texts(shown)) and not find(shown, "Graph"), t.name
        response = export(client, "asset", forged)
        assert response.status_code == 204 or "asset-download" not in response.get_json()["response"]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's books."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), "asset", "by_unit", query), "Graph")
    books = queries.summary("asset", settings, scope=street, period=custom(*PERIODS["year"]))
    original, net = graph["props"]["figure"]["data"]
    assert values(original["y"]) == pytest.approx([books["original_value"]])
    assert values(net["y"]) == pytest.approx([books["net_book_value"]])
    assert values(original["x"]) == [street.name]
