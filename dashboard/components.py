"""Building blocks of the shell and the pages: ids, navigation, filter bar, KPI card, empty state.
No I/O here: callers pass the data in."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import formats
from dashboard.period import PRESETS

# Dash's own Location of the pages router: the URL (path and ?org=&period=...) of every view.
URL = "_pages_location"
NAV = "shell-nav"
NAV_TOGGLE = "shell-nav-toggle"
NAV_COLLAPSE = "shell-nav-collapse"
AS_OF = "shell-as-of"
USER = "shell-user"
FILTER_OPEN = "shell-filter-open"
FILTER_DRAWER = "shell-filter-drawer"
FILTER_ORG = "shell-org"
FILTER_PERIOD = "shell-period"
FILTER_DATES = "shell-dates"
FILTER_SUMMARY = "shell-filter-summary"
FILTER_ERROR = "shell-filter-error"
# Navigation groups, in menu order (pages say which with register_page(..., group=...)).
GROUPS = ("人员", "业务", "资源", "运维", "数据")
# The query parameters the filter bar owns; they travel with every navigation link.
FILTER_KEYS = ("org", "period", "start", "end")


def shell(page_container) -> html.Div:
    """The frame around every page: navigation bar, filter drawer, data-as-of badge, content."""
    brand = dbc.NavbarBrand("城管执法局 OA 数据分析", href="/", className="fw-semibold")
    bar = dbc.Navbar(dbc.Container([
        brand,
        dbc.NavbarToggler(id=NAV_TOGGLE, className="ms-auto"),
        dbc.Collapse([
            dbc.Nav(id=NAV, navbar=True, className="me-auto"),
            html.Div([
                dbc.Badge(id=AS_OF, color="secondary", className="me-2"),
                html.Span(id=USER, className="small text-light me-2"),
                html.A("退出登录", href="/logout", className="btn btn-sm btn-outline-light"),
            ], className="d-flex flex-wrap align-items-center gap-1 py-1"),
        ], id=NAV_COLLAPSE, navbar=True, is_open=False),
    ], fluid=True), color="primary", dark=True, expand="lg", className="mb-2")
    filters = html.Div([
        dbc.Button("筛选", id=FILTER_OPEN, color="secondary", outline=True, size="sm", className="me-2"),
        html.Span(id=FILTER_SUMMARY, className="small text-muted"),
        dbc.Alert(id=FILTER_ERROR, color="warning", is_open=False, className="mt-2 mb-0 py-2"),
    ], className="mb-3")
    return html.Div([
        bar,
        dbc.Container([filters, filter_drawer(), dcc.Loading(page_container, delay_show=300)],
                      fluid=True),
    ])


def filter_drawer() -> dbc.Offcanvas:
    """The global filters (org within the user's scope, period): a drawer on every screen size,
    so a phone shows the page, not the filters."""
    return dbc.Offcanvas([
        dbc.Label("单位", html_for=FILTER_ORG),
        dcc.Dropdown(id=FILTER_ORG, clearable=False, searchable=True, className="mb-3"),
        dbc.Label("时间范围", html_for=FILTER_PERIOD),
        dbc.RadioItems(id=FILTER_PERIOD, options=[{"label": v, "value": k} for k, v in PRESETS.items()],
                       value="this_month", className="mb-3"),
        dcc.DatePickerRange(id=FILTER_DATES, display_format="YYYY-MM-DD", first_day_of_week=1,
                            start_date_placeholder_text="开始", end_date_placeholder_text="结束"),
    ], id=FILTER_DRAWER, title="筛选", placement="end", is_open=False)


def nav_items(pages: list[dict], query: dict[str, str], current: str) -> list:
    """Navigation from the page registry: one dropdown per group, links carrying the filters."""
    carried = {k: v for k, v in query.items() if k in FILTER_KEYS and v}
    suffix = f"?{urlencode(carried)}" if carried else ""
    items = []
    for group in GROUPS:
        members = [p for p in pages if p.get("group") == group]
        if not members:
            continue
        items.append(dbc.DropdownMenu(
            [dbc.DropdownMenuItem(p["name"], href=p["path"] + suffix, active=p["path"] == current)
             for p in members],
            label=group, nav=True, in_navbar=True))
    home = [p for p in pages if p["path"] == "/"]
    if home:
        items.insert(0, dbc.NavItem(dbc.NavLink(home[0]["name"], href="/" + suffix,
                                                active=current == "/")))
    return items


def as_of_badge(as_of: dt.datetime | None, now: dt.datetime, stale_hours: int) -> tuple[str, str]:
    """Text and colour of the "数据截至" badge: a warning once the data is older than stale_hours."""
    if as_of is None:
        return "尚无已发布的数据", "danger"
    text = f"数据截至 {as_of:%Y-%m-%d %H:%M}"
    if now - as_of > dt.timedelta(hours=stale_hours):
        return text + f"（已超过 {stale_hours} 小时未更新）", "warning"
    return text, "success"


def kpi_card(title: str, lines: list[tuple[str, str, str]], href: str | None, note: str = "") -> dbc.Card:
    """A KPI card: lines of (label, value, change against the previous period), linking to href."""
    body = [html.H6(title, className="card-title text-muted mb-2")]
    for label, value, change in lines:
        body.append(html.Div([
            html.Span(label, className="small text-muted d-block"),
            html.Span(value, className="fs-4 fw-semibold me-2"),
            html.Span(f"较上期 {change}", className="small text-muted"),
        ], className="mb-1"))
    if note:
        body.append(html.Div(note, className="small text-muted"))
    card = dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm")
    return dcc.Link(card, href=href, className="text-reset text-decoration-none") if href else card


def empty_state(reason: str) -> dbc.Alert:
    """Why there is nothing to show (no data in scope, no warehouse yet, a refused filter)."""
    return dbc.Alert(reason, color="light", className="text-muted border")


def value_text(x, kind: str) -> str:
    """A metric value as shown on screen."""
    return formats.value(x, kind)


def filter_search(view) -> str:
    """The query string of a view: ?org=<code>&period=<preset>[&start=&end=] (org left out at the
    user's own scope, so a shared link opens at the reader's own scope)."""
    query = {}
    if view.scope != view.own:
        query["org"] = view.scope.code
    query["period"] = view.period.preset
    if view.period.preset == "custom":
        query.update(start=view.period.start.isoformat(), end=view.period.end.isoformat())
    return "?" + urlencode(query)
