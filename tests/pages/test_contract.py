"""The 合同 page's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
detail tables list the query's rows for a leader, a department and a district head; the pending
table sorts on the server."""
from __future__ import annotations


import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import grid_rows, tile
from tests.support import PERIODS, SCOPE_CODES

PAGE = "contract"
DEPARTMENT = "BJCG-11"  # 财务装备处: contracts belong to the 市局's departments
# view -> (account, the unit it shows, the org the URL names): the city leader at the city and
# drilled into a department, and 东城's head, whose district has no contracts of its own.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "department": ("city_leader", DEPARTMENT, DEPARTMENT),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None)}
NO_DATA = "本单位本时段没有数据"
DETAIL_COUNTS = {"pending": "pending", "expiring": "expiring_90"}


def tiles() -> list:
    """TILES of pages/contract.py as create_app loaded it."""
    return page_module("/contract").TILES


def query_of(view: str, period_name: str) -> dict:
    """The URL's filters of a view and one of PERIODS."""
    start, end = PERIODS[period_name]
    org = VIEWS[view][2]
    return {"period": "custom", "start": str(start), "end": str(end), **({"org": org} if org else {})}


def client_of(app, view: str):
    """A client signed in as the view's account."""
    return signed_in(app, VIEWS[view][0])


def expected(app, t, view: str, period_name: str):
    """The tile's query for the view's unit and the period, straight from the function."""
    settings = app.server.config["OA_SETTINGS"]
    return t.query(settings, scope=scopes.of_code(settings, VIEWS[view][1]),
                   period=custom(*PERIODS[period_name]))


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city, then drilled into a department; then a district head."""
    return request.param


def as_rows(frame: pd.DataFrame, columns) -> list[dict]:
    """The rows a detail table should receive for a query's frame: dates as YYYY-MM-DD, times to
    the minute, missing values as None, numbers as Python's."""
    kinds = {c.name: c.kind for c in columns}
    out = []
    for record in frame.to_dict("records"):
        row = {}
        for name, value in record.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                row[name] = None
            elif kinds.get(name) == "date":
                row[name] = f"{pd.Timestamp(value):%Y-%m-%d}"
            elif kinds.get(name) == "datetime":
                row[name] = f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
            else:
                row[name] = value.item() if hasattr(value, "item") else value
        out.append(row)
    return out


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
