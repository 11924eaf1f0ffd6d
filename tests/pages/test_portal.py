"""The 信息平台 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
most-read table serves the query's rows, most read first."""
from __future__ import annotations


import pytest

from dashboard import grid
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in
from tests.pages.tiles import grid_rows, tile
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
