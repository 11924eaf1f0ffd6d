"""Helpers of the module-page tests: post a tile's, a grid's or the export's callback as Dash's
renderer does, read the figure's numbers and the downloaded workbook."""
from __future__ import annotations

import base64
import io
import math
import sys

import dash
import numpy as np
import openpyxl
import pandas as pd
import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import page_module, post_callback, signed_in
from tests.support import PERIODS, SCOPE_CODES

USERS = {"city": "city_leader", "district": "dongcheng_dept_head"}
QUERIES = {name: {"period": "custom", "start": start.isoformat(), "end": end.isoformat()}
           for name, (start, end) in PERIODS.items()}
NO_DATA = "本单位本时段没有数据"
# A view of a page: view name -> (account, the unit shown, the org its URL names; None: the
# account's own unit). OWN_VIEWS: a city leader and a district head at their own units.
OWN_VIEWS = {"city": (USERS["city"], SCOPE_CODES["city"], None),
             "district": (USERS["district"], SCOPE_CODES["district"], None)}

TILE_OUTPUT = '{{"page":"{page}","tile":["MATCH"],"type":"tile"}}.children'
GRID_OUTPUT = '{{"page":"{page}","tile":["MATCH"],"type":"grid"}}.getRowsResponse'


def tile_pages() -> list:
    """The page modules built from tiles (pages/_tiles.py), as create_app loaded them, by path."""
    modules = [sys.modules[p["module"]] for p in dash.page_registry.values()]
    return sorted((m for m in modules if hasattr(m, "TILES")), key=lambda m: m.PATH)


def tile_body(page: str, tile: str, query: dict) -> dict:
    """The body Dash posts when a tile's store is first rendered."""
    return {"output": TILE_OUTPUT.format(page=page),
            "outputs": {"id": {"page": page, "tile": tile, "type": "tile"}, "property": "children"},
            "inputs": [{"id": {"page": page, "tile": tile, "type": "tile-query"}, "property": "data",
                        "value": query}],
            "changedPropIds": [], "state": []}


def tile(client, page: str, name: str, query: dict):
    """The component a tile's callback returns (the JSON of a Dash component)."""
    response = post_callback(client, tile_body(page, name, query))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"][f'{{"page":"{page}","tile":"{name}","type":"tile"}}']["children"]


