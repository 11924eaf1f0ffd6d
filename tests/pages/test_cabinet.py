"""/cabinet's own behaviour (tests/pages/test_tiles.py checks what every page shares): the KPI
cards with the overdue threshold, the daily lines, the weekday by hour heatmap, the waiting
documents' table, a drill into a street."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import signed_in, texts
from tests.pages.tiles import (OWN_VIEWS, QUERIES, USERS, find, grid_rows, named_frame, numbers,
                               period_figure, tile, tile_named, values)
from tests.support import PERIODS, SCOPE_CODES

PAGE = "cabinet"
BAR_TILES = ("by_unit", "by_cabinet", "dwell", "waiting", "utilization", "cards")

the_tile = partial(tile_named, "/cabinet")
frame_of = partial(named_frame, OWN_VIEWS, "/cabinet")
graph_of = partial(period_figure, "cabinet")


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
