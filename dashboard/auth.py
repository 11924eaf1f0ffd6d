"""Sign-in, server-side sessions, bearer tokens, CSRF and the one deny-by-default guard of every request."""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode, urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Flask, Response, current_app, g, jsonify, redirect, render_template_string, request, session,
)
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy.orm import Session

from dashboard import i18n, permissions
from dashboard.config import Settings
from dashboard.i18n import N_, _
from models import identity
from models.db import open_engine

GENERIC_ERROR = N_("用户名或密码错误")
MIN_SECRET_KEY = 32
# Keys from tutorials, examples and templates: a signed cookie is only as secret as its key.
KNOWN_DEFAULT_KEYS = frozenset({
    "dev", "development", "secret", "secret-key", "secret_key", "secretkey", "changeme",
    "change-me", "change_me", "please-change", "please-change-me", "default", "test", "password",
    "your-secret-key", "super-secret-key", "replace-with-a-long-random-string",
    "please-change-this-secret-key-in-production",
})
# A random key of 32+ characters has far more distinct characters than this; "aaaa…" or a
# short word repeated does not.
MIN_DISTINCT_KEY_CHARS = 8
MIN_PASSWORD = 10
SESSION_COOKIE = "oa_session"
# The cookie Dash's renderer reads and echoes as the X-CSRFToken header of every request it
# makes (dash-renderer getCSRFHeader); JavaScript must read it, so it cannot be HttpOnly.
CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOGIN_RULE, LOGOUT_RULE = "/login", "/logout"

# The pages below are Jinja templates: _() is i18n.gettext, in the language of the request.
_PAGE_HEAD = """<!doctype html>
<html lang="{{ html_lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ _("城管执法局 OA 数据分析") }}</title>
<link rel="stylesheet" href="{{ stylesheet }}">
<link rel="icon" href="/_favicon.ico">
<style>body{background:#f4f6f9;font-family:system-ui,sans-serif;margin:0}
.oa-box{max-width:24rem;margin:8vh auto;padding:0 1rem}
.oa-box input,.oa-box button{box-sizing:border-box;width:100%}</style>
</head><body><main class="oa-box">
<h1 class="h5 text-center mb-4">{{ _("北京市城管执法局") }}<br>{{ _("OA 数据分析与报表") }}</h1>
"""
LOGIN_PAGE = _PAGE_HEAD + """
{% if error %}<div class="alert alert-danger" role="alert">{{ error }}</div>{% endif %}
<form method="post" action="/login" class="card card-body shadow-sm">
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
{% if next %}<input type="hidden" name="next" value="{{ next }}">{% endif %}
{% if chosen %}<input type="hidden" name="lang" value="{{ chosen }}">{% endif %}
<label class="form-label" for="username">{{ _("用户名") }}</label>
<input class="form-control mb-3" id="username" name="username" autocomplete="username" required autofocus>
<label class="form-label" for="password">{{ _("密码") }}</label>
<input class="form-control mb-3" id="password" name="password" type="password"
 autocomplete="current-password" required>
<button class="btn btn-primary" type="submit">{{ _("登录") }}</button>
</form>
<p class="text-center mt-3"><a id="login-lang" href="{{ switch_href }}" lang="{{ switch_lang }}">
{{- switch_name }}</a></p>
</main></body></html>
"""
FORBIDDEN_PAGE = _PAGE_HEAD + """<div class="card card-body shadow-sm">
<p>{{ _("{name}，您的角色无权访问此页面。").format(name=username) }}</p>
{% if home %}<a class="btn btn-primary mb-2" href="{{ home }}">{{ _("返回可访问的页面") }}</a>{% endif %}
<a class="btn btn-link" href="/logout">{{ _("退出登录") }}</a>
</div></main></body></html>
"""
LOGOUT_PAGE = _PAGE_HEAD + """<form method="post" action="/logout" class="card card-body shadow-sm">
<p>{{ _("{name}，确定退出登录吗？").format(name=username) }}</p>
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
<button class="btn btn-primary mb-2" type="submit">{{ _("退出登录") }}</button>
<a class="btn btn-link" href="/">{{ _("返回") }}</a>
</form></main></body></html>
"""


