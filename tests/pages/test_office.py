"""The 行政办公 page through the Flask test client: every tile shows the numbers of its query for a
city leader and a district head (at the district and drilled into a street), the detail tables list
the query's rows, the workbook holds one sheet per tile with the same numbers, and a forged org
gets a refusal, not numbers."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.exports import HEADER_ROW
from dashboard.formats import DASH
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import export, grid_rows, tile, values, workbook
from tests.support import PERIODS, SCOPE_CODES

PAGE = "office"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city, 东城's
# head at the district and drilled into one of its streets.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None),
         "street": ("dongcheng_dept_head", SCOPE_CODES["street"], SCOPE_CODES["street"])}
NO_DATA = "本单位本时段没有数据"
# Detail tables -> the KPI metric that counts their rows.
DETAIL_COUNTS = {"overdue": "documents_overdue", "overdue_tasks": "supervision_overdue"}
KPI_METRICS = ["documents", "documents_overdue", "supervision_due", "supervision_on_time",
               "supervision_overdue", "notice_read_rate"]


def tiles() -> list:
    """TILES of pages/office.py as create_app loaded it."""
    return page_module("/office").TILES


def detail_tables() -> list:
    """The tiles shown as tables (not the KPI cards)."""
    return [t for t in tiles() if t.chart is None and t.name != "kpi"]


def query_of(view: str, period_name: str) -> dict:
    """The URL's filters of a view and one of PERIODS."""
    start, end = PERIODS[period_name]
    org = VIEWS[view][2]
    return {"period": "custom", "start": str(start), "end": str(end), **({"org": org} if org else {})}


def client_of(app, view: str):
    """A client signed in as the view's account."""
    return signed_in(app, VIEWS[view][0])


def expected(app, t, view: str, period_name: str):
    """The tile's query for the view's unit and the period, straight from the function."""
    settings = app.server.config["OA_SETTINGS"]
    return t.query(settings, scope=scopes.of_code(settings, VIEWS[view][1]),
                   period=custom(*PERIODS[period_name]))


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city; a district head at the district and drilled into a street."""
    return request.param


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_kpi_cards_show_the_summary(data_app, view, period_name):
    """Each card: the summary's value for the view's unit and its change against the period before."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope, period = scopes.of_code(settings, VIEWS[view][1]), custom(*PERIODS[period_name])
    now = queries.summary(PAGE, settings, scope=scope, period=period)
    before = queries.summary(PAGE, settings, scope=scope, period=period.previous())
    text = texts(tile(client_of(data_app, view), PAGE, "kpi", query_of(view, period_name)))
    metrics = tiles()[0].query.keywords["metrics"]
    assert [m for m, _label, _kind in metrics] == KPI_METRICS
    for metric, label, kind in metrics:
        assert label in text
        assert formats.value(now[metric], kind) in text, metric
        assert f"较上期 {formats.change(now[metric], before[metric], kind)}" in text, metric
    if view == "city":
        assert now["documents"] > 0 and now["notice_read_rate"] is not None


@pytest.mark.parametrize("period_name", PERIODS)
def test_every_chart_shows_its_querys_numbers(data_app, view, period_name):
    """Each chart's traces: categories, values (and unit codes for the drill) of its query, a trace
    per field named by the field's header; where the query has no rows, the tile says so and draws
    nothing (never for the city)."""
    client = client_of(data_app, view)
    charts = [t for t in tiles() if t.chart is not None]
    assert len(charts) == len(tiles()) - 1 - len(detail_tables())
    for t in charts:
        frame = expected(data_app, t, view, period_name)
        shown = tile(client, PAGE, t.name, query_of(view, period_name))
        if frame.empty:
            assert view != "city", t.name
            assert NO_DATA in texts(shown) and "figure" not in shown.get("props", {}), t.name
            continue
        figure = shown["props"]["figure"]
        labels = {c.label: c.name for c in t.columns}
        category = t.chart.keywords["x"]
        for trace in figure["data"]:
            field = labels[trace["name"]]
            horizontal = trace.get("orientation") == "h"
            numbers, cats = (trace["x"], trace["y"]) if horizontal else (trace["y"], trace["x"])
            assert values(cats) == frame[category].astype(str).tolist(), (t.name, field)
            want = [None if v is None or v != v else float(v) for v in frame[field]]
            plotted = [None if v is None or v != v else v for v in values(numbers)]  # a gap: no cycle
            assert plotted == pytest.approx(want), (t.name, field)
            if t.drill and trace["type"] == "bar":  # the line carries no click
                assert values(trace["customdata"]) == frame[t.drill].tolist(), t.name
        keywords = t.chart.keywords
        assert {labels[trace["name"]] for trace in figure["data"]} == (
            set(keywords["y"]) | set(keywords.get("bars", ())) | ({keywords.get("line")} - {None}))


