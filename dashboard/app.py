"""create_app(): Flask with sign-in and the guard, the Dash shell (navigation, filters, data-as-of
badge, language switch) and its small callbacks, the metrics API and /healthz."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import dash
import diskcache
from dash import ALL, Input, Output, State, ctx, no_update
from dash._pages import _path_to_page
from flask import Flask, current_app, jsonify
from flask_login import current_user
from sqlalchemy import text

from dashboard import api, auth, components, context, i18n, permissions, warehouse
from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.config import Settings
from models.db import open_engine

ROOT = Path(__file__).resolve().parent.parent
# The shell's callbacks, registered on each app by create_app: dash.callback would hand them to
# the first app that serves a request only (the tests build many).
SHELL_CALLBACKS: list[tuple[tuple, dict, object]] = []
# Runs in the browser once a language is saved: a full reload renders the shell and the page anew.
RELOAD_PAGE = "function (saved) { if (saved) { window.location.reload(); } return true; }"
CUSTOM_ONLY = "function (preset) { return preset !== 'custom'; }"
# A click on a unit's bar (its code in customdata) narrows the page to that unit: the URL's org
# changes, the router renders the page anew, and the server checks the unit against the user's scope.
DRILL_DOWN = """function (_clicks) {
    const hit = (dash_clientside.callback_context.triggered || []).find(t => t.value && t.value.points);
    const point = hit && hit.value.points[0];
    let code = point && point.customdata;
    if (Array.isArray(code)) { code = code[0]; }
    const query = new URLSearchParams(window.location.search);
    if (!code || query.get('org') === String(code)) { return dash_clientside.no_update; }
    query.set('org', String(code));
    return '?' + query.toString();
}"""


def shell_callback(*args, **kwargs):
    """Like dash.callback, for the shell: the function stays as it is, create_app registers it."""
    def register(func):
        SHELL_CALLBACKS.append((args, kwargs, func))
        return func
    return register


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build Flask + Dash with the pages in pages/; refuses a weak secret key; nothing heavy runs here."""
    settings = settings or Settings.from_env()
    # No Flask static folder: Dash serves /assets, and every extra route is one more to guard.
    server = Flask(__name__, static_folder=None)
    server.config["OA_SETTINGS"] = settings
    # Background callbacks (the ETL button of /data) run in processes that diskcache keeps track of.
    jobs = diskcache.Cache(str(Path(settings.warehouse_dir) / "jobs"))
    # assets/ at the repository root (CSS, the Plotly locale, the .po catalogues), not dashboard/assets.
    # suppress_callback_exceptions: a page's callbacks name components that exist only while that
    # page is shown (the usual setting of a multi-page Dash app).
    app = dash.Dash(__name__, server=server, use_pages=True, pages_folder="../pages",
                    suppress_callback_exceptions=True,
                    assets_folder=str(ROOT / "assets"),
                    background_callback_manager=dash.DiskcacheManager(jobs),
                    title=components.APP_TITLE,
                    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
    # A function: Dash renders the shell on every /_dash-layout, in the user's language (at
    # start-up, outside any request, it checks the Chinese one).
    app.layout = lambda: components.shell(dash.page_container)
    app.interpolate_index = _index_html(app.interpolate_index)
    for args, kwargs, func in SHELL_CALLBACKS:
        app.callback(*args, **kwargs)(func)
    app.clientside_callback(RELOAD_PAGE, Output(components.LANG, "disabled"),
                            Input(components.LANG_SAVED, "data"), prevent_initial_call=True)
    # The date range is the custom period's; for a preset it only shows the dates, read-only.
    app.clientside_callback(CUSTOM_ONLY, Output(components.FILTER_DATES, "disabled"),
                            Input(components.FILTER_PERIOD, "value"))
    app.clientside_callback(DRILL_DOWN, Output(components.URL, "search", allow_duplicate=True),
                            Input({"type": components.DRILL, "page": ALL, "tile": ALL}, "clickData"),
                            prevent_initial_call=True)
    # Bootstrap is served from assets/ (Dash adds every CSS file there to its pages): the
    # bureau's intranet cannot be assumed to reach a CDN.
    auth.init_app(server, settings, stylesheet="/assets/bootstrap.min.css",
                  page_of=lambda pathname: page_of(app, pathname))
    api.init_app(server, settings)
    engine = open_engine(settings.database_url)

    @server.get("/healthz")
    def healthz():
        """Liveness: the warehouse's as-of time and whether the operational database answers."""
        as_of = warehouse.as_of(settings)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            database = True
        except Exception:  # any failure means "not reachable"; the reason goes to the log
            current_app.logger.exception("healthz: operational database unreachable")
            database = False
        ok = as_of is not None and database
        return jsonify(status="ok" if ok else "degraded", database_reachable=database,
                       warehouse_as_of=as_of.isoformat(sep=" ") if as_of else None), 200 if ok else 503

    return app


def _settings() -> Settings:
    return current_app.config["OA_SETTINGS"]


def _index_html(interpolate_index):
    """Dash's index page with the user's language on <html> and the app's name translated."""
    def interpolate(**parts: str) -> str:
        page = interpolate_index(**{**parts, "title": i18n.gettext(components.APP_TITLE)})
        return page.replace("<html>", f'<html lang="{i18n.html_lang()}">', 1)
    return interpolate


@shell_callback(Output(components.NAV, "children"), Output(components.USER, "children"),
          Input(components.URL, "pathname"), Input(components.URL, "search"))
def update_nav(pathname, search):
    """The menu of the pages this user may open, their links carrying the filters."""
    pages = [p for p in dash.page_registry.values()
             if permissions.may(current_user.roles, permissions.page_roles(p.get("path_template")
                                                                           or p["path"]))]
    return components.nav_items(pages, context.query_of(search), pathname), current_user.username


@shell_callback(Output(components.LANG_SAVED, "data"), Input(components.LANG, "n_clicks"),
          State(components.LANG, "value"), prevent_initial_call=True)
def save_language(_clicks, chosen):
    """Save the language the switch offers as the user's own; the browser then reloads the page
    (RELOAD_PAGE), so that every string is rendered in it."""
    if chosen not in i18n.LANGS:  # a tuple: a forged list or dict is simply not in it
        return no_update
    auth.save_language(chosen)
    return chosen


@shell_callback(Output(components.AS_OF, "children"), Output(components.AS_OF, "color"),
          Input(components.URL, "pathname"))
def update_as_of(_pathname):
    """数据截至 <the last published ETL run>, a warning colour once it is stale."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(hours=8)
    return components.as_of_badge(warehouse.as_of(_settings()), now, _settings().stale_hours)


@shell_callback(Output(components.NAV_COLLAPSE, "is_open"), Input(components.NAV_TOGGLE, "n_clicks"),
          State(components.NAV_COLLAPSE, "is_open"), prevent_initial_call=True)
def toggle_nav(_clicks, is_open):
    """Open or close the menu on a narrow screen."""
    return not is_open


@shell_callback(Output(components.FILTER_DRAWER, "is_open"), Input(components.FILTER_OPEN, "n_clicks"),
          prevent_initial_call=True)
def open_filters(_clicks):
    """Open the filter drawer."""
    return True


@shell_callback(Output(components.FILTER_ORG, "options"), Input(components.URL, "pathname"))
def update_org_options(_pathname):
    """The org tree of the user's own scope, nothing outside it."""
    own = context.own_scope(_settings())
    return [{"label": "\u3000" * depth + unit.name, "value": unit.code}
            for unit, depth in scopes.tree(_settings(), own)]


@shell_callback(Output(components.URL, "search"), Output(components.FILTER_ORG, "value"),
          Output(components.FILTER_PERIOD, "value"), Output(components.FILTER_DATES, "start_date"),
          Output(components.FILTER_DATES, "end_date"), Output(components.FILTER_SUMMARY, "children"),
          Output(components.FILTER_ERROR, "children"), Output(components.FILTER_ERROR, "is_open"),
          Input(components.URL, "search"), Input(components.FILTER_ORG, "value"),
          Input(components.FILTER_PERIOD, "value"), Input(components.FILTER_DATES, "start_date"),
          Input(components.FILTER_DATES, "end_date"))
def sync_filters(search, org, preset, start, end):
    """Keep the filter bar and the URL's query string in step (either may change first); the
    scope is checked against the user's own on the server."""
    query = context.query_of(search)
    if ctx.triggered_id not in (None, components.URL):
        query = {"org": org or "", "period": preset or periods.DEFAULT_PRESET}
        if preset == "custom":
            query.update(start=start or "", end=end or "")
    try:
        view = context.view(_settings(), query)
    except (scopes.OutOfScope, periods.BadPeriod) as exc:
        return (no_update, no_update, no_update, no_update, no_update, no_update,
                i18n.error_text(exc), True)
    new_search = components.filter_search(view)
    return (new_search if new_search != (search or "") else no_update, view.scope.code,
            view.period.preset, view.period.start.isoformat(), view.period.end.isoformat(),
            components.filter_summary(view), "", False)


def page_module(path: str):
    """The module of the page registered at path (create_app has loaded it): the report command
    reads a page's own definitions through it."""
    (page,) = [p for p in dash.page_registry.values() if p["path"] == path]
    return sys.modules[page["module"]]


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
