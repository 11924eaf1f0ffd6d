"""GET /api/v1/metrics/<module>: the overview's numbers in the caller's scope; another scope is 403."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from dashboard import queries
from dashboard import scope as scopes
from dashboard.period import custom
from models import identity
from tests.support import SCOPE_CODES
from tests.dashboard.web import signed_in

YEAR = "start=2025-01-01&end=2025-12-31"


def expected(app, module: str, code: str) -> dict:
    """What summary() answers for the unit and 2025, straight from the query function."""
    settings = app.server.config["OA_SETTINGS"]
    return queries.summary(module, settings, scope=scopes.of_code(settings, code),
                           period=custom(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))


def test_a_leader_gets_the_city_and_any_district(data_app):
    """The city leader's default org is the city; naming a district narrows to it."""
    client = signed_in(data_app, "city_leader")
    body = client.get(f"/api/v1/metrics/hr?{YEAR}").get_json()
    assert body["org"] == SCOPE_CODES["city"] and (body["start"], body["end"]) == ("2025-01-01", "2025-12-31")
    assert body["metrics"] == expected(data_app, "hr", SCOPE_CODES["city"])
    assert body["metrics"]["headcount"] > 0 and body["as_of"].startswith("20")
    other = client.get(f"/api/v1/metrics/hr?org=110102&{YEAR}")
    assert other.status_code == 200 and other.get_json()["metrics"] == expected(data_app, "hr", "110102")


def test_a_district_head_gets_its_district_and_streets_and_nothing_else(data_app):
    """东城's head: own district by default, its street when asked, 403 for 西城 or the city."""
    client = signed_in(data_app, "dongcheng_dept_head")
    own = client.get(f"/api/v1/metrics/hr?{YEAR}").get_json()
    assert own["org"] == SCOPE_CODES["district"]
    assert own["metrics"] == expected(data_app, "hr", SCOPE_CODES["district"])
    street = client.get(f"/api/v1/metrics/hr?org={SCOPE_CODES['street']}&{YEAR}").get_json()
    assert street["metrics"] == expected(data_app, "hr", SCOPE_CODES["street"])
    for code in ("110102", SCOPE_CODES["city"]):
        refused = client.get(f"/api/v1/metrics/hr?org={code}&{YEAR}")
        assert refused.status_code == 403 and "metrics" not in refused.get_json()


def test_a_bearer_token_is_held_to_its_accounts_scope(data_app, db):
    """The mobile client's token of 东城's leader reads 东城 and is refused 西城."""
    with Session(db) as s, s.begin():
        raw, _ = identity.issue_token(s, "dongcheng_leader", label="执法城管通")
    client = data_app.server.test_client()
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get(f"/api/v1/metrics/hr?{YEAR}", headers=headers).get_json()
    assert body["org"] == SCOPE_CODES["district"] and body["metrics"]["headcount"] > 0
    assert client.get(f"/api/v1/metrics/hr?org=110102&{YEAR}", headers=headers).status_code == 403


@pytest.mark.parametrize("url, status, words", [
    ("/api/v1/metrics/nosuch", 404, "没有这个模块"),
    ("/api/v1/metrics/hr?start=2025-02-01&end=2025-01-01", 400, "早于"),
    ("/api/v1/metrics/hr?start=2025-02-01", 400, "YYYY-MM-DD"),
])
def test_bad_requests_say_why(data_app, url, status, words):
    """An unknown module or a malformed period is refused with its reason."""
    response = signed_in(data_app, "city_leader").get(url)
    assert response.status_code == status and words in response.get_json()["error"]
