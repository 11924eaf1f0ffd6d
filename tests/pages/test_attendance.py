"""/attendance: each tile, posted as a city leader and a district head, shows its query's numbers
(the KPI cards, the bars by unit and month, the calendar's cells and marks, the gaps table); the
workbook holds one sheet per tile with the same numbers; a forged org gets a refusal."""
from __future__ import annotations

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
    """pages/attendance.py as create_app loaded it."""
    return page_module("/attendance")


def frame_of(app, name: str, level: str, period_name: str) -> pd.DataFrame:
    """The tile's query for the user's own scope and the period."""
    settings = app.server.config["OA_SETTINGS"]
    (t,) = [t for t in page().TILES if t.name == name]
    return t.query(settings, scope=scopes.of_code(settings, SCOPE_CODES[level]),
                   period=custom(*PERIODS[period_name]))


def numbers(series) -> list:
    """A column as plain floats, a missing value as NaN (as a figure's typed array holds it)."""
    return [math.nan if pd.isna(v) else float(v) for v in series]


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_kpi_cards_show_the_summary(data_app, level, period_name):
    """Every card: the value of attendance.summary() for the user's scope, formatted."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    now = queries.summary("attendance", settings, scope=scope, period=custom(*PERIODS[period_name]))
    shown = texts(tile(signed_in(data_app, USERS[level]), "attendance", "kpi", QUERIES[period_name]))
    (kpi,) = [t for t in page().TILES if t.name == "kpi"]
    for metric, label, kind in kpi.query.keywords["metrics"]:
        assert label in shown and formats.value(now[metric], kind) in shown, metric


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_charts_plot_their_queries_numbers(data_app, level, period_name):
    """Each bar and line is a column of its query, in the query's order; a by-unit chart's bars
    carry the unit codes, so a click drills into that unit."""
    client = signed_in(data_app, USERS[level])
    for t in page().TILES:
        if t.chart is None or t.name in ("kpi", "calendar"):
            continue
        frame = frame_of(data_app, t.name, level, period_name)
        (graph,) = find(tile(client, "attendance", t.name, QUERIES[period_name]), "Graph")
        traces = graph["props"]["figure"]["data"]
        fields = t.chart.keywords["y"] + ((t.chart.keywords["line"],) if t.chart.keywords.get("line") else ())
        assert len(traces) == len(fields), t.name
        for trace, field in zip(traces, fields):
            assert values(trace["y"]) == pytest.approx(numbers(frame[field]), nan_ok=True), (t.name, field)
        if t.drill:
            assert values(traces[0]["customdata"]) == frame.unit_code.tolist(), t.name


@pytest.mark.parametrize("level", USERS)
def test_the_calendar_colours_each_workday_by_its_rate_and_marks_holidays(data_app, level):
    """October 2025: a cell per day, the rate of each day with staff expected as its colour, 休 on
    the 国庆 days and 班 on the 调休 Saturday in the cells' text."""
    frame = frame_of(data_app, "calendar", level, "holiday_month")
    shown = tile(signed_in(data_app, USERS[level]), "attendance", "calendar", QUERIES["holiday_month"])
    (graph,) = find(shown, "Graph")
    off, rated = graph["props"]["figure"]["data"]

    def cells(trace) -> dict:
        """Day (from the hover data) -> the cell's value, for the cells the trace colours."""
        return {day[0]: v for z_row, days in zip(trace["z"], trace["customdata"])
                for v, day in zip(z_row, days) if v is not None}
    rates = {f"{d:%Y-%m-%d}": r for d, r in zip(frame.date_day, frame.attendance_rate) if pd.notna(r)}
    assert cells(rated) == pytest.approx(rates) and len(rates) > 15
    assert set(cells(off)) == {f"{d:%Y-%m-%d}" for d in frame.date_day} - set(rates)
    marks = " ".join(t for row in off["text"] + rated["text"] for t in row)
    assert marks.count("休") == 8 and marks.count("班") == 1


def test_the_gaps_table_pages_its_query_on_the_server(data_app):
    """The district head's roster gaps of 2025: the count and the first rows of the query."""
    frame = frame_of(data_app, "duty_gaps", "district", "year")
    answer = grid_rows(signed_in(data_app, USERS["district"]), "attendance", "duty_gaps", QUERIES["year"],
                       {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}})
    assert answer["rowCount"] == len(frame) > 0
    assert [(r["unit_code"], r["first_date"], r["days"]) for r in answer["rowData"]] == [
        (r.unit_code, r.first_date.isoformat(), r.days) for r in frame.head(10).itertuples()]


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_workbook_has_a_sheet_per_tile_with_the_queries_numbers(data_app, period_name):
    """The district head's export opens with openpyxl: one sheet per tile, titled as the tile, and
    each numeric or date cell equal to the tile's query."""
    _name, book, _content = workbook(signed_in(data_app, USERS["district"]), "attendance", QUERIES[period_name])
    tiles = page().TILES
    assert book.sheetnames == [t.title for t in tiles]
    for ws, t in zip(book.worksheets, tiles):
        frame = frame_of(data_app, t.name, "district", period_name)
        assert ws.max_row == 4 + len(frame), t.name
        for i, col in enumerate(t.columns, start=1):
            got = [ws.cell(r, i).value for r in range(5, 5 + len(frame))]
            if col.kind in ("date",):
                assert [g.date() for g in got] == [pd.Timestamp(v).date() for v in frame[col.name]]
            elif col.kind not in ("text", "msgid", "row"):
                want = numbers(frame[col.name])
                assert [math.nan if g in (None, "—") else g for g in got] == pytest.approx(want, nan_ok=True), \
                    (t.name, col.name)
        if t.name == "kpi":
            got = [ws.cell(r, 2).value for r in range(5, 5 + len(frame))]
            assert [math.nan if g in (None, "—") else g for g in got] == pytest.approx(
                numbers(frame.value), nan_ok=True)


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head names 西城 or the city: every tile refuses, the export sends nothing."""
    client = signed_in(data_app, USERS["district"])
    for code in ("110102", SCOPE_CODES["city"]):
        forged = {**QUERIES["holiday_month"], "org": code}
        for t in page().TILES:
            shown = tile(client, "attendance", t.name, forged)
            assert "不在您的数据范围内" in " ".join(texts(shown)) and not find(shown, "Graph"), t.name
        answer = export(client, "attendance", forged)  # no download: nothing (204) or no output
        assert answer.status_code == 204 or "attendance-download" not in answer.get_json()["response"]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's numbers."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), "attendance", "by_unit", query), "Graph")
    rates = queries.summary("attendance", settings, scope=street, period=custom(*PERIODS["year"]))
    line = graph["props"]["figure"]["data"][-1]
    assert values(line["y"]) == pytest.approx([rates["attendance_rate"]])
    assert values(line["x"]) == [street.name]
