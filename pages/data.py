"""数据 (/data): the published ETL runs (the freshness and quarantine views come next)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask import current_app

from dashboard import warehouse

dash.register_page(__name__, path="/data", name="数据运行", title="数据运行", group="数据")


def layout(**_query: str):
    """The last ETL runs as published with the warehouse."""
    settings = current_app.config["OA_SETTINGS"]
    try:
        runs = warehouse.query(settings, "SELECT run_id AS 运行, status AS 状态, mode AS 方式, "
                                         "started_at AS 开始, ended_at AS 结束, error AS 错误 "
                                         "FROM etl_run ORDER BY run_id DESC LIMIT 20")
    except warehouse.WarehouseNotPublished as exc:
        return dbc.Alert(f"尚无数据：{exc}", color="warning")
    published = runs[runs["状态"] == "published"]
    as_of = published["结束"].iloc[0] if len(published) else None
    return html.Div([
        dbc.Badge(f"数据截至 {as_of:%Y-%m-%d %H:%M}" if as_of is not None else "尚未发布",
                  color="info", className="mb-3"),
        dbc.Table.from_dataframe(runs.astype(str), striped=True, bordered=True, size="sm"),
    ])
