"""Building blocks of the shell and the pages: ids, navigation, filter bar, KPI card, empty state.
No I/O here: callers pass the data in."""
from __future__ import annotations

import datetime as dt
from typing import Callable
from urllib.parse import urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import i18n
from dashboard.i18n import N_, _
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
# The language switch: a button offering the other language (its value), and the store its
# callback fills once the choice is saved, which makes the browser reload the page.
LANG = "shell-lang"
LANG_SAVED = "shell-lang-saved"
# The app's name (a msgid: the browser tab and the navbar show it translated).
APP_TITLE = N_("城管执法局 OA 数据分析")
# Navigation groups, in menu order (pages say which with register_page(..., group=...)).
GROUPS = (N_("人员"), N_("业务"), N_("资源"), N_("运维"), N_("数据"))
# Charts whose bars are org units: {"type": DRILL, "page": ..., "tile": ...}; a click on a bar puts
# its unit's code into the URL's org (a client-side callback of the shell), narrowing the page.
DRILL = "drill"
# The query parameters the filter bar owns; they travel with every navigation link.
FILTER_KEYS = ("org", "period", "start", "end")


def shell(page_container) -> html.Div:
    """The frame around every page: navigation bar, filter drawer, data-as-of badge, language
    switch, content; in the language of this request."""
    brand = dbc.NavbarBrand(_(APP_TITLE), href="/", className="fw-semibold")
    bar = dbc.Navbar(dbc.Container([
        brand,
        dbc.NavbarToggler(id=NAV_TOGGLE, className="ms-auto"),
        dbc.Collapse([
            dbc.Nav(id=NAV, navbar=True, className="me-auto"),
            html.Div([
                dbc.Badge(id=AS_OF, color="secondary", className="me-2"),
                html.Span(id=USER, className="small text-light me-2"),
                language_switch(),
                html.A(_("退出登录"), href="/logout", className="btn btn-sm btn-outline-light"),
            ], className="d-flex flex-wrap align-items-center gap-1 py-1"),
        ], id=NAV_COLLAPSE, navbar=True, is_open=False),
    ], fluid=True), color="primary", dark=True, expand="lg", className="mb-2")
    filters = html.Div([
        dbc.Button(_("筛选"), id=FILTER_OPEN, color="secondary", outline=True, size="sm", className="me-2"),
        html.Span(id=FILTER_SUMMARY, className="small text-muted"),
        dbc.Alert(id=FILTER_ERROR, color="warning", is_open=False, className="mt-2 mb-0 py-2"),
    ], className="mb-3")
    return html.Div([
        bar,
        # The spinner covers the page while the router renders it, not while its tiles fill in:
        # each tile shows its own.
        dbc.Container([filters, filter_drawer(),
                       dcc.Loading(page_container, delay_show=300,
                                   target_components={"_pages_content": "children"})], fluid=True),
        dcc.Store(id=LANG_SAVED),
    ])


def language_switch() -> dbc.Button:
    """A button naming the other language in itself ("English" or "中文"); its value is that
    language, which the switch's callback saves as the user's own."""
    other = "en" if i18n.lang() == "zh" else "zh"
    return dbc.Button(i18n.LANGUAGE_NAMES[other], id=LANG, value=other, size="sm", color="light",
                      outline=True, className="me-1", title=_("切换界面语言"))


def filter_drawer() -> dbc.Offcanvas:
    """The global filters (org within the user's scope, period): a drawer on every screen size,
    so a phone shows the page, not the filters."""
    return dbc.Offcanvas([
        dbc.Label(_("单位"), html_for=FILTER_ORG),
        dcc.Dropdown(id=FILTER_ORG, clearable=False, searchable=True, placeholder=_("选择单位"),
                     className="mb-3"),
        dbc.Label(_("时间范围"), html_for=FILTER_PERIOD),
        dbc.RadioItems(id=FILTER_PERIOD, options=[{"label": _(v), "value": k} for k, v in PRESETS.items()],
                       value="this_month", className="mb-3"),
        # Month captions in digits (the calendar's own month names would be English either way).
        dcc.DatePickerRange(id=FILTER_DATES, display_format="YYYY-MM-DD", first_day_of_week=1,
                            month_format=_("YYYY年M月"), start_date_placeholder_text=_("开始"),
                            end_date_placeholder_text=_("结束")),
    ], id=FILTER_DRAWER, title=_("筛选"), placement="end", is_open=False)


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
            [dbc.DropdownMenuItem(_(p["name"]), href=p["path"] + suffix, active=p["path"] == current)
             for p in members],
            label=_(group), nav=True, in_navbar=True))
    home = [p for p in pages if p["path"] == "/"]
    if home:
        items.insert(0, dbc.NavItem(dbc.NavLink(_(home[0]["name"]), href="/" + suffix,
                                                active=current == "/")))
    return items


