"""概览 (/): one KPI card per module and ops, each with its change against the previous period."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, callback, ctx, dcc, html
from flask import current_app

from dashboard import cache, components, context, formats, queries
from dashboard import period as periods
from dashboard import scope as scopes

dash.register_page(__name__, path="/", name="概览", title="概览", order=0)

CARD = "overview-card"
QUERY = "overview-query"
# module -> card title and its lines: (metric of METRICS.md, label, kind of number).
CARDS = {
    "hr": ("人员", [("headcount", "在岗人数", "count"), ("fill_rate", "编制满编率", "rate")]),
    "attendance": ("考勤", [("attendance_rate", "出勤率", "rate")]),
    "office": ("行政办公", [("documents_overdue", "公文逾期", "count"),
                          ("supervision_overdue", "督办逾期", "count")]),
    "contract": ("合同", [("pending", "待审批", "count"), ("expiring_30", "30天内到期", "count")]),
    "training": ("网络教学", [("completion_rate", "培训完成率", "rate")]),
    "appraisal": ("公务员考核", [("excellent_share", "优秀比例", "rate"), ("completion", "考核完成率", "rate")]),
    "uniform": ("服装", [("stock_alerts", "库存预警", "count")]),
    "asset": ("固定资产", [("net_book_value", "资产净值", "money")]),
    "cabinet": ("公文交换柜", [("overdue_24h", "超24小时待取", "count")]),
    "portal": ("信息平台", [("read_rate", "阅读率", "rate")]),
    "mail": ("邮件", [("unread_backlog", "7天未读积压", "count")]),
    "identity": ("统一认证", [("login_success_rate", "登录成功率", "rate"),
                           ("signature_success_rate", "电子签章成功率", "rate")]),
    "ops": ("运维服务", [("open_tickets", "未结事件单", "count"), ("csat", "满意度", "rate")]),
}


def layout(**query: str):
    """A grid of cards; each fills itself from the URL's filters (org, period)."""
    cols = [dbc.Col([dcc.Store(id={"type": QUERY, "module": m}, data=query),
                     html.Div(components.empty_state("加载中…"), id={"type": CARD, "module": m})],
                    xs=12, sm=6, lg=4, xxl=3, className="mb-3") for m in CARDS]
    return html.Div([html.H4("概览", className="mb-3"), dbc.Row(cols)])


@callback(Output({"type": CARD, "module": MATCH}, "children"),
          Input({"type": QUERY, "module": MATCH}, "data"))
def update_overview_card(query):
    """One module's card: its metrics now and the change against the previous period."""
    module = ctx.triggered_id["module"]
    title, lines = CARDS[module]
    settings = current_app.config["OA_SETTINGS"]
    try:
        view = context.view(settings, query or {})
    except (scopes.OutOfScope, periods.BadPeriod) as exc:
        return components.empty_state(str(exc))
    if not queries.has_summary(module):
        return components.empty_state(f"{title}：本模块的指标尚未接入")
    now, before = (cache.scoped(settings, f"summary:{module}", view.scope, p,
                                lambda p=p: queries.summary(module, settings, scope=view.scope, period=p))
                   for p in (view.period, view.period.previous()))
    shown = [(label, formats.value(now.get(metric), kind),
              formats.change(now.get(metric), before.get(metric), kind)) for metric, label, kind in lines]
    href = f"/{module}" if any(p["path"] == f"/{module}" for p in dash.page_registry.values()) else None
    return components.kpi_card(title, shown, href)
