"""What every module page shares: a page is a list of Tiles (KPI cards, charts, detail tables);
this file lays them out under a breadcrumb and an "导出 Excel" button and registers the page's
three server callbacks (a tile, a table's rows, the workbook). Dash skips files named _*.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html, no_update
from flask import current_app

from dashboard import cache, components, context, exports, formats, grid, i18n, warehouse
from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.exports import Column
from dashboard.i18n import N_, _

TILE, TILE_QUERY, GRID = "tile", "tile-query", "grid"
DRILL = components.DRILL
TRAIL = "trail"  # the breadcrumb: a tile of every page, filled by the same callback
# Columns of the KPI tile (queries.kpis); "label" holds msgids, translated when shown or written.
KPI_COLUMNS = (Column("label", N_("指标"), "msgid"), Column("value", N_("本期"), exports.ROW_KIND),
               Column("previous", N_("上期"), exports.ROW_KIND))


@dataclass(frozen=True)
class Tile:
    """One tile: a query (settings, *, scope, period) -> DataFrame, its columns, and how it shows:
    chart (frame, columns) -> Figure; none: a detail table. drill names the unit-code field a
    click narrows the page to."""

    name: str
    title: str
    query: Callable[..., pd.DataFrame]
    columns: tuple[Column, ...]
    chart: Callable | None = None
    width: int = 6
    drill: str | None = None
    note: Callable[..., str] | None = field(default=None, compare=False)


def kpi_tile(module: str, metrics: tuple[tuple[str, str, str], ...],
             note: Callable[..., str] | None = None) -> Tile:
    """The KPI cards of a module: (metric of its summary(), label msgid, kind), each with the change
    against the previous period; note(settings) may show a setting next to them."""
    return Tile("kpi", N_("关键指标"), partial(kpis, module, metrics=metrics), KPI_COLUMNS,
                width=12, note=note)


def kpis(module: str, settings, *, scope, period, metrics: tuple[tuple[str, str, str], ...]) -> pd.DataFrame:
    """The KPI tile's table: one row per (metric, label, kind) of metrics, with its value now and
    in the previous period from the module's summary() (cached, as the overview asks the same):
    columns metric, label, kind, value, previous."""
    now = cache.summary(settings, module, scope, period)
    before = cache.summary(settings, module, scope, period.previous())
    return pd.DataFrame([{"metric": m, "label": label, "kind": kind, "value": now.get(m),
                          "previous": before.get(m)} for m, label, kind in metrics],
                        columns=["metric", "label", "kind", "value", "previous"])


def layout(page: str, title: str, tiles: list[Tile], query: dict) -> html.Div:
    """The page: title, breadcrumb and export button, then the tiles, each filling itself."""
    def slot(name: str):
        return [dcc.Store(id={"type": TILE_QUERY, "page": page, "tile": name}, data=query),
                html.Div(components.empty_state(_("加载中…")), id={"type": TILE, "page": page, "tile": name})]

    head = dbc.Row([
        dbc.Col([html.H4(_(title), className="mb-1"), html.Div(slot(TRAIL)[1], className="small")],
                xs=12, md=8),
        dbc.Col([dbc.Button(_("导出 Excel"), id=f"{page}-export", color="primary", outline=True, size="sm"),
                 dcc.Download(id=f"{page}-download")], xs=12, md=4, className="text-md-end mt-2 mt-md-0"),
    ], className="mb-3 align-items-center")
    cards = [components.tile_card(_(t.title), slot(t.name), t.width) for t in tiles]
    return html.Div([dcc.Store(id=f"{page}-query", data=query), slot(TRAIL)[0], head, dbc.Row(cards)])


def register(page: str, path: str, title: str, tiles: list[Tile]) -> None:
    """Register the page's server callbacks: every tile (MATCH on its name), the rows of its detail
    tables, and the workbook of all tiles (permissions.module_page lists their outputs)."""
    by_name = {t.name: t for t in tiles}

    @callback(Output({"type": TILE, "page": page, "tile": MATCH}, "children"),
              Input({"type": TILE_QUERY, "page": page, "tile": MATCH}, "data"))
    def update_tile(query):
        """One tile for the URL's scope and period: cards, a chart, a table, or why there is none."""
        name = ctx.outputs_list["id"]["tile"]
        try:
            view = context.view(_settings(), query or {})
            if name == TRAIL:
                return _trail(path, view, query or {})
            tile = by_name[name]
            # The built tile is kept too (per language): building a chart costs more than a cached
            # query's answer, for every reader of the same scope and period.
            return cache.scoped(_settings(), f"view:{page}:{name}:{i18n.lang()}", view.scope, view.period,
                                lambda: _render(page, tile, tile_frame(page, tile, view)))
        except (scopes.OutOfScope, periods.BadPeriod) as exc:
            return components.empty_state(i18n.error_text(exc))
        except warehouse.WarehouseNotPublished:
            return components.empty_state(_("尚无已发布的数据"))
        except Exception:  # one tile's failure must not leave it loading for ever
            current_app.logger.exception("tile %s/%s", page, name)
            return components.empty_state(_("暂时无法计算（错误已记录）"))

    @callback(Output({"type": GRID, "page": page, "tile": MATCH}, "getRowsResponse"),
              Input({"type": GRID, "page": page, "tile": MATCH}, "getRowsRequest"),
              State({"type": TILE_QUERY, "page": page, "tile": MATCH}, "data"),
              prevent_initial_call=True)
    def update_grid_rows(request, query):
        """The block of a detail table's rows the grid asks for, sorted and filtered on the server."""
        tile = by_name.get(ctx.outputs_list["id"]["tile"])
        if tile is None or not request:
            return no_update
        view = context.view(_settings(), query or {})
        dates = frozenset(c.name for c in tile.columns if c.kind == "date")
        frame, _columns = translated(tile_frame(page, tile, view), tile.columns)  # msgid values in the reader's language
        return grid.rows(frame, request, dates)

    @callback(Output(f"{page}-download", "data"), Input(f"{page}-export", "n_clicks"),
              State(f"{page}-query", "data"), prevent_initial_call=True)
    def export_workbook(_clicks, query):
        """The page as one workbook: a sheet per tile, from the same queries as the screen."""
        try:
            view = context.view(_settings(), query or {})
        except (scopes.OutOfScope, periods.BadPeriod):
            return no_update  # the tiles already say why; nothing to download
        content = workbook(page, title, tiles, view)
        name = f"{_(title)}_{view.scope.name}_{view.period.start}_{view.period.end}.xlsx"
        return dcc.send_bytes(content, name)