def as_rows(frame: pd.DataFrame, columns) -> list[dict]:
    """The rows a detail table should receive for a query's frame: dates as YYYY-MM-DD, times to
    the minute, missing values as None, numbers as Python's."""
    kinds = {c.name: c.kind for c in columns}
    out = []
    for record in frame.to_dict("records"):
        row = {}
        for name, value in record.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                row[name] = None
            elif kinds.get(name) == "date":
                row[name] = f"{pd.Timestamp(value):%Y-%m-%d}"
            elif kinds.get(name) == "datetime":
                row[name] = f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
            else:
                row[name] = value.item() if hasattr(value, "item") else value
        out.append(row)
    return out


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_detail_tables_list_the_querys_rows(data_app, view, period_name):
    """The detail tables: their columns, and rows equal to the query's (the overdue lists as many
    as the KPI counts)."""
    client = client_of(data_app, view)
    summary = expected(data_app, tiles()[0], view, period_name).set_index("metric")["value"]
    assert {t.name for t in detail_tables()} == set(DETAIL_COUNTS) | {"notices"}
    for t in detail_tables():
        name = t.name
        frame = expected(data_app, t, view, period_name)
        if name in DETAIL_COUNTS:
            assert len(frame) == summary[DETAIL_COUNTS[name]], name
        shown = tile(client, PAGE, name, query_of(view, period_name))
        if frame.empty:
            assert NO_DATA in texts(shown), name
            continue
        assert [d["field"] for d in shown["props"]["columnDefs"]] == [c.name for c in t.columns]
        got = grid_rows(client, PAGE, name, query_of(view, period_name), {"startRow": 0, "endRow": 100})
        assert got["rowCount"] == len(frame)
        assert got["rowData"] == as_rows(frame.head(100), t.columns)


def test_the_overdue_table_sorts_on_the_server(data_app):
    """The city leader sorts October's overdue documents by registration time: the server answers
    the query's rows in that order."""
    client = client_of(data_app, "city")
    (t,) = [t for t in tiles() if t.name == "overdue"]
    frame = expected(data_app, t, "city", "holiday_month")
    got = grid_rows(client, PAGE, "overdue", query_of("city", "holiday_month"), {
        "startRow": 0, "endRow": 100, "sortModel": [{"colId": "registered_at", "sort": "desc"}]})
    assert len(frame) > 0
    want = sorted(frame["registered_at"], reverse=True)
    assert [r["registered_at"] for r in got["rowData"]] == [f"{pd.Timestamp(v):%Y-%m-%d %H:%M}" for v in want]


def cell(value, kind: str):
    """What openpyxl reads back from the workbook for a query's value of a column kind: numbers
    as numbers, dates as datetimes, a missing number as "—" (METRICS.md)."""
    if value is None or (not isinstance(value, str) and value != value):
        return DASH if kind in ("rate", "hours", "number", "days", "money", "count") else None
    if kind in ("date", "datetime"):
        return dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value.to_pydatetime()
    if kind in ("count", "rate", "hours", "number", "days", "money"):
        return pytest.approx(float(value))
    return str(value)


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_workbook_has_a_sheet_per_tile_with_the_querys_numbers(data_app, view, period_name):
    """The exported xlsx opens with openpyxl; a sheet per tile, titled as the tile; every cell
    under the header equals the tile's query (KPI values with each row's own kind)."""
    _name, book, _content = workbook(client_of(data_app, view), PAGE, query_of(view, period_name))
    assert book.sheetnames == [t.title for t in tiles()]
    for t in tiles():
        sheet, frame = book[t.title], expected(data_app, t, view, period_name)
        assert sheet.cell(1, 1).value == t.title
        assert [c.value for c in sheet[HEADER_ROW + 1]] == [c.label for c in t.columns]
        body = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)]
        assert len(body) == len(frame), t.name
        assert len(body) > 0 or view != "city" or t.name in DETAIL_COUNTS, t.name
        for row, record in zip(body, frame.to_dict("records")):
            for value, col in zip(row, t.columns):
                kind = {"row": record.get("kind"), "msgid": "text"}.get(col.kind, col.kind)
                got = None if value == "" else value  # an empty text cell reads back as None or ""
                assert got == cell(record[col.name], kind), (t.name, col.name)


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head posts the page's callbacks naming 西城, the city or a city department: every tile
    says it is out of scope and shows no figure, and no workbook comes back."""
    client = client_of(data_app, "district")
    for code in ("110102", SCOPE_CODES["city"], "BJCG-11"):
        query = {**query_of("district", "holiday_month"), "org": code}
        for t in tiles():
            children = tile(client, PAGE, t.name, query)
            assert "不在您的数据范围内" in " ".join(texts(children)), t.name
            assert "figure" not in children.get("props", {}) and "columnDefs" not in children.get("props", {})
        response = export(client, PAGE, query)
        answer = response.get_json(silent=True) or {}
        assert response.status_code in (200, 204) and "office-download" not in answer.get("response", {})
