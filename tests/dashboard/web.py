"""Helpers of the dashboard tests: sign in through the form, replay cookies, post Dash callbacks."""
from __future__ import annotations

import re
import sys

import dash
from sqlalchemy import select, update

from models import identity
from models.demo.identity import DEMO_PASSWORD

ROUTER = ".._pages_content.children..._pages_store.data.."


def login_form_token(client) -> str:
    """GET /login and return the CSRF token of its form."""
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username: str, password: str = DEMO_PASSWORD, **extra: str):
    """Sign in through the form as a browser does; returns the POST's response."""
    token = login_form_token(client)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token, **extra})


def signed_in(app, username: str):
    """A test client signed in as username (a demo account unless created otherwise)."""
    client = app.server.test_client()
    response = sign_in(client, username)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def session_cookie(client) -> str:
    """The value of the client's session cookie."""
    return client.get_cookie("oa_session").value


def replay(app, cookie: str):
    """A fresh client (another browser) that carries only a copied session cookie."""
    client = app.server.test_client()
    client.set_cookie("oa_session", cookie)
    return client


def router_body(pathname: str, search: str = "") -> dict:
    """The body Dash's renderer posts to /_dash-update-component when the URL changes."""
    return {"output": ROUTER,
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def post_callback(client, body: dict, csrf: bool = True):
    """POST a Dash callback, with the X-CSRFToken header the renderer copies from the cookie."""
    headers = {"X-CSRFToken": client.get_cookie("_csrf_token").value} if csrf else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def set_account(engine, username: str, **values) -> None:
    """Change columns of one account directly in the database (as an administrator's tool would)."""
    table = identity.UserAccount.__table__
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.username == username).values(**values))


def set_sessions(engine, username: str, **values) -> None:
    """Change columns of every session of one account (to age them past a timeout)."""
    table, account = identity.UserSession.__table__, identity.UserAccount.__table__
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.user_id == select(account.c.id).where(
            account.c.username == username).scalar_subquery()).values(**values))


def account(engine, username: str):
    """The user_account row of username."""
    table = identity.UserAccount.__table__
    with engine.connect() as conn:
        return conn.execute(select(table).where(table.c.username == username)).one()


def sessions(engine, username: str) -> list:
    """The user_session rows of username, oldest first."""
    table, account_t = identity.UserSession.__table__, identity.UserAccount.__table__
    with engine.connect() as conn:
        return conn.execute(select(table).join(account_t, account_t.c.id == table.c.user_id)
                            .where(account_t.c.username == username).order_by(table.c.id)).all()


def card_body(module: str, query: dict) -> dict:
    """The body Dash posts for one overview card (pattern-matching id, one module) on first render."""
    return {"output": '{"module":["MATCH"],"type":"overview-card"}.children',
            "outputs": {"id": {"module": module, "type": "overview-card"}, "property": "children"},
            "inputs": [{"id": {"module": module, "type": "overview-query"}, "property": "data",
                        "value": query}],
            # As on the page's first render: nothing has changed yet, the card fills itself.
            "changedPropIds": [], "state": []}


def texts(node) -> list[str]:
    """Every string inside a Dash component tree as serialised in a callback response."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


def page_module(path: str):
    """The module of the page registered at path, as create_app loaded it (importing the page
    file again would register its path a second time)."""
    (page,) = [p for p in dash.page_registry.values() if p["path"] == path]
    return sys.modules[page["module"]]