def as_of_badge(as_of: dt.datetime | None, now: dt.datetime, stale_hours: int) -> tuple[str, str]:
    """Text and colour of the "数据截至" badge: a warning once the data is older than stale_hours."""
    if as_of is None:
        return _("尚无已发布的数据"), "danger"
    text = _("数据截至 {time}").format(time=f"{as_of:%Y-%m-%d %H:%M}")
    if now - as_of > dt.timedelta(hours=stale_hours):
        return text + _("（已超过 {hours} 小时未更新）").format(hours=stale_hours), "warning"
    return text, "success"


def period_label(period) -> str:
    """A period as the screens show it: "2025-10-01 至 2025-10-31" or "2025-10-01 to 2025-10-31"."""
    return _("{start} 至 {end}").format(start=period.start.isoformat(), end=period.end.isoformat())


def filter_summary(view) -> str:
    """The line beside the filter button: unit, preset and dates of the view."""
    return f"{view.scope.name} · {_(PRESETS[view.period.preset])} · {period_label(view.period)}"


def kpi_card(title: str, lines: list[tuple[str, str, str]], href: str | None, note: str = "") -> dbc.Card:
    """A KPI card: lines of (label, value, change against the previous period), linking to href;
    the caller passes the texts already translated."""
    body = [html.H6(title, className="card-title text-muted mb-2")]
    for label, value, change in lines:
        body.append(html.Div([
            html.Span(label, className="small text-muted d-block"),
            html.Span(value, className="fs-4 fw-semibold me-2"),
            html.Span(_("较上期 {change}").format(change=change), className="small text-muted"),
        ], className="mb-1"))
    if note:
        body.append(html.Div(note, className="small text-muted"))
    card = dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm")
    return dcc.Link(card, href=href, className="text-reset text-decoration-none") if href else card


def empty_state(reason: str) -> dbc.Alert:
    """Why there is nothing to show (no data in scope, no warehouse yet, a refused filter)."""
    return dbc.Alert(reason, color="light", className="text-muted border")



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


# dash-ag-grid formats a cell with d3-format, by the column's kind (dashboard.exports.Column).
GRID_FORMATS = {"count": ",d", "rate": ".1%", "money": ",.2f", "hours": ",.1f", "days": ",.1f",
                "number": ",.1f", "ms": ",.0f"}
GRID_PAGE_ROWS = 20


def kpi_strip(items: list[tuple[str, str, str]], note: str = "") -> html.Div:
    """The KPI cards on top of a module page: (label, value, change against the previous period)."""
    cols = [dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="small text-muted"),
        html.Div(value, className="fs-4 fw-semibold"),
        html.Div(_("较上期 {change}").format(change=change), className="small text-muted"),
    ], className="py-2")), xs=6, md=4, xl=3, className="mb-2") for label, value, change in items]
    return html.Div([dbc.Row(cols, className="g-2"),
                     html.Div(note, className="small text-muted") if note else None])


def breadcrumb(trail: list, href: Callable[[object], str]) -> dbc.Breadcrumb:
    """The units from the user's own down to the one shown; each but the last links back up."""
    items = [{"label": unit.name, "href": href(unit)} for unit in trail[:-1]]
    items.append({"label": trail[-1].name, "active": True})
    return dbc.Breadcrumb(items=items, className="mb-0 small")


def tile_card(title: str, body, width: int) -> dbc.Col:
    """One tile of a module page: a card with its title and its own loading spinner; full width on
    a phone."""
    return dbc.Col(dbc.Card([dbc.CardHeader(title, className="fw-semibold py-2"),
                             dbc.CardBody(dcc.Loading(body, delay_show=300, type="dot"), className="p-2")],
                            className="h-100 shadow-sm"),
                   xs=12, lg=width, className="mb-3")


def grid(grid_id: dict, columns: list) -> dag.AgGrid:
    """A detail table whose rows the server sorts, filters and pages (AG Grid's infinite row
    model): columns are dashboard.exports.Column with headers already translated."""
    defs = []
    for col in columns:
        d = {"field": col.name, "headerName": col.label, "sortable": True, "resizable": True}
        if col.kind in GRID_FORMATS:
            d.update(filter="agNumberColumnFilter", type="rightAligned", valueFormatter={
                "function": f"params.value == null ? '\u2014' : d3.format('{GRID_FORMATS[col.kind]}')(params.value)"})
        elif col.kind in ("date", "datetime"):
            d.update(filter="agDateColumnFilter")
        else:
            d.update(filter="agTextColumnFilter")
        d["filterParams"] = {"buttons": ["apply", "reset"], "closeOnApply": True}
        defs.append(d)
    options = {"pagination": True, "paginationPageSize": GRID_PAGE_ROWS,
               "paginationPageSizeSelector": False, "cacheBlockSize": GRID_PAGE_ROWS,
               "maxBlocksInCache": 10, "enableCellTextSelection": True}
    if i18n.ag_grid_locale():
        options["localeText"] = i18n.ag_grid_locale()
    # A wide statistical form keeps readable columns and scrolls sideways; a narrow table fills the card.
    return dag.AgGrid(id=grid_id, columnDefs=defs, rowModelType="infinite", dashGridOptions=options,
                      columnSize="autoSize" if len(defs) > 10 else "responsiveSizeToFit",
                      className="ag-theme-alpine",
                      style={"height": "440px", "width": "100%"})