def grid_rows(client, page: str, name: str, query: dict, request: dict) -> dict:
    """The getRowsResponse of a detail table for a getRowsRequest."""
    body = {"output": GRID_OUTPUT.format(page=page),
            "outputs": {"id": {"page": page, "tile": name, "type": "grid"}, "property": "getRowsResponse"},
            "inputs": [{"id": {"page": page, "tile": name, "type": "grid"}, "property": "getRowsRequest",
                        "value": request}],
            "state": [{"id": {"page": page, "tile": name, "type": "tile-query"}, "property": "data",
                       "value": query}],
            "changedPropIds": [f'{{"page":"{page}","tile":"{name}","type":"grid"}}.getRowsRequest']}
    response = post_callback(client, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"][f'{{"page":"{page}","tile":"{name}","type":"grid"}}']["getRowsResponse"]


def export(client, page: str, query: dict):
    """The response to a click on "导出 Excel"."""
    body = {"output": f"{page}-download.data", "outputs": {"id": f"{page}-download", "property": "data"},
            "inputs": [{"id": f"{page}-export", "property": "n_clicks", "value": 1}],
            "state": [{"id": f"{page}-query", "property": "data", "value": query}],
            "changedPropIds": [f"{page}-export.n_clicks"]}
    return post_callback(client, body)


def workbook(client, page: str, query: dict) -> tuple[str, openpyxl.Workbook, bytes]:
    """(file name, the opened workbook, its bytes) of the page's export."""
    response = export(client, page, query)
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()["response"][f"{page}-download"]["data"]
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    return data["filename"], openpyxl.load_workbook(io.BytesIO(content)), content


def find(node, type_name: str) -> list[dict]:
    """Every component of a type (Graph, AgGrid, Alert, ...) inside a component's JSON."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == type_name:
            found.append(node)
        for value in node.values():
            found += find(value, type_name)
    elif isinstance(node, list):
        for value in node:
            found += find(value, type_name)
    return found


def values(array) -> list:
    """A figure's array as a list: Plotly sends numbers as typed arrays ({dtype, bdata})."""
    if isinstance(array, dict) and "bdata" in array:
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        if "shape" in array:
            return flat.reshape([int(n) for n in str(array["shape"]).split(",")]).tolist()
        return flat.tolist()
    return list(array) if array is not None else []


# The fields a chart builder draws as one bar or line trace each, by its keyword arguments.
TRACE_FIELDS = {
    "bar": lambda k: set(k["y"]) | ({k.get("line")} - {None}),
    "trend": lambda k: set(k["y"]) | set(k.get("bars", ())),
    "capped_bar": lambda k: {k["y"]},
    "pyramid": lambda k: {k["left"], k["right"]},
    "timeline": lambda k: {k["y"]},
}


def assert_chart_is_its_query(tile, frame, figure: dict) -> None:
    """A bar, line, pyramid or timeline chart draws one trace per field of its builder, named by
    the field's header, with the query's categories in order, its values (a pyramid's left side
    negated; a gap where the query has no value) and, when it drills, each unit's code. Other
    charts (heatmaps, calendars, pies, shares) have their own tests."""
    builder = getattr(getattr(tile.chart, "func", None), "__name__", None)  # a partial of dashboard.figures
    if builder not in TRACE_FIELDS:
        return
    keywords = tile.chart.keywords
    labels = {c.label: c.name for c in tile.columns}
    drawn = [labels[trace["name"]] for trace in figure["data"]]
    assert set(drawn) == TRACE_FIELDS[builder](keywords) and len(drawn) == len(set(drawn)), (tile.name, drawn)
    category = keywords.get("x") or keywords.get("band")
    dated = {c.name for c in tile.columns if c.kind in ("date", "datetime")}
    for trace, field in zip(figure["data"], drawn):
        horizontal = trace.get("orientation") == "h"
        numbers, categories = (trace.get("x"), trace.get("y")) if horizontal else (trace.get("y"), trace.get("x"))
        shown = [str(c) for c in values(categories)]
        if category in dated:  # a date axis comes back as ISO timestamps: compare the days
            assert [c[:10] for c in shown] == [str(v)[:10] for v in frame[category]], (tile.name, field)
        else:
            assert shown == frame[category].astype(str).tolist(), (tile.name, field)
        plotted = [None if v is None or v != v else abs(v) for v in values(numbers)]
        want = [None if pd.isna(v) else abs(float(v)) for v in frame[field]]
        assert plotted == pytest.approx(want), (tile.name, field)
        if tile.drill and trace["type"] == "bar":
            assert values(trace["customdata"]) == frame[tile.drill].tolist(), tile.name


def page_tiles(path: str) -> list:
    """TILES of the page at path, as create_app loaded it."""
    return page_module(path).TILES


def tile_named(path: str, name: str):
    """The tile of that name of the page at path."""
    (t,) = [t for t in page_tiles(path) if t.name == name]
    return t


def view_query(views: dict, view: str, period_name: str) -> dict:
    """The URL's filters of a view and one of PERIODS."""
    org = views[view][2]
    return {**QUERIES[period_name], **({"org": org} if org else {})}


def view_client(views: dict, app, view: str):
    """A client signed in as the view's account."""
    return signed_in(app, views[view][0])


def view_frame(views: dict, app, t, view: str, period_name: str) -> pd.DataFrame:
    """A tile's query for the view's unit and one of PERIODS, straight from its function."""
    settings = app.server.config["OA_SETTINGS"]
    return t.query(settings, scope=scopes.of_code(settings, views[view][1]),
                   period=custom(*PERIODS[period_name]))


def named_frame(views: dict, path: str, app, name: str, view: str, period_name: str) -> pd.DataFrame:
    """view_frame of the tile named name of the page at path."""
    return view_frame(views, app, tile_named(path, name), view, period_name)


def period_figure(page: str, client, name: str, period_name: str) -> dict:
    """The figure a chart tile's callback returns for one of PERIODS at the user's own unit."""
    (graph,) = find(tile(client, page, name, QUERIES[period_name]), "Graph")
    return graph["props"]["figure"]


def numbers(series) -> list:
    """A column as plain floats, a missing value as NaN (as a figure's typed array holds it)."""
    return [math.nan if pd.isna(v) else float(v) for v in series]


def as_rows(frame: pd.DataFrame, columns) -> list[dict]:
    """The rows a detail table should receive for a query's frame, written here apart from
    dashboard.grid: dates as YYYY-MM-DD, times to the minute, missing values as None, numbers as
    Python's."""
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
