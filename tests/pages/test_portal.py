"""The 信息平台 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
most-read table serves the query's rows, most read first."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import grid
from tests.dashboard.web import signed_in
from tests.pages.tiles import OWN_VIEWS, QUERIES, USERS, grid_rows, page_tiles, tile, view_frame
from tests.support import PERIODS

PAGE = "portal"

tiles = partial(page_tiles, "/portal")
expected = partial(view_frame, OWN_VIEWS)


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
    defs = tile(client, PAGE, "most_read", QUERIES[period_name])["props"]["columnDefs"]
    assert [d["field"] for d in defs] == [c.name for c in t.columns]
    got = grid_rows(client, PAGE, "most_read", QUERIES[period_name], {"startRow": 0, "endRow": 100})
    assert got["rowCount"] == len(frame)
    dates = frozenset(c.name for c in t.columns if c.kind == "date")
    assert got["rowData"] == grid.records(frame, dates)
    assert [r["views"] for r in got["rowData"]] == sorted(frame["views"], reverse=True)