def check_secret_key(key: str) -> None:
    """Raise RuntimeError unless key is fit to sign session cookies (32+ characters, no known default)."""
    advice = ("set OA_SECRET_KEY to a random string, e.g. the output of "
              "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
    if not key:
        raise RuntimeError(f"OA_SECRET_KEY is not set: {advice}")
    if key.strip().lower() in KNOWN_DEFAULT_KEYS:
        raise RuntimeError(f"OA_SECRET_KEY is a well-known default: {advice}")
    if len(key) < MIN_SECRET_KEY:
        raise RuntimeError(f"OA_SECRET_KEY has {len(key)} characters, fewer than {MIN_SECRET_KEY}: "
                           f"{advice}")
    if len(set(key)) < MIN_DISTINCT_KEY_CHARS:
        raise RuntimeError(f"OA_SECRET_KEY is not random (too few distinct characters): {advice}")


def password_problem(password: str) -> str | None:
    """Why a new password is too weak (None if it will do): 10+ characters of 3 of 4 kinds."""
    if len(password) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters"
    kinds = (any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password))
    if sum(kinds) < 3:
        return ("the password must mix at least three of: lower case, upper case, digits, "
                "other characters")
    return None


def hash_password(password: str) -> str:
    """The argon2id hash stored in user_account.password_hash."""
    return _hasher().hash(password)


@dataclass(frozen=True)
class CurrentUser(UserMixin):
    """The signed-in account (current_user); its scope comes from the database, never the request."""

    id: int
    username: str
    roles: frozenset[str]
    scope_unit_id: int
    scope_code: str
    ui_lang: str


@dataclass(frozen=True)
class _Auth:
    """How this request signed in: a session (raw id and its CSRF token) or a bearer token."""

    via: str
    sid: str | None = None
    csrf: str | None = None


@dataclass(frozen=True)
class _State:
    """What the guard needs of the app: settings, the identity database, the page resolver."""

    settings: Settings
    engine: object
    stylesheet: str
    page_of: Callable[[str], str | None]


def init_app(server: Flask, settings: Settings, *, stylesheet: str,
             page_of: Callable[[str], str | None]) -> None:
    """Install sign-in, sign-out, /api/v1/me and the guard; page_of maps a URL path to its page path."""
    check_secret_key(settings.secret_key)
    server.secret_key = settings.secret_key
    server.config.update(
        # The Flask cookie carries only the random session id (or, before sign-in, the form's
        # CSRF token); everything else stays on the server.
        SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.cookie_secure,
        # No remember-me; an unusual name so another app's remember_token on the same host
        # cannot make Flask-Login skip our request loader.
        REMEMBER_COOKIE_NAME="oa_remember_unused",
    )
    server.extensions["oa_auth"] = _State(settings, open_engine(settings.source_url("identity")),
                                          stylesheet, page_of)
    manager = LoginManager()
    manager.session_protection = None  # sessions are checked on the server on every request
    manager.request_loader(_load_user)
    manager.init_app(server)
    # First of all hooks, so an anonymous request reaches nothing else, Dash's set-up included.
    server.before_request_funcs.setdefault(None, []).insert(0, _guard)
    server.after_request(_after_request)
    server.add_url_rule(LOGIN_RULE, "login", login, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_RULE, "logout", logout, methods=["GET", "POST"])
    server.add_url_rule("/api/v1/me", "api_me", api_me, methods=["GET"])


def login() -> Response | tuple[str, int]:
    """GET: the sign-in form; POST: check the password, start a new session, go to ?next= or home.
    A language chosen on the form (?lang=) becomes the user's own on sign-in."""
    target = safe_next(request.values.get("next"))
    if request.method == "POST":
        user_id = authenticate(request.form.get("username", ""), request.form.get("password", ""))
        if user_id is not None:
            return _start_session(user_id, target, _chosen_lang())
        return _login_page(target, _(GENERIC_ERROR)), 401
    return _login_page(target, None), 200


def logout() -> Response | str:
    """GET: a confirmation form; POST (with the CSRF token): end the session on the server."""
    auth: _Auth = g.oa_auth
    if request.method == "GET":
        return _render(LOGOUT_PAGE, title=_("退出登录"), username=current_user.username,
                       csrf_token=auth.csrf)
    lang = i18n.lang()
    with _db() as db, db.begin():
        identity.end_session(db, auth.sid, now=identity.beijing_now())
    session.clear()
    g.oa_auth = None
    # The sign-in form comes back in the language the user just used.
    response = redirect(LOGIN_RULE if lang == i18n.DEFAULT else f"{LOGIN_RULE}?lang={lang}", 303)
    response.delete_cookie(CSRF_COOKIE, samesite="Strict", secure=_state().settings.cookie_secure)
    return response


def api_me() -> Response:
    """The caller's account: username, roles and scope (org_unit.code), by session or bearer token."""
    return jsonify(username=current_user.username, roles=sorted(current_user.roles),
                   scope=current_user.scope_code)


def save_language(lang: str) -> None:
    """Remember lang as the signed-in user's language (the navbar's switch); ValueError if unknown."""
    with _db() as db, db.begin():
        identity.set_ui_lang(db, current_user.id, lang)


