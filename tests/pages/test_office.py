"""The 行政办公 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
detail tables list the query's rows; the overdue table sorts on the server."""
from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from tests.dashboard.web import texts
from tests.pages.tiles import (NO_DATA, as_rows, grid_rows, page_tiles, tile, view_client, view_frame,
                               view_query)
from tests.support import PERIODS, SCOPE_CODES

PAGE = "office"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city, 东城's
# head at the district and drilled into one of its streets.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None),
         "street": ("dongcheng_dept_head", SCOPE_CODES["street"], SCOPE_CODES["street"])}
# Detail tables -> the KPI metric that counts their rows.
DETAIL_COUNTS = {"overdue": "documents_overdue", "overdue_tasks": "supervision_overdue"}
KPI_METRICS = ["documents", "documents_overdue", "supervision_due", "supervision_on_time",
               "supervision_overdue", "notice_read_rate"]

tiles = partial(page_tiles, "/office")
query_of = partial(view_query, VIEWS)
client_of = partial(view_client, VIEWS)
expected = partial(view_frame, VIEWS)


def detail_tables() -> list:
    """The tiles shown as tables (not the KPI cards)."""
    return [t for t in tiles() if t.chart is None and t.name != "kpi"]


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city; a district head at the district and drilled into a street."""
    return request.param


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
