"""The overview cards: each shows its module's numbers for the signed-in user's scope and period,
with the change against the previous period; a forged org outside the scope gets no numbers."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import card_body, page_module, post_callback, signed_in, texts
from tests.support import SCOPE_CODES

USERS = {"city": "city_leader", "district": "dongcheng_dept_head", "street": "donghuamen_dept_head"}
MONTH = {"period": "custom", "start": "2025-10-01", "end": "2025-10-31"}


def overview_cards() -> dict:
    """CARDS of pages/overview.py as create_app loaded it (importing the page file again would
    register "/" a second time)."""
    return page_module("/").CARDS


def card_texts(client, module: str, query: dict) -> list[str]:
    response = post_callback(client, card_body(module, query))
    assert response.status_code == 200, response.get_data(as_text=True)
    return texts(response.get_json())


MODULES = ("hr", "attendance", "office", "contract", "training", "appraisal", "uniform", "asset",
           "cabinet", "portal", "mail", "identity", "ops")


def test_there_is_a_card_for_every_module_and_ops(data_app):
    """Twelve OA modules and ops: one card each, in the order of MODULES above."""
    assert tuple(overview_cards()) == MODULES


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("level", USERS)
def test_each_card_shows_its_modules_numbers_for_the_users_own_scope(data_app, level, module):
    """Every line of every card, for a city, a district and a street user: the value for October
    2025 in the user's own unit and its change from September, as the module's summary query
    computes them (tests/dashboard/queries/test_<module>.py checks each query against the
    operational database for the same scopes and periods)."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    october = custom(dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    assert october.previous() == custom(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    now = queries.summary(module, settings, scope=scope, period=october)
    before = queries.summary(module, settings, scope=scope, period=october.previous())
    shown = card_texts(signed_in(data_app, USERS[level]), module, MONTH)
    for metric, _label, kind in overview_cards()[module][1]:
        assert formats.value(now[metric], kind) in shown, metric
        assert f"较上期 {formats.change(now[metric], before[metric], kind)}" in shown, metric


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head posts the card callback naming 西城 (or the city): the card says it is out of
    scope and carries no figure."""
    client = signed_in(data_app, USERS["district"])
    for code in ("110102", SCOPE_CODES["city"]):
        shown = " ".join(card_texts(client, "hr", {**MONTH, "org": code}))
        assert "不在您的数据范围内" in shown and "在岗人数" not in shown


def test_every_card_answers_under_its_title(data_app):
    """Every card answers: numbers, or the reason there are none."""
    client = signed_in(data_app, USERS["city"])
    for module, (title, _lines) in overview_cards().items():
        shown = " ".join(card_texts(client, module, MONTH))
        assert title in shown
