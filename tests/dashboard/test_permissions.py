"""Deny by default: the map covers every route, page and callback; anonymous or unlisted requests fail."""
from __future__ import annotations

import re

import dash
import pytest
from dash import Input, Output

from dashboard import permissions
from models.identity import ADMIN_ROLES, ROLES
from tests.dashboard.web import ROUTER, post_callback, router_body, sign_in, signed_in

SAMPLE = re.compile(r"<[^>]+>")
# Dash's own requests and the API: never a page, so never a redirect, whatever the method.
NOT_PAGES = ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component", "/_reload-hash",
             "/api/v1/me", "/api/v1/metrics/hr")


def concrete(rule: str) -> str:
    """A URL that matches rule (every variable part replaced by a sample value)."""
    return SAMPLE.sub("sample", rule)


def test_every_route_page_and_callback_is_in_the_map(app):
    """A registered Flask route, Dash page or server-side callback missing from the map fails here."""
    client = signed_in(app, "city_leader")
    assert client.get("/_dash-dependencies").status_code == 200  # Dash registers the router now
    known = (permissions.PUBLIC | permissions.PAGE_RULES | {permissions.CALLBACK_RULE}
             | set(permissions.SHELL) | set(permissions.API) | set(permissions.EXPORTS))
    routes = {rule.rule for rule in app.server.url_map.iter_rules()}
    assert sorted(routes - known) == []
    pages = {page.get("path_template") or page["path"] for page in dash.page_registry.values()}
    assert pages and sorted(pages - set(permissions.PAGES)) == []
    server_side = {output for output, spec in app.callback_map.items() if "callback" in spec}
    assert ROUTER in server_side and permissions.PAGE_ROUTER == ROUTER
    assert sorted(server_side - set(permissions.CALLBACKS)) == []


def test_the_map_names_only_known_roles():
    """A typo in a role would silently lock everyone out of an entry."""
    entries = [*permissions.PAGES.values(), *permissions.CALLBACKS.values(),
               *permissions.EXPORTS.values(), *permissions.API.values(),
               *permissions.SHELL.values()]
    assert all(allowed and allowed <= set(ROLES) for allowed in entries)


def test_the_three_administrators_see_no_business_pages():
    """三员分立: sysadmin, secadmin and auditor reach only the data and admin pages."""
    for role in ADMIN_ROLES:
        pages = {path for path, allowed in permissions.PAGES.items() if role in allowed}
        assert pages and pages <= {"/data", "/admin"}, role


def test_anonymous_requests_to_every_guarded_route_are_refused(app):
    """Every route outside the allow-list: pages redirect to /login, everything else gets 401."""
    client = app.server.test_client()
    checked = 0
    for rule in app.server.url_map.iter_rules():
        if rule.rule in permissions.PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD"}):
            response = client.open(concrete(rule.rule), method=method)
            page = (method == "GET" and rule.rule in permissions.PAGE_RULES) or (
                method == "GET" and rule.rule == "/logout")
            expected = 302 if page else 401
            assert response.status_code == expected, (method, rule.rule)
            if page:
                assert response.headers["Location"].startswith("/login")
            checked += 1
    assert checked >= 12
    for path in NOT_PAGES:
        for method in ("GET", "POST"):
            response = client.open(path, method=method, json={"output": ROUTER})
            assert response.status_code == 401, (method, path)
    assert client.post("/_dash-update-component", json=router_body("/")).status_code == 401


def test_public_routes_answer_without_a_session(app):
    """The allow-list: sign-in form, health, favicon and Dash's JavaScript."""
    client = app.server.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/_favicon.ico").status_code == 200
    version = dash.__version__.replace(".", "_")
    script = client.get(f"/_dash-component-suites/dash/dash-renderer/build/"
                        f"dash_renderer.v{version}m0.min.js")
    assert script.status_code == 200


def test_the_three_administrators_are_refused_the_overview(app):
    """secadmin: no business page by URL or by the router callback; /api/v1/me still answers."""
    client = signed_in(app, "city_secadmin")
    assert client.get("/").status_code == 403
    assert post_callback(client, router_body("/")).status_code == 403
    assert client.get("/api/v1/me").status_code == 200


def test_staff_get_403_outside_their_map(app):
    """staff: the overview yes; data and admin pages, by URL or by the router, no."""
    client = signed_in(app, "donghuamen_staff")
    assert client.get("/").status_code == 200
    assert post_callback(client, router_body("/")).status_code == 200
    for path in ("/data", "/data/", "/admin", "/unknown-page"):
        assert client.get(path).status_code == 403, path
        assert post_callback(client, router_body(path)).status_code == 403, path
    page = client.get("/data").get_data(as_text=True)
    assert "无权访问此页面" in page and 'href="/"' in page  # says why, offers their own page
    leader = signed_in(app, "city_leader")
    assert leader.get("/data").status_code == 200


def test_a_callback_missing_from_the_map_is_refused_to_everyone(app):
    """Deny by default: a callback nobody listed answers 403 even to a leader."""
    @app.callback(Output("probe", "children"), Input("probe-button", "n_clicks"))
    def update_probe(n_clicks):
        return f"clicked {n_clicks}"

    body = {"output": "probe.children", "outputs": {"id": "probe", "property": "children"},
            "inputs": [{"id": "probe-button", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["probe-button.n_clicks"], "state": []}
    for username in ("donghuamen_staff", "city_leader"):
        client = signed_in(app, username)
        assert post_callback(client, body).status_code == 403, username
        assert post_callback(client, {**body, "output": "probe.children@x"}).status_code == 403


def test_the_router_is_checked_on_the_pathname_dash_would_render(app):
    """Dash passes the router its inputs by position: a body that hides the path is refused."""
    client = signed_in(app, "donghuamen_staff")
    swapped = router_body("/")
    swapped["inputs"] = [{"id": "_pages_location", "property": "search", "value": "/admin"},
                         {"id": "_pages_location", "property": "pathname", "value": "/"}]
    assert post_callback(client, swapped).status_code == 403
    for pathname in ("admin", None, 7):
        body = router_body("/")
        body["inputs"][0]["value"] = pathname
        assert post_callback(client, body).status_code == 403, pathname
    assert post_callback(client, {"output": ROUTER}).status_code == 403
    assert client.post("/_dash-update-component", data="not json", headers={
        "X-CSRFToken": client.get_cookie("_csrf_token").value}).status_code == 403


@pytest.mark.parametrize(("username", "landing"), [
    ("donghuamen_staff", "/"), ("city_ops", "/"), ("city_sysadmin", "/data"),
    ("city_auditor", "/data"), ("city_secadmin", "/admin"),
])
def test_sign_in_lands_on_a_page_the_role_may_open(app, username, landing):
    """Without ?next=, sign-in leads to the first page of the map the user may open."""
    assert sign_in(app.server.test_client(), username).headers["Location"] == landing
