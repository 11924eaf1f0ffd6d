"""The one permission map: which roles may use which page, Dash callback, export and API route.

Deny by default: whatever is not listed here is refused (403). Adding a page, a callback, an
export or an API route means adding one line below; tests/dashboard/test_permissions.py fails
while a registered route, page or server-side callback is missing.
"""
from __future__ import annotations

from models.identity import ROLES

Roles = frozenset[str]

ALL_ROLES: Roles = frozenset(ROLES)
# Leadership and heads of units see every business page; the three separate administrators
# (三员分立) see none of them, only their own pages.
ANALYSTS: Roles = frozenset({"leader", "dept_head"})


def module_page(page: str, roles: Roles) -> dict[str, Roles]:
    """The three server callbacks of a module page (pages/_tiles.py), by output: its tiles, the
    rows of its detail tables and its workbook."""
    return {
        f'{{"page":"{page}","tile":["MATCH"],"type":"tile"}}.children': roles,
        f'{{"page":"{page}","tile":["MATCH"],"type":"grid"}}.getRowsResponse': roles,
        f"{page}-download.data": roles,
    }


# Page path (dash.page_registry's path_template, or path) -> roles.
PAGES: dict[str, Roles] = {
    "/": ANALYSTS | {"ops", "staff"},                         # 概览
    "/hr": ANALYSTS,                                          # 人力资源
    "/attendance": ANALYSTS,                                  # 考勤
    "/appraisal": ANALYSTS,                                   # 公务员考核
    "/training": ANALYSTS,                                    # 网络教学
    "/contract": ANALYSTS,                                    # 合同
    "/uniform": ANALYSTS,                                     # 服装
    "/asset": ANALYSTS,                                       # 固定资产
    "/cabinet": ANALYSTS,                                     # 公文交换柜
    "/office": ANALYSTS,                                      # 行政办公
    "/portal": ANALYSTS,                                      # 信息平台
    "/mail": ANALYSTS,                                        # 邮件
    "/identity": ANALYSTS,                                    # 统一认证、电子签章
    "/ops": ANALYSTS | {"ops"},                               # 运维服务
    "/data": ANALYSTS | {"ops", "sysadmin", "auditor"},       # 数据: ETL runs, freshness, logs
    "/admin": frozenset({"sysadmin", "secadmin"}),            # 账号与系统管理
}

# Dash's page router: its output renders the page the posted pathname names, so the guard
# checks that page in PAGES; the entry below only admits the router itself.
PAGE_ROUTER = ".._pages_content.children..._pages_store.data.."

# Server-side Dash callback, keyed by its output id string as in app.callback_map -> roles.
# (Client-side callbacks run in the browser and never reach the server: not listed.)
CALLBACKS: dict[str, Roles] = {
    PAGE_ROUTER: ALL_ROLES,
    # The shell (dashboard/app.py): menu, data-as-of badge, drawers, filters; every signed-in user.
    "..shell-nav.children...shell-user.children..": ALL_ROLES,
    "..shell-as-of.children...shell-as-of.color..": ALL_ROLES,
    "shell-nav-collapse.is_open": ALL_ROLES,
    "shell-filter-drawer.is_open": ALL_ROLES,
    "shell-org.options": ALL_ROLES,
    ".._pages_location.search...shell-org.value...shell-period.value...shell-dates.start_date..."
    "shell-dates.end_date...shell-filter-summary.children...shell-filter-error.children..."
    "shell-filter-error.is_open..": ALL_ROLES,
    # The language switch: saves the signed-in user's own language only.
    "shell-lang-saved.data": ALL_ROLES,
    # pages/data.py: starting an ETL run is for the ops team and the system administrator.
    "data-etl-result.children": frozenset({"ops", "sysadmin"}),
    # pages/overview.py
    '{"module":["MATCH"],"type":"overview-card"}.children': PAGES["/"],
    # The module pages (pages/_tiles.py): tiles, detail-table rows, workbook.
    **module_page("hr", PAGES["/hr"]),
    **module_page("attendance", PAGES["/attendance"]),
    **module_page("appraisal", PAGES["/appraisal"]),
    **module_page("training", PAGES["/training"]),
    **{k: v for m in ("contract", "uniform", "asset", "cabinet", "office", "portal", "mail", "identity", "ops")
       for k, v in module_page(m, PAGES[f"/{m}"]).items()},
    # pages/_ops_report.py: the monthly service report of the ops page.
    "ops-report-download.data": PAGES["/ops"],
}

# Export route (the Flask rule) -> roles.
EXPORTS: dict[str, Roles] = {}

# API route (the Flask rule) -> roles; a session or a bearer token signs the caller in.
API: dict[str, Roles] = {
    "/api/v1/me": ALL_ROLES,
    # The overview's numbers (dashboard/api.py): whoever may read the overview.
    "/api/v1/metrics/<module>": PAGES["/"],
}

# Routes of the Dash shell and the session that every signed-in user needs.
SHELL: dict[str, Roles] = {
    "/_dash-layout": ALL_ROLES,
    "/_dash-dependencies": ALL_ROLES,
    "/_reload-hash": ALL_ROLES,
    "/logout": ALL_ROLES,
}

# Flask rules that serve a page (Dash's index): checked against PAGES by the requested path.
PAGE_RULES = frozenset({"/", "/<path:path>"})
# The Flask rule of every Dash callback: checked against CALLBACKS by the posted output.
CALLBACK_RULE = "/_dash-update-component"
# The short allow-list that needs no session: sign-in, health and static files.
PUBLIC = frozenset({
    "/login", "/healthz", "/_favicon.ico", "/assets/<path:filename>",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
})
API_PREFIX = "/api/v1/"


def may(roles: Roles, allowed: Roles | None) -> bool:
    """Whether one of roles is among allowed (None: not in the map, so nobody)."""
    return bool(allowed and roles & allowed)


def route_roles(rule: str) -> Roles | None:
    """Roles that may use a Flask route other than pages and callbacks (None: not in the map)."""
    return SHELL.get(rule) or API.get(rule) or EXPORTS.get(rule)


def page_roles(page: str | None) -> Roles | None:
    """Roles that may open a page, by its path as registered (None: not in the map)."""
    return PAGES.get(page) if page is not None else None


def callback_roles(output: str | None) -> Roles | None:
    """Roles that may run a server-side Dash callback, by its output id string."""
    return CALLBACKS.get(output) if output is not None else None


def landing_page(roles: Roles) -> str | None:
    """The first page of the map the roles may open (where sign-in leads without ?next=)."""
    return next((path for path, allowed in PAGES.items() if may(roles, allowed)), None)
