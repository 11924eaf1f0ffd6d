"""The 网络教学 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
overdue table lists the query's rows and a department head sorts and filters it on the server."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import grid
from tests.dashboard.web import signed_in
from tests.pages.tiles import OWN_VIEWS, QUERIES, USERS, grid_rows, page_tiles, tile, view_frame
from tests.support import PERIODS

PAGE = "training"

tiles = partial(page_tiles, "/training")
expected = partial(view_frame, OWN_VIEWS)


@pytest.fixture(params=list(USERS))
def level(request) -> str:
    """The user's level: a city leader, then a district head."""
    return request.param


def overdue_rows(client, query: dict, request: dict) -> dict:
    """The overdue table's rows for one getRowsRequest of the grid."""
    return grid_rows(client, PAGE, "overdue", query, request)


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_overdue_table_lists_the_querys_rows(data_app, level, period_name):
    """The table's columns are person, unit, course, deadline, days overdue, progress...; its rows
    are the query's, most overdue first, as many as the KPI counts."""
    client = signed_in(data_app, USERS[level])
    (t,) = [t for t in tiles() if t.name == "overdue"]
    frame = expected(data_app, t, level, period_name)
    defs = tile(client, PAGE, "overdue", QUERIES[period_name])["props"]["columnDefs"]
    assert [d["field"] for d in defs][:7] == ["employee_no", "name", "unit_name", "title", "deadline_date",
                                            "days_overdue", "progress"]
    got = overdue_rows(client, QUERIES[period_name], {"startRow": 0, "endRow": 100})
    summary = expected(data_app, tiles()[0], level, period_name)
    assert got["rowCount"] == len(frame) == summary.set_index("metric")["value"]["overdue"] > 0
    dates = frozenset(c.name for c in t.columns if c.kind == "date")
    assert got["rowData"] == grid.records(frame.head(100), dates)
    assert got["rowData"][0]["deadline_date"] == frame["deadline_date"].iloc[0].date().isoformat()


def test_a_department_head_sorts_and_filters_the_overdue_table(data_app):
    """东城's head narrows the year's list to one street and sorts it by progress: the server
    answers exactly those rows in that order."""
    client = signed_in(data_app, USERS["district"])
    (t,) = [t for t in tiles() if t.name == "overdue"]
    frame = expected(data_app, t, "district", "year")
    street = frame["unit_name"].value_counts().index[0]
    got = overdue_rows(client, QUERIES["year"], {
        "startRow": 0, "endRow": 100, "sortModel": [{"colId": "progress", "sort": "asc"}],
        "filterModel": {"unit_name": {"filterType": "text", "type": "equals", "filter": street}}})
    mine = frame[frame["unit_name"] == street]
    assert got["rowCount"] == len(mine) > 0
    assert [r["unit_name"] for r in got["rowData"]] == [street] * len(mine)
    assert [r["progress"] for r in got["rowData"]] == sorted(mine["progress"].tolist())
