"""概览 (/): one KPI card per module and ops, each with its change against the previous period."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, callback, ctx, dcc, html
from flask import current_app

from dashboard import cache, components, context, formats, i18n, warehouse
from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.i18n import N_, _

dash.register_page(__name__, path="/", name=N_("概览"), title=lambda **_path: _("概览"), order=0)

CARD = "overview-card"
QUERY = "overview-query"
# module -> card title and its lines: (metric of METRICS.md, label, kind of number); titles and
# labels are msgids, translated when a card is drawn.
CARDS = {
    "hr": (N_("人员"), [("headcount", N_("在岗人数"), "count"), ("fill_rate", N_("编制满编率"), "rate")]),
    "attendance": (N_("考勤"), [("attendance_rate", N_("出勤率"), "rate")]),
    "office": (N_("行政办公"), [("documents_overdue", N_("公文逾期"), "count"),
                              ("supervision_overdue", N_("督办逾期"), "count")]),
    "contract": (N_("合同"), [("pending", N_("待审批"), "count"),
                            ("expiring_30", N_("30天内到期"), "count")]),
    "training": (N_("网络教学"), [("completion_rate", N_("培训完成率"), "rate")]),
    "appraisal": (N_("公务员考核"), [("excellent_share", N_("优秀比例"), "rate"),
                                 ("completion", N_("考核完成率"), "rate")]),
    "uniform": (N_("服装"), [("stock_alerts", N_("库存预警"), "count")]),
    "asset": (N_("固定资产"), [("net_book_value", N_("资产净值"), "money")]),
    "cabinet": (N_("公文交换柜"), [("overdue_24h", N_("超24小时待取"), "count")]),
    "portal": (N_("信息平台"), [("read_rate", N_("阅读率"), "rate")]),
    "mail": (N_("邮件"), [("unread_backlog", N_("7天未读积压"), "count")]),
    "identity": (N_("统一认证"), [("login_success_rate", N_("登录成功率"), "rate"),
                               ("signature_success_rate", N_("电子签章成功率"), "rate")]),
    "ops": (N_("运维服务"), [("open_tickets", N_("未结事件单"), "count"),
                          ("sla_compliance", N_("SLA 达标率"), "rate"), ("csat", N_("满意度"), "rate")]),
}


def layout(**query: str):
    """A grid of cards; each fills itself from the URL's filters (org, period)."""
    cols = [dbc.Col([dcc.Store(id={"type": QUERY, "module": m}, data=query),
                     html.Div(components.empty_state(_("加载中…")), id={"type": CARD, "module": m})],
                    xs=12, sm=6, lg=4, xxl=3, className="mb-3") for m in CARDS]
    return html.Div([html.H4(_("概览"), className="mb-3"), dbc.Row(cols)])


@callback(Output({"type": CARD, "module": MATCH}, "children"),
          Input({"type": QUERY, "module": MATCH}, "data"))
def update_overview_card(query):
    """One module's card: its metrics now and the change against the previous period."""
    # The card's own id (on the first call nothing has "triggered" yet).
    module, lang = ctx.outputs_list["id"]["module"], i18n.lang()
    title, lines = _(CARDS[module][0]), CARDS[module][1]
    settings = current_app.config["OA_SETTINGS"]
    try:
        view = context.view(settings, query or {})
    except (scopes.OutOfScope, periods.BadPeriod) as exc:
        return components.empty_state(i18n.error_text(exc))
    try:
        now, before = (cache.summary(settings, module, view.scope, p)
                       for p in (view.period, view.period.previous()))
    except warehouse.WarehouseNotPublished:
        return components.empty_state(_("{title}：尚无已发布的数据").format(title=title))
    except Exception:  # one module's failure must not leave its card loading for ever
        current_app.logger.exception("overview card %s", module)
        return components.empty_state(_("{title}：暂时无法计算本模块的指标（错误已记录）").format(title=title))
    shown = [(_(label), formats.value(now.get(metric), kind, lang),
              formats.change(now.get(metric), before.get(metric), kind, lang))
             for metric, label, kind in lines]
    href = f"/{module}" if any(p["path"] == f"/{module}" for p in dash.page_registry.values()) else None
    return components.kpi_card(title, shown, href, _note(module, now, lang))


def _note(module: str, now: dict, lang: str) -> str:
    """A setting shown next to the number it governs (METRICS.md): the 优秀 cap of appraisal."""
    if module == "appraisal" and now.get("excellent_cap") is not None:
        return _("优秀比例上限 {cap}").format(cap=formats.value(now["excellent_cap"], "rate", lang))
    return ""
