"""/cabinet's own behaviour (tests/pages/test_tiles.py checks what every page shares): the KPI
cards with the overdue threshold, the daily lines, the weekday by hour heatmap, the waiting
documents' table, a drill into a street."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import find, grid_rows, tile, values
from tests.support import PERIODS, SCOPE_CODES

PAGE = "cabinet"
USERS = {"city": "city_leader", "district": "dongcheng_dept_head"}
QUERIES = {name: {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
           for name, (start, end) in PERIODS.items()}
BAR_TILES = ("by_unit", "by_cabinet", "dwell", "waiting", "utilization", "cards")


def page():
    """pages/cabinet.py as create_app loaded it."""
    return page_module("/cabinet")


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
def test_kpi_cards_show_the_summary_and_the_overdue_threshold(data_app, level, period_name):
    """Every card: the value of cabinet.summary() for the user's scope, formatted; the overdue
    threshold of the settings stands next to them."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    now = queries.summary(PAGE, settings, scope=scope, period=custom(*PERIODS[period_name]))
    shown = texts(tile(signed_in(data_app, USERS[level]), PAGE, "kpi", QUERIES[period_name]))
    for metric, label, kind in the_tile("kpi").query.keywords["metrics"]:
        assert label in shown and formats.value(now[metric], kind) in shown, metric
    assert any(f"{settings.cabinet_overdue_hours} 小时" in text for text in shown)
    assert now["deposits"] > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_daily_lines_are_the_days_deposits_and_pickups(data_app, level, period_name):
    """One point per day of the period for deposits and for pickups."""
    frame = frame_of(data_app, "by_day", level, period_name)
    traces = graph_of(signed_in(data_app, USERS[level]), "by_day", period_name)["data"]
    assert len(frame) == (PERIODS[period_name][1] - PERIODS[period_name][0]).days + 1
    for trace, field in zip(traces, ("deposits", "pickups")):
        assert [str(x)[:10] for x in values(trace["x"])] == [f"{d:%Y-%m-%d}" for d in frame.day]
        assert values(trace["y"]) == numbers(frame[field])


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_heatmap_counts_deposits_by_weekday_and_hour(data_app, level, period_name):
    """Rows Monday to Sunday, columns 0-23 h, each cell the query's deposits of that hour."""
    frame = frame_of(data_app, "by_hour", level, period_name)
    (heat,) = graph_of(signed_in(data_app, USERS[level]), "by_hour", period_name)["data"]
    assert values(heat["y"]) == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert values(heat["x"]) == list(range(24))
    cells = {(r.weekday, r.hour): r.deposits for r in frame.itertuples()}
    grid = values(heat["z"])
    assert [[cells[(day, hour)] for hour in range(24)] for day in values(heat["y"])] == grid
    assert sum(map(sum, grid)) > 0


def test_the_waiting_documents_table_pages_its_query_on_the_server(data_app):
    """The city leader's documents waiting at the end of October, the district head's at the end
    of 2025: the counts and the first rows of the query, in its order."""
    for level, period_name in (("city", "holiday_month"), ("district", "year")):
        frame = frame_of(data_app, "awaiting", level, period_name)
        answer = grid_rows(signed_in(data_app, USERS[level]), PAGE, "awaiting", QUERIES[period_name],
                           {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}})
        assert answer["rowCount"] == len(frame) > 0
        assert [(r["document_ref"], r["waited_hours"]) for r in answer["rowData"]] == [
            (r.document_ref, pytest.approx(r.waited_hours)) for r in frame.head(10).itertuples()]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's documents: one
    bar, the street's, with the summary's deposits and pickups of 2025."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), PAGE, "by_unit", query), "Graph")
    flows = queries.summary(PAGE, settings, scope=street, period=custom(*PERIODS["year"]))
    deposits, pickups = graph["props"]["figure"]["data"]
    assert values(deposits["y"]) == [flows["deposits"]] and values(pickups["y"]) == [flows["pickups"]]
    assert values(deposits["x"]) == [street.name] and flows["deposits"] > 0
