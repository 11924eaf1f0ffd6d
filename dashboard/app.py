"""create_app(): Flask with sign-in and the guard, and the Dash application (the shell grows later)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from dash._pages import _path_to_page
from flask import Flask, jsonify

from dashboard import auth, warehouse
from dashboard.config import Settings


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build Flask + Dash with the pages in pages/; refuses a weak secret key; nothing heavy runs here."""
    settings = settings or Settings.from_env()
    # No Flask static folder: Dash serves /assets, and every extra route is one more to guard.
    server = Flask(__name__, static_folder=None)
    server.config["OA_SETTINGS"] = settings
    app = dash.Dash(__name__, server=server, use_pages=True, pages_folder="../pages",
                    external_stylesheets=[dbc.themes.BOOTSTRAP], title="城管执法局 OA 数据分析")
    app.layout = dbc.Container([
        html.Div([
            html.H3("北京市城管执法局 OA 数据分析与报表", className="my-3"),
            html.A("退出登录", href="/logout", className="btn btn-link"),
        ], className="d-flex flex-wrap justify-content-between align-items-center"),
        dash.page_container,
    ], fluid=True)
    auth.init_app(server, settings, stylesheet=dbc.themes.BOOTSTRAP,
                  page_of=lambda pathname: page_of(app, pathname))

    @server.get("/healthz")
    def healthz():
        """Liveness: whether a warehouse is published and when."""
        try:
            runs = warehouse.query(settings, "SELECT max(ended_at) AS as_of FROM etl_run "
                                             "WHERE status = 'published'")
            return jsonify(status="ok", warehouse_as_of=str(runs["as_of"].iloc[0]))
        except warehouse.WarehouseNotPublished:
            return jsonify(status="no warehouse", warehouse_as_of=None), 503

    return app


def page_of(app: dash.Dash, pathname: str) -> str | None:
    """The registered path of the page Dash's router renders for pathname, else the bare path."""
    # The permission map is keyed by these paths. Dash's own (private) matcher resolves them
    # exactly as its router will, so a path spelt differently ("/data/", a template) cannot
    # reach a page under another entry (tests/dashboard/test_permissions.py exercises it).
    try:
        stripped = app.strip_relative_path(pathname) or ""
    except dash.exceptions.UnsupportedRelativePath:
        return None  # the router cannot render it either
    page, _ = _path_to_page(stripped)
    if page:
        return page.get("path_template") or page["path"]
    return "/" + stripped
