"""Sign-in and sessions: one generic error, lockout, fresh session ids, a logout that ends it, timeouts."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.app import create_app
from dashboard.auth import GENERIC_ERROR, safe_next
from models.identity import beijing_now
from tests.dashboard.web import (
    account, login_form_token, replay, session_cookie, sessions, set_account, set_sessions,
    sign_in, signed_in,
)


def test_demo_account_signs_in_to_a_server_side_session(app, db):
    """The cookie carries only a random id; the database keeps its sha256, the account its last login."""
    client = app.server.test_client()
    before = beijing_now()
    response = sign_in(client, "dongcheng_dept_head")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    payload = app.server.session_interface.get_signing_serializer(app.server).loads(
        session_cookie(client))
    assert list(payload) == ["sid"]
    (row,) = sessions(db, "dongcheng_dept_head")
    assert row.token_hash == hashlib.sha256(payload["sid"].encode()).hexdigest()
    assert row.ended_at is None and row.expires_at > before + dt.timedelta(hours=11)
    assert client.get_cookie("_csrf_token").value == row.csrf_token
    acct = account(db, "dongcheng_dept_head")
    assert acct.last_login_at >= before.replace(microsecond=0) and acct.failed_attempts == 0
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").get_json() == {
        "username": "dongcheng_dept_head", "roles": ["dept_head"], "scope": "110101"}


def test_wrong_password_and_unknown_user_get_the_identical_answer(app):
    """Nothing in status or body tells an unknown name from a wrong password."""
    client = app.server.test_client()
    wrong = sign_in(client, "city_leader", "Wrong@Pass2026")
    unknown = sign_in(client, "nobody_here", "Wrong@Pass2026")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_data() == unknown.get_data()
    assert GENERIC_ERROR in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("change", [
    dict(state="停用"),
    dict(state="锁定", locked_at=dt.datetime(2025, 12, 1, 9, 0)),
    dict(deleted_at=dt.datetime(2025, 12, 1, 9, 0)),
], ids=["停用", "锁定", "deleted"])
def test_accounts_that_may_not_sign_in_get_the_same_answer_with_the_right_password(app, db, change):
    """停用, 锁定 and withdrawn accounts: the generic error, no session, nothing else revealed."""
    client = app.server.test_client()
    reference = sign_in(client, "nobody_here", "Wrong@Pass2026").get_data()
    set_account(db, "city_staff", **change)
    response = sign_in(client, "city_staff")
    assert response.status_code == 401 and response.get_data() == reference
    assert sessions(db, "city_staff") == []


def test_five_wrong_passwords_lock_the_account(app, db):
    """The fifth consecutive failure locks (锁定, locked_at); then even the right password fails."""
    client = app.server.test_client()
    reference = sign_in(client, "nobody_here", "Wrong@Pass2026").get_data()
    for attempt in range(1, 5):
        assert sign_in(client, "donghuamen_ops", f"Wrong@Pass{attempt}").status_code == 401
    assert (account(db, "donghuamen_ops").state, account(db, "donghuamen_ops").failed_attempts) == (
        "正常", 4)
    sign_in(client, "donghuamen_ops", "Wrong@Pass5")
    locked = account(db, "donghuamen_ops")
    assert locked.state == "锁定" and locked.locked_at is not None and locked.failed_attempts == 5
    response = sign_in(client, "donghuamen_ops")
    assert response.status_code == 401 and response.get_data() == reference
    assert sessions(db, "donghuamen_ops") == []


def test_lockout_threshold_is_a_setting(auth_settings, db):
    """OA_LOGIN_MAX_FAILURES=2 locks on the second failure."""
    app = create_app(dataclasses.replace(auth_settings, login_max_failures=2))
    client = app.server.test_client()
    sign_in(client, "city_ops", "Wrong@Pass1")
    assert account(db, "city_ops").state == "正常"
    sign_in(client, "city_ops", "Wrong@Pass2")
    assert account(db, "city_ops").state == "锁定"


def test_success_resets_the_failure_count(app, db):
    """Failures count only while consecutive."""
    client = app.server.test_client()
    for attempt in range(4):
        sign_in(client, "city_leader", f"Wrong@Pass{attempt}")
    assert sign_in(client, "city_leader").status_code == 303
    assert account(db, "city_leader").failed_attempts == 0
    for attempt in range(4):
        sign_in(client, "city_leader", f"Wrong@Pass{attempt}")
    assert account(db, "city_leader").state == "正常"


def test_sign_in_always_issues_a_new_session_id(app, db):
    """Pre-login cookie, first and second session differ; the replaced session is ended."""
    client = app.server.test_client()
    login_form_token(client)
    pre_login = session_cookie(client)
    assert sign_in(client, "city_leader").status_code == 303
    first = session_cookie(client)
    assert sign_in(client, "city_leader").status_code == 303
    second = session_cookie(client)
    assert len({pre_login, first, second}) == 3
    old, new = sessions(db, "city_leader")
    assert old.ended_at is not None and new.ended_at is None
    for cookie in (pre_login, first):
        stale = replay(app, cookie)
        assert stale.get("/").status_code == 302
        assert stale.get("/_dash-layout").status_code == 401
    assert replay(app, second).get("/_dash-layout").status_code == 200


def test_a_copied_cookie_fails_after_logout(app, db):
    """Logout ends the session on the server: the same cookie in another browser gets nothing."""
    client = signed_in(app, "city_leader")
    copied = session_cookie(client)
    assert replay(app, copied).get("/_dash-layout").status_code == 200
    csrf = client.get_cookie("_csrf_token").value
    response = client.post("/logout", data={"csrf_token": csrf})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get_cookie("oa_session") is None and client.get_cookie("_csrf_token") is None
    (row,) = sessions(db, "city_leader")
    assert row.ended_at is not None
    thief = replay(app, copied)
    assert thief.get("/").status_code == 302
    assert thief.get("/_dash-layout").status_code == 401
    assert thief.get("/api/v1/me").status_code == 401


def test_logout_page_asks_before_ending_the_session(app, db):
    """GET /logout only shows a form; the session lives on until it is posted."""
    client = signed_in(app, "city_leader")
    page = client.get("/logout")
    assert page.status_code == 200 and 'action="/logout"' in page.get_data(as_text=True)
    assert sessions(db, "city_leader")[0].ended_at is None
    assert client.get("/_dash-layout").status_code == 200
    assert app.server.test_client().get("/logout").headers["Location"] == "/login"


@pytest.mark.parametrize("aged", [
    lambda now: dict(last_seen_at=now - dt.timedelta(minutes=121)),
    lambda now: dict(expires_at=now - dt.timedelta(seconds=1)),
], ids=["idle", "absolute"])
def test_sessions_end_after_idle_and_absolute_timeouts(app, db, aged):
    """120 idle minutes or the 12-hour lifetime, whichever comes first, end a session."""
    client = signed_in(app, "city_leader")
    assert client.get("/_dash-layout").status_code == 200
    set_sessions(db, "city_leader", **aged(beijing_now()))
    assert client.get("/_dash-layout").status_code == 401
    # The dead session's cookies are dropped, so the browser starts clean at the sign-in form.
    assert client.get_cookie("oa_session") is None and client.get_cookie("_csrf_token") is None
    assert client.get("/").status_code == 302


def test_activity_keeps_a_session_alive(app, db):
    """A request moves last_seen_at forward, so an active user is not timed out at 120 minutes."""
    client = signed_in(app, "city_leader")
    set_sessions(db, "city_leader", last_seen_at=beijing_now() - dt.timedelta(minutes=119))
    assert client.get("/_dash-layout").status_code == 200
    assert sessions(db, "city_leader")[0].last_seen_at > beijing_now() - dt.timedelta(minutes=1)


def test_locking_an_account_stops_its_sessions(app, db):
    """A session works only while its account may sign in."""
    client = signed_in(app, "city_leader")
    set_account(db, "city_leader", state="停用")
    assert client.get("/_dash-layout").status_code == 401


def test_cookie_flags(app, auth_settings):
    """Session cookie HttpOnly + Lax; Dash's CSRF cookie readable by scripts but Strict; both Secure."""
    client = app.server.test_client()
    token = login_form_token(client)
    response = client.post("/login", data={"username": "city_leader", "password": "Demo@2026",
                                           "csrf_token": token})
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert {"HttpOnly", "SameSite=Lax", "Secure"} <= set(cookies["oa_session"].split("; "))
    csrf = set(cookies["_csrf_token"].split("; "))
    assert {"SameSite=Strict", "Secure"} <= csrf and "HttpOnly" not in csrf
    plain = create_app(dataclasses.replace(auth_settings, cookie_secure=False)).server.test_client()
    assert "Secure" not in plain.get("/login").headers["Set-Cookie"]


