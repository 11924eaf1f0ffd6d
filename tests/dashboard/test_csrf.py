"""CSRF: sign-in, sign-out and every Dash callback need the token; Dash's renderer sends it as a header."""
from __future__ import annotations

from pathlib import Path

import dash
import pytest

from tests.dashboard.web import (
    login_form_token, post_callback, router_body, sessions, signed_in,
)


def test_dash_renderer_sends_the_cookie_as_the_header():
    """dash-renderer copies the _csrf_token cookie into X-CSRFToken, the pair the guard checks."""
    build = Path(dash.__file__).parent / "dash-renderer" / "build"
    source = (build / "dash_renderer.min.js").read_text(encoding="utf-8")
    assert "X-CSRFToken" in source and "_csrf_token" in source


def test_callback_needs_the_session_token(app):
    """A Dash callback POST without the header, or with another token, is refused; with it, served."""
    client = signed_in(app, "city_leader")
    assert post_callback(client, router_body("/"), csrf=False).status_code == 403
    wrong = client.post("/_dash-update-component", json=router_body("/"),
                        headers={"X-CSRFToken": "x" * 43})
    assert wrong.status_code == 403
    odd = client.post("/_dash-update-component", json=router_body("/"),
                      headers={"X-CSRFToken": "令牌"})
    assert odd.status_code == 403
    served = post_callback(client, router_body("/"))
    assert served.status_code == 200 and "_pages_content" in served.get_data(as_text=True)


def test_token_of_another_session_does_not_pass(app):
    """Each session has its own token: one user's token is no good with another's cookie."""
    alice, bob = signed_in(app, "city_leader"), signed_in(app, "city_dept_head")
    forged = alice.post("/_dash-update-component", json=router_body("/"),
                        headers={"X-CSRFToken": bob.get_cookie("_csrf_token").value})
    assert forged.status_code == 403


def test_login_needs_the_form_token(app, db):
    """No token, a wrong token, or a token from another browser: 403 and no session."""
    client = app.server.test_client()
    form = {"username": "city_leader", "password": "Demo@2026"}
    refused = client.post("/login", data=form)
    assert refused.status_code == 403 and "页面已过期" in refused.get_data(as_text=True)
    login_form_token(client)
    assert client.post("/login", data={**form, "csrf_token": "nope"}).status_code == 403
    other = app.server.test_client()
    assert other.post("/login", data={**form, "csrf_token": login_form_token(client)}).status_code == 403
    assert sessions(db, "city_leader") == []
    assert client.post("/login", data={**form, "csrf_token": login_form_token(client)}).status_code == 303


def test_logout_needs_the_token(app, db):
    """A cross-site POST /logout (no token) leaves the session alone."""
    client = signed_in(app, "city_leader")
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "nope"}).status_code == 403
    assert sessions(db, "city_leader")[0].ended_at is None
    assert client.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_state_changing_methods_need_the_token(app, method):
    """PUT, PATCH and DELETE are refused without the token before routing says anything."""
    client = signed_in(app, "city_leader")
    assert getattr(client, method)("/api/v1/me").status_code == 403


def test_csrf_cookie_is_restored_when_missing(app):
    """A browser that lost the _csrf_token cookie gets it back on its next page load."""
    client = signed_in(app, "city_leader")
    token = client.get_cookie("_csrf_token").value
    client.delete_cookie("_csrf_token")
    client.get("/")
    assert client.get_cookie("_csrf_token").value == token
