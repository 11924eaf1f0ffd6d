"""The 服装 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the unit
chart drills one level down, the detail tables list the query's rows, the forecast table lists
a future season."""
from __future__ import annotations

from functools import partial

import datetime as dt

import pytest

from dashboard import grid
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import texts
from tests.pages.tiles import (NO_DATA, grid_rows, page_tiles, tile, tile_named, view_client, view_frame,
                               view_query)
from tests.support import PERIODS, SCOPE_CODES

PAGE = "uniform"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city, 东城's
# head at the district and drilled into 东华门街道.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None),
         "street": ("dongcheng_dept_head", SCOPE_CODES["street"], SCOPE_CODES["street"])}
NUMBER_KINDS = ("count", "rate", "hours", "number", "days", "money")

tiles = partial(page_tiles, "/uniform")
the_tile = partial(tile_named, "/uniform")
query_of = partial(view_query, VIEWS)
client_of = partial(view_client, VIEWS)
expected = partial(view_frame, VIEWS)


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city; 东城's head at the district, then drilled into a street."""
    return request.param


def test_the_unit_chart_drills_one_level_down(data_app):
    """The bars by unit are the units directly below the one shown (the city's 区局 and 处室, 东城's
    streets) or the unit itself for its own staff, each with its code for the click; a street
    drilled into shows itself."""
    settings = data_app.server.config["OA_SETTINGS"]
    levels = {}
    for view in VIEWS:
        scope = scopes.of_code(settings, VIEWS[view][1])
        codes = expected(data_app, the_tile("by_unit"), view, "year")["unit_code"].tolist()
        units = [scopes.of_code(settings, c) for c in codes]
        assert units and all(u == scope or u.path == f"{scope.path}{u.org_id}/" for u in units), view
        levels[view] = {u.level for u in units}
    assert "区局" in levels["city"] and "街乡镇" in levels["district"]  # the district's own staff: 区局
    assert codes == [SCOPE_CODES["street"]]


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_detail_tables_list_the_querys_rows(data_app, view, period_name):
    """The stock alerts (as many as the KPI counts) and the replacements falling due: their
    columns, and rows equal to the query's."""
    client = client_of(data_app, view)
    summary = expected(data_app, tiles()[0], view, period_name).set_index("metric")["value"]
    for name in ("alerts", "due"):
        t, frame = the_tile(name), expected(data_app, the_tile(name), view, period_name)
        if name == "alerts":
            assert len(frame) == summary["stock_alerts"]
        shown = tile(client, PAGE, name, query_of(view, period_name))
        if frame.empty:
            assert NO_DATA in texts(shown), name
            continue
        assert [d["field"] for d in shown["props"]["columnDefs"]] == [c.name for c in t.columns]
        got = grid_rows(client, PAGE, name, query_of(view, period_name), {"startRow": 0, "endRow": 100})
        assert got["rowCount"] == len(frame)
        assert got["rowData"] == grid.records(frame.head(100))
    # October's month end has stock below safety stock: the alerts table is compared above.
    if period_name == "holiday_month":
        assert summary["stock_alerts"] > 0


def test_the_forecast_table_lists_a_future_season(data_app):
    """For the first quarter of 2027, the district head's forecast table lists the query's rows
    (the small seed's 2025 issues fall due again then)."""
    client = client_of(data_app, "district")
    query = {"period": "custom", "start": "2027-01-01", "end": "2027-03-31"}
    settings = data_app.server.config["OA_SETTINGS"]
    frame = the_tile("due").query(settings, scope=scopes.of_code(settings, SCOPE_CODES["district"]),
                                  period=custom(dt.date(2027, 1, 1), dt.date(2027, 3, 31)))
    assert len(frame) > 0
    got = grid_rows(client, PAGE, "due", query, {"startRow": 0, "endRow": 100})
    assert got["rowCount"] == len(frame) and got["rowData"] == grid.records(frame.head(100))
