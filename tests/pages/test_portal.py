"""The 信息平台 page through the Flask test client: every tile shows the numbers of its query for a
city leader and a district head, the most-read table serves the query's rows, the workbook holds
one sheet per tile with the same numbers, and a forged org gets a refusal, not numbers."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard import formats, grid, queries
from dashboard import scope as scopes
from dashboard.exports import HEADER_ROW
from dashboard.formats import DASH
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import export, grid_rows, tile, values, workbook
from tests.support import PERIODS, SCOPE_CODES

PAGE = "portal"
USERS = {"city": "city_leader", "district": "dongcheng_dept_head"}
QUERIES = {name: {"period": "custom", "start": str(start), "end": str(end)}
           for name, (start, end) in PERIODS.items()}


def tiles() -> list:
    """TILES of pages/portal.py as create_app loaded it."""
    return page_module("/portal").TILES


def shown(client, name: str, query: dict):
    """The component a tile of this page returns."""
    return tile(client, PAGE, name, query)


def expected(app, t, level: str, period_name: str):
    """The tile's query for the user's own unit and the period, straight from the function."""
    settings = app.server.config["OA_SETTINGS"]
    start, end = PERIODS[period_name]
    return t.query(settings, scope=scopes.of_code(settings, SCOPE_CODES[level]), period=custom(start, end))


@pytest.fixture(params=list(USERS))
def level(request) -> str:
    """The user's level: a city leader, then a district head."""
    return request.param


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_kpi_cards_show_the_summary(data_app, level, period_name):
    """Each card: the summary's value for the user's unit and its change against the period before."""
    settings = data_app.server.config["OA_SETTINGS"]
    start, end = PERIODS[period_name]
    scope, period = scopes.of_code(settings, SCOPE_CODES[level]), custom(start, end)
    now = queries.summary(PAGE, settings, scope=scope, period=period)
    before = queries.summary(PAGE, settings, scope=scope, period=period.previous())
    text = texts(shown(signed_in(data_app, USERS[level]), "kpi", QUERIES[period_name]))
    metrics = tiles()[0].query.keywords["metrics"]
    assert [m for m, _label, _kind in metrics] == ["articles", "views", "readers", "read_rate", "mobile_share"]
    for metric, label, kind in metrics:
        assert label in text
        assert formats.value(now[metric], kind) in text, metric
        assert f"较上期 {formats.change(now[metric], before[metric], kind)}" in text, metric


@pytest.mark.parametrize("period_name", PERIODS)
def test_every_chart_shows_its_querys_numbers(data_app, level, period_name):
    """Each chart's traces: categories, values (and unit codes for the drill) of its query, a trace
    per field named by the field's header; a query without rows shows the empty state instead."""
    client = signed_in(data_app, USERS[level])
    charts = [t for t in tiles() if t.chart is not None]
    assert [t.name for t in charts] == ["articles_by_unit", "reading_by_unit", "by_column", "by_month"]
    drawn = 0
    for t in charts:
        frame = expected(data_app, t, level, period_name)
        children = shown(client, t.name, QUERIES[period_name])
        if frame.empty:
            assert "本单位本时段没有数据" in " ".join(texts(children)), t.name
            continue
        drawn += 1
        figure = children["props"]["figure"]
        labels = {c.label: c.name for c in t.columns}
        category = t.chart.keywords["x"]
        for trace in figure["data"]:
            field = labels[trace["name"]]
            horizontal = trace.get("orientation") == "h"
            numbers, cats = (trace["x"], trace["y"]) if horizontal else (trace["y"], trace["x"])
            assert values(cats) == frame[category].astype(str).tolist(), (t.name, field)
            want = [None if v is None or v != v else float(v) for v in frame[field]]
            plotted = [None if v is None or v != v else v for v in values(numbers)]  # a gap: no base
            assert plotted == pytest.approx(want), (t.name, field)
            if t.drill and trace["type"] == "bar":  # the line carries no click
                assert values(trace["customdata"]) == frame[t.drill].tolist(), t.name
        keywords = t.chart.keywords
        assert {labels[trace["name"]] for trace in figure["data"]} == (
            set(keywords["y"]) | set(keywords.get("bars", ())) | ({keywords.get("line")} - {None}))
    assert drawn == len(charts) or period_name == "holiday_month"


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_most_read_table_lists_the_querys_rows(data_app, level, period_name):
    """The table's columns are title, column, unit, date...; its rows are the query's, most read first."""
    client = signed_in(data_app, USERS[level])
    (t,) = [t for t in tiles() if t.name == "most_read"]
    frame = expected(data_app, t, level, period_name)
    assert len(frame) > 0 or period_name == "holiday_month"
    if frame.empty:
        return
    defs = shown(client, "most_read", QUERIES[period_name])["props"]["columnDefs"]
    assert [d["field"] for d in defs] == [c.name for c in t.columns]
    got = grid_rows(client, PAGE, "most_read", QUERIES[period_name], {"startRow": 0, "endRow": 100})
    assert got["rowCount"] == len(frame)
    dates = frozenset(c.name for c in t.columns if c.kind == "date")
    assert got["rowData"] == grid.records(frame, dates)
    assert [r["views"] for r in got["rowData"]] == sorted(frame["views"], reverse=True)


def cell(value, kind: str):
    """What openpyxl reads back from the workbook for a query's value of a column kind: numbers
    as numbers, dates as datetimes, a missing rate or number as "—" (METRICS.md)."""
    if value is None or (not isinstance(value, str) and value != value):
        return DASH if kind in ("rate", "hours", "number", "days", "ms") else None
    if kind in ("date", "datetime"):
        return dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value.to_pydatetime()
    if kind in ("count", "rate", "hours", "number"):
        return pytest.approx(float(value))
    return str(value)


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_workbook_has_a_sheet_per_tile_with_the_querys_numbers(data_app, level, period_name):
    """The exported xlsx opens with openpyxl; a sheet per tile, titled as the tile; every cell
    under the header equals the tile's query (KPI values with each row's own kind)."""
    _name, book, _content = workbook(signed_in(data_app, USERS[level]), PAGE, QUERIES[period_name])
    assert book.sheetnames == [t.title for t in tiles()]
    for t in tiles():
        sheet, frame = book[t.title], expected(data_app, t, level, period_name)
        assert sheet.cell(1, 1).value == t.title
        header = [c.value for c in sheet[HEADER_ROW + 1]]
        assert header == [c.label for c in t.columns]
        body = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)]
        assert len(body) == len(frame), t.name
        for row, record in zip(body, frame.to_dict("records")):
            for value, col in zip(row, t.columns):
                kind = {"row": record.get("kind"), "msgid": "text"}.get(col.kind, col.kind)
                got = None if value == "" else value  # an empty text cell reads back as None or ""
                assert got == cell(record[col.name], kind), (t.name, col.name)


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head posts the page's callbacks naming 西城 (or the city): every tile says it is out of
    scope and shows no figure, and no workbook comes back."""
    client = signed_in(data_app, USERS["district"])
    for code in ("110102", SCOPE_CODES["city"]):
        query = {**QUERIES["holiday_month"], "org": code}
        for t in tiles():
            children = shown(client, t.name, query)
            assert "不在您的数据范围内" in " ".join(texts(children)), t.name
            assert "figure" not in children.get("props", {}) and "columnDefs" not in children.get("props", {})
        response = export(client, PAGE, query)
        answer = response.get_json(silent=True) or {}
        assert response.status_code in (200, 204) and "portal-download" not in answer.get("response", {})