def test_anonymous_page_request_is_sent_to_login_with_next(app):
    """The page and its query come back as ?next=, and sign-in returns there."""
    client = app.server.test_client()
    here = "/data?period=%E6%9C%AC%E6%9C%88"  # ?period=本月 as the browser sends it
    response = client.get(here)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query) == {"next": [here]}
    assert 'name="next" value="/data?period=%E6%9C%AC%E6%9C%88"' in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert sign_in(client, "city_leader", next=here).headers["Location"] == here


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil.example",
    "javascript:alert(1)", "/\t/evil.example", "", None,
])
def test_next_never_leads_off_the_site(app, target):
    """Anything but a local path is ignored: sign-in goes to the landing page instead."""
    assert safe_next(target) is None
    client = app.server.test_client()
    extra = {} if target is None else {"next": target}
    assert sign_in(client, "city_leader", **extra).headers["Location"] == "/"


def test_local_next_paths_are_kept():
    """Paths on this site, with their query, survive."""
    assert safe_next("/data?x=1&y=2") == "/data?x=1&y=2"
    assert safe_next("/") == "/"


def test_login_page_is_chinese_and_fits_a_phone(app):
    """The form speaks Chinese, scales to the device width and never exceeds a phone's."""
    page = app.server.test_client().get("/login").get_data(as_text=True)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "用户名" in page and "密码" in page and 'lang="zh-CN"' in page
    assert "max-width:24rem" in page and "bootstrap" in page


@pytest.mark.parametrize("key", [
    "", "dev", "secret", "changeme", "change-me", "please-change",
    "please-change-this-secret-key-in-production", secrets.token_urlsafe(23)[:31], "ab" * 20,
], ids=["missing", "dev", "secret", "changeme", "change-me", "please-change", "long-default",
        "31-chars", "repetitive"])
def test_app_refuses_to_start_without_a_strong_secret_key(auth_settings, key):
    """Missing, short, well-known or repetitive keys stop create_app with a clear message."""
    with pytest.raises(RuntimeError, match="OA_SECRET_KEY"):
        create_app(dataclasses.replace(auth_settings, secret_key=key))


def test_a_random_32_character_key_is_accepted(auth_settings):
    """The shortest key allowed starts the app."""
    app = create_app(dataclasses.replace(auth_settings, secret_key=secrets.token_hex(16)))
    assert app.server.test_client().get("/login").status_code == 200