def workbook(page: str, title: str, tiles: list[Tile], view) -> bytes:
    """The xlsx bytes of a page's tiles for a view (the export button; tests read it too)."""
    as_of = warehouse.as_of(_settings())
    heading = _("单位：{unit}　时段：{period}　数据截至：{as_of}").format(
        unit=view.scope.name, period=components.period_label(view.period),
        as_of=f"{as_of:%Y-%m-%d %H:%M}" if as_of else "—")
    sheets = [exports.Sheet(_(t.title), *translated(tile_frame(page, t, view), t.columns)) for t in tiles]
    return exports.workbook(heading, sheets)


def _settings():
    return current_app.config["OA_SETTINGS"]


def tile_frame(page: str, tile: Tile, view) -> pd.DataFrame:
    """The tile's query for the view, cached per warehouse version, scope and period."""
    settings = _settings()
    return cache.scoped(settings, f"tile:{page}:{tile.name}", view.scope, view.period,
                        lambda: tile.query(settings, scope=view.scope, period=view.period))


def translated(frame: pd.DataFrame, columns: tuple[Column, ...]) -> tuple[pd.DataFrame, tuple]:
    """Headers in the reader's language; msgid columns' values too (shown as text)."""
    frame = frame.copy()
    out = []
    for col in columns:
        kind = col.kind
        if kind == "msgid":
            # A dict of the few distinct values: a call per row cost half a second on a long table.
            words = {v: _(v) for v in frame[col.name].dropna().unique() if isinstance(v, str)}
            frame[col.name] = frame[col.name].map(lambda v: words.get(v, v))
            kind = "text"
        out.append(Column(col.name, _(col.label), kind))
    return frame, tuple(out)


def _render(page: str, tile: Tile, frame: pd.DataFrame):
    if tile.name == "kpi":
        lang = i18n.lang()
        items = [(_(r.label), formats.value(_none(r.value), r.kind, lang),
                  formats.change(_none(r.value), _none(r.previous), r.kind, lang)) for r in frame.itertuples()]
        return components.kpi_strip(items, tile.note(_settings()) if tile.note else "")
    if frame.empty:
        return components.empty_state(_("本单位本时段没有数据"))
    frame, columns = translated(frame, tile.columns)
    if tile.chart is None:
        return components.grid({"type": GRID, "page": page, "tile": tile.name}, list(columns))
    figure = tile.chart(frame, {c.name: c for c in columns})
    graph_id = {"type": DRILL, "page": page, "tile": tile.name} if tile.drill else f"{page}-{tile.name}-chart"
    return dcc.Graph(id=graph_id, figure=figure, config={**i18n.graph_config(), "displaylogo": False},
                     className="drillable" if tile.drill else "")


def _none(value):
    return None if value is None or pd.isna(value) else value


def _trail(path: str, view, query: dict):
    """The breadcrumb from the user's own unit to the one shown; each step keeps the period."""
    def href(unit) -> str:
        kept = {k: v for k, v in query.items() if k in components.FILTER_KEYS and k != "org" and v}
        if unit != view.own:
            kept["org"] = unit.code
        return f"{path}?{urlencode(kept)}" if kept else path
    return components.breadcrumb(scopes.trail(_settings(), view.own, view.scope), href)
