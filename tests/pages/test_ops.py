"""The 运维服务 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
detail tables list the query's rows, at the city, drilled into a street and for a district head."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import grid
from tests.dashboard.web import texts
from tests.pages.tiles import NO_DATA, grid_rows, page_tiles, tile, view_client, view_frame, view_query
from tests.support import PERIODS, SCOPE_CODES

PAGE = "ops"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city and
# drilled into a street, and 东城's head (inspections, availability and major events are the city's).
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "street": ("city_leader", SCOPE_CODES["street"], SCOPE_CODES["street"]),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None)}
DETAILS = ("backlog", "breaches", "fixes", "major_events", "comments")

tiles = partial(page_tiles, "/ops")
query_of = partial(view_query, VIEWS)
client_of = partial(view_client, VIEWS)
expected = partial(view_frame, VIEWS)


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city, then drilled into a street; then a district head."""
    return request.param


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_detail_tables_list_the_querys_rows(data_app, view, period_name):
    """The backlog, breaches, fixes, major events and comments: their columns and rows equal to the
    query's; the backlog is as long as the open-tickets card."""
    client = client_of(data_app, view)
    summary = expected(data_app, tiles()[0], view, period_name).set_index("metric")["value"]
    for name in DETAILS:
        (t,) = [t for t in tiles() if t.name == name]
        frame = expected(data_app, t, view, period_name)
        if name == "backlog":
            assert len(frame) == summary["open_tickets"]
        shown = tile(client, PAGE, name, query_of(view, period_name))
        if frame.empty:
            assert view != "city" and NO_DATA in texts(shown), name
            continue
        assert [d["field"] for d in shown["props"]["columnDefs"]] == [c.name for c in t.columns]
        got = grid_rows(client, PAGE, name, query_of(view, period_name), {"startRow": 0, "endRow": 100})
        assert got["rowCount"] == len(frame)
        assert got["rowData"] == grid.records(frame.head(100))