def authenticate(username: str, password: str) -> int | None:
    """The account id if username and password match an account that may sign in; counts failures."""
    settings, now = _state().settings, identity.beijing_now()
    with _db() as db, db.begin():
        account = identity.find_account(db, username)
        # Always verify one hash, so an unknown name costs the same time as a wrong password.
        matches = _verify(account.password_hash if account else _dummy_hash(), password)
        if account is None or not identity.may_log_in(account):
            return None
        if not matches:
            identity.record_failed_login(db, account, now=now,
                                         max_failures=settings.login_max_failures)
            return None
        identity.record_login(db, account, now=now)
        if _hasher().check_needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return account.id


def safe_next(value: str | None) -> str | None:
    """value if it is a path on this site (no open redirect), else None."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def _guard() -> Response | tuple[Response, int] | None:
    """Deny by default: public routes pass, the rest need a user, a CSRF token and the map's consent."""
    rule = request.url_rule.rule if request.url_rule is not None else None
    if rule in permissions.PUBLIC:
        if rule == LOGIN_RULE and request.method not in SAFE_METHODS and not _login_csrf_ok():
            # A fresh form (and token) instead of a bare error: usually the form was just stale.
            return _login_page(safe_next(request.values.get("next")), _("页面已过期，请重新登录")), 403
        return None
    if not current_user.is_authenticated:
        return _unauthenticated(rule)
    auth: _Auth = g.oa_auth
    if auth.via == "session" and request.method not in SAFE_METHODS and not _csrf_ok(auth.csrf):
        return _refuse(403, _("CSRF 校验失败，请刷新页面后重试"))
    if rule is None:
        return None  # Flask answers 404 or 405
    if not _permitted(rule, current_user.roles):
        if rule in permissions.PAGE_RULES and request.method == "GET":
            return _forbidden_page(), 403
        return _refuse(403, _("无权访问"))
    return None


def _permitted(rule: str, roles: frozenset[str]) -> bool:
    """The permission map's answer for this request."""
    if rule in permissions.PAGE_RULES:
        return permissions.may(roles, permissions.page_roles(_state().page_of(request.path)))
    if rule == permissions.CALLBACK_RULE:
        return _callback_permitted(roles)
    return permissions.may(roles, permissions.route_roles(rule))


def _callback_permitted(roles: frozenset[str]) -> bool:
    """A Dash callback by its posted output; the page router also by the page it would render."""
    body = request.get_json(silent=True)
    output = body.get("output") if isinstance(body, dict) else None
    if not permissions.may(roles, permissions.callback_roles(output)):
        return False
    if output != permissions.PAGE_ROUTER:
        return True
    # Dash hands the router its inputs by position, whatever ids the body names: the first is
    # the pathname it renders, so that is the one checked.
    inputs = body.get("inputs")
    first = inputs[0] if isinstance(inputs, list) and inputs else None
    if not (isinstance(first, dict) and first.get("id") == "_pages_location"
            and first.get("property") == "pathname" and isinstance(first.get("value"), str)):
        return False
    return permissions.may(roles, permissions.page_roles(_state().page_of(first["value"])))


def _unauthenticated(rule: str | None) -> Response | tuple[Response, int]:
    """Browsers asking for a page go to the sign-in form; everything else gets 401."""
    # Dash's catch-all route also matches GET /_dash-... and /api/... paths: those are never pages.
    page = rule in permissions.PAGE_RULES and not request.path.startswith(("/_", "/api/"))
    if request.method in ("GET", "HEAD") and page:
        query = request.query_string.decode("utf-8", "replace")
        here = request.path + (f"?{query}" if query else "")
        return redirect(f"{LOGIN_RULE}?{urlencode({'next': here})}", 302)
    if request.method in ("GET", "HEAD") and rule == LOGOUT_RULE:
        return redirect(LOGIN_RULE, 302)
    return _refuse(401, _("未登录或会话已过期"))


def _refuse(status: int, message: str) -> tuple[Response, int]:
    """A JSON refusal: what Dash, API clients and scripts get from the guard."""
    return jsonify(error=message), status


def _login_csrf_ok() -> bool:
    """The sign-in form's token matches the one kept in this browser's (pre-session) cookie."""
    expected = session.get("login_csrf")
    return bool(expected) and _same(request.form.get(CSRF_FIELD, ""), expected)


def _csrf_ok(expected: str | None) -> bool:
    """The session's CSRF token came back in the X-CSRFToken header (Dash) or the form field."""
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    return bool(expected) and _same(sent, expected)


def _same(sent: str, expected: str) -> bool:
    """Constant-time comparison (bytes, so non-ASCII input cannot raise)."""
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode())


