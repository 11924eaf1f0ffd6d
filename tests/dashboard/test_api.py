"""Bearer tokens of the mobile clients: /api/v1/me with a token; revoked or wrong ones fail; no pages."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import identity
from tests.dashboard.web import router_body, set_account, signed_in


@pytest.fixture
def token(db) -> tuple[str, int]:
    """A fresh token of dongcheng_leader (raw value, id), issued as `token create` does."""
    with Session(db) as s, s.begin():
        raw, row = identity.issue_token(s, "dongcheng_leader", label="京办")
        return raw, row.id


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_me_answers_a_bearer_token_with_the_accounts_scope(app, token):
    """Username, roles and org code come from the token's account; no cookie is set."""
    response = app.server.test_client().get("/api/v1/me", headers=bearer(token[0]))
    assert response.status_code == 200
    assert response.get_json() == {"username": "dongcheng_leader", "roles": ["leader"],
                                   "scope": "110101"}
    assert "Set-Cookie" not in response.headers


def test_only_the_hash_of_a_token_is_stored(db, token):
    """api_token keeps sha256(token); the raw value is nowhere in the row."""
    with db.connect() as conn:
        row = conn.execute(select(identity.ApiToken.__table__)
                           .where(identity.ApiToken.id == token[1])).one()
    assert row.token_hash == hashlib.sha256(token[0].encode()).hexdigest()
    assert token[0] not in {str(v) for v in row}


def test_a_revoked_token_stops_working(app, db, token):
    """Revocation takes effect on the next request."""
    client = app.server.test_client()
    assert client.get("/api/v1/me", headers=bearer(token[0])).status_code == 200
    with Session(db) as s, s.begin():
        identity.revoke_token(s, token[1], now=identity.beijing_now())
    assert client.get("/api/v1/me", headers=bearer(token[0])).status_code == 401


@pytest.mark.parametrize("header", [
    "Bearer oa_not-a-real-token", "Bearer ", "Bearer", "Basic Y2l0eV9sZWFkZXI6RGVtb0AyMDI2",
])
def test_a_wrong_token_gets_401(app, token, header):
    """Unknown tokens, empty tokens and other schemes: 401."""
    response = app.server.test_client().get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_token_of_a_disabled_account_gets_401(app, db, token):
    """Switching an account off (停用) also stops its tokens."""
    set_account(db, "dongcheng_leader", state="停用")
    assert app.server.test_client().get("/api/v1/me", headers=bearer(token[0])).status_code == 401


def test_a_bearer_token_opens_no_page_and_no_dash_endpoint(app, token):
    """Tokens count on /api/v1 only: pages redirect to sign-in, Dash's requests get 401."""
    client = app.server.test_client()
    headers = bearer(token[0])
    assert client.get("/", headers=headers).status_code == 302
    assert client.get("/_dash-layout", headers=headers).status_code == 401
    assert client.post("/_dash-update-component", json=router_body("/"),
                       headers=headers).status_code == 401


def test_a_bearer_token_beats_a_session_cookie_on_the_api(app):
    """With both, the token decides: a bad token is 401 even for a signed-in browser."""
    client = signed_in(app, "city_leader")
    assert client.get("/api/v1/me").get_json()["username"] == "city_leader"
    assert client.get("/api/v1/me", headers=bearer("oa_wrong")).status_code == 401


def test_bearer_requests_need_no_csrf_token(app, token):
    """No cookies, so no CSRF: a state-changing bearer request passes the CSRF check (and meets 405)."""
    response = app.server.test_client().post("/api/v1/me", headers=bearer(token[0]))
    assert response.status_code == 405
