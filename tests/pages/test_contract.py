"""The 合同 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
detail tables list the query's rows for a leader, a department and a district head; the pending
table sorts on the server."""
from __future__ import annotations

from functools import partial

import pytest

from tests.dashboard.web import texts
from tests.pages.tiles import (NO_DATA, as_rows, grid_rows, page_tiles, tile, view_client, view_frame,
                               view_query)
from tests.support import PERIODS, SCOPE_CODES

PAGE = "contract"
DEPARTMENT = "BJCG-11"  # 财务装备处: contracts belong to the 市局's departments
# view -> (account, the unit it shows, the org the URL names): the city leader at the city and
# drilled into a department, and 东城's head, whose district has no contracts of its own.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "department": ("city_leader", DEPARTMENT, DEPARTMENT),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None)}
DETAIL_COUNTS = {"pending": "pending", "expiring": "expiring_90"}

tiles = partial(page_tiles, "/contract")
query_of = partial(view_query, VIEWS)
client_of = partial(view_client, VIEWS)
expected = partial(view_frame, VIEWS)


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city, then drilled into a department; then a district head."""
    return request.param


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_detail_tables_list_the_querys_rows(data_app, view, period_name):
    """The pending and expiring tables: their columns, and rows equal to the query's, as many as
    the KPI counts (pending, expiring within 90 days)."""
    client = client_of(data_app, view)
    summary = expected(data_app, tiles()[0], view, period_name).set_index("metric")["value"]
    for name, metric in DETAIL_COUNTS.items():
        (t,) = [t for t in tiles() if t.name == name]
        frame = expected(data_app, t, view, period_name)
        assert len(frame) == summary[metric], name
        shown = tile(client, PAGE, name, query_of(view, period_name))
        if frame.empty:
            assert view != "city" and NO_DATA in texts(shown), name
            continue
        assert [d["field"] for d in shown["props"]["columnDefs"]] == [c.name for c in t.columns]
        got = grid_rows(client, PAGE, name, query_of(view, period_name), {"startRow": 0, "endRow": 100})
        assert got["rowCount"] == len(frame)
        assert got["rowData"] == as_rows(frame.head(100), t.columns)


def test_the_pending_table_sorts_on_the_server(data_app):
    """The city leader sorts the year's pending contracts by amount: the server answers the
    query's rows in that order."""
    client = client_of(data_app, "city")
    (t,) = [t for t in tiles() if t.name == "pending"]
    frame = expected(data_app, t, "city", "year")
    got = grid_rows(client, PAGE, "pending", query_of("city", "year"), {
        "startRow": 0, "endRow": 100, "sortModel": [{"colId": "amount", "sort": "desc"}]})
    assert len(frame) > 1
    assert [r["amount"] for r in got["rowData"]] == sorted(frame["amount"].tolist(), reverse=True)
