"""create_app(): the Flask server and the Dash application (the shell grows with the app issue)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask import Flask, jsonify

from dashboard import warehouse
from dashboard.config import Settings


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build Flask + Dash with the pages in pages/; nothing heavy runs here."""
    settings = settings or Settings.from_env()
    server = Flask(__name__)
    server.config["OA_SETTINGS"] = settings
    app = dash.Dash(__name__, server=server, use_pages=True, pages_folder="../pages",
                    external_stylesheets=[dbc.themes.BOOTSTRAP], title="城管执法局 OA 数据分析")
    app.layout = dbc.Container([
        html.H3("北京市城管执法局 OA 数据分析与报表", className="my-3"),
        dash.page_container,
    ], fluid=True)

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