def _load_user(req) -> CurrentUser | None:
    """Flask-Login's request loader: a bearer token on /api/v1, else the session cookie."""
    now = identity.beijing_now()
    header = req.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    with _db() as db, db.begin():
        if req.path.startswith(permissions.API_PREFIX) and scheme.lower() == "bearer":
            row = identity.live_token(db, token.strip(), now=now)
            if row is None:
                return None
            g.oa_auth = _Auth("token")
            return _user(db, row.user_id)
        return _user_of_session(db, now)


def _user_of_session(db: Session, now: dt.datetime) -> CurrentUser | None:
    """The user of the cookie's session id; a stale id is dropped from the cookie."""
    raw = session.get("sid")
    if not isinstance(raw, str):
        return None
    settings = _state().settings
    row = identity.live_session(db, raw, now=now,
                                idle=dt.timedelta(minutes=settings.session_idle_minutes))
    if row is None:
        session.pop("sid")
        g.oa_stale = True
        return None
    g.oa_auth = _Auth("session", raw, row.csrf_token)
    return _user(db, row.user_id)


def _user(db: Session, user_id: int) -> CurrentUser:
    """The CurrentUser of an account, roles and scope read now (a change applies at once)."""
    p = identity.profile(db, user_id)
    return CurrentUser(p.user_id, p.username, p.roles, p.scope_unit_id, p.scope_code, p.ui_lang)


def _start_session(user_id: int, target: str | None, lang: str | None) -> Response:
    """A fresh session id for the cookie (ending the one it replaces) and the CSRF cookie for Dash;
    lang, if the form chose one, becomes the user's language."""
    settings, now = _state().settings, identity.beijing_now()
    with _db() as db, db.begin():
        old = session.get("sid")
        if isinstance(old, str):
            identity.end_session(db, old, now=now)
        if lang is not None:
            identity.set_ui_lang(db, user_id, lang)
        raw, row = identity.open_session(db, user_id, now=now,
                                         lifetime=dt.timedelta(hours=settings.session_max_hours))
        csrf, roles = row.csrf_token, identity.profile(db, user_id).roles
    session.clear()
    session["sid"] = raw
    response = redirect(target or permissions.landing_page(roles) or "/", 303)
    _set_csrf_cookie(response, csrf)
    return response


def _login_page(target: str | None, error: str | None) -> str:
    """The sign-in form; its CSRF token lives in the pre-session cookie until sign-in."""
    if "login_csrf" not in session:
        session["login_csrf"] = secrets.token_urlsafe(32)
    other = "en" if i18n.lang() == "zh" else "zh"
    switch = {"lang": other, **({"next": target} if target else {})}
    return _render(LOGIN_PAGE, title=_("登录"), error=error, next=target,
                   csrf_token=session["login_csrf"], chosen=_chosen_lang(),
                   switch_href=f"{LOGIN_RULE}?{urlencode(switch)}", switch_lang=i18n.HTML_LANG[other],
                   switch_name=i18n.LANGUAGE_NAMES[other])


def _chosen_lang() -> str | None:
    """The language picked on the sign-in form (?lang= or its hidden field), if any."""
    chosen = request.values.get("lang")
    return chosen if chosen in identity.UI_LANGS else None


def _forbidden_page() -> str:
    """403 for a page: says so in the user's language and offers the user's own landing page."""
    return _render(FORBIDDEN_PAGE, title=_("无权访问"), username=current_user.username,
                   home=permissions.landing_page(current_user.roles))


def _render(template: str, **context) -> str:
    """One of the pages above, in the language of the request."""
    return render_template_string(template, _=i18n.gettext, html_lang=i18n.html_lang(),
                                  stylesheet=_state().stylesheet, **context)


def _after_request(response: Response) -> Response:
    """Keep Dash's CSRF cookie equal to the session's token; headers against framing and sniffing."""
    auth: _Auth | None = g.get("oa_auth")
    if auth is not None and auth.csrf and request.cookies.get(CSRF_COOKIE) != auth.csrf:
        _set_csrf_cookie(response, auth.csrf)
    elif g.get("oa_stale") and CSRF_COOKIE in request.cookies:
        response.delete_cookie(CSRF_COOKIE, samesite="Strict",
                               secure=_state().settings.cookie_secure)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    rule = request.url_rule.rule if request.url_rule is not None else None
    if rule not in permissions.PUBLIC or rule == LOGIN_RULE:
        response.headers["Cache-Control"] = "no-store"
    return response


def _set_csrf_cookie(response: Response, token: str) -> None:
    """The cookie Dash's renderer copies into X-CSRFToken: readable by scripts, never sent cross-site."""
    response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Strict",
                        secure=_state().settings.cookie_secure)


def _state() -> _State:
    return current_app.extensions["oa_auth"]


def _db() -> Session:
    return Session(_state().engine, expire_on_commit=False)


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password with the same parameters, verified when the name is unknown."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
