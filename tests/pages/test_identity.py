"""The 统一认证、电子签章 page's own behaviour (tests/pages/test_tiles.py checks what every page
shares): the unit chart drills one level down."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import scope as scopes
from tests.pages.tiles import page_tiles, view_frame
from tests.support import SCOPE_CODES

PAGE = "identity"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city, 东城's
# head at the district and drilled into 东华门街道.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None),
         "street": ("dongcheng_dept_head", SCOPE_CODES["street"], SCOPE_CODES["street"])}
NUMBER_KINDS = ("count", "rate", "hours", "number", "days", "money", "ms")

tiles = partial(page_tiles, "/identity")
expected = partial(view_frame, VIEWS)


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city; 东城's head at the district, then drilled into a street."""
    return request.param


def test_the_unit_chart_drills_one_level_down(data_app):
    """The account bars are the units directly below the one shown (or itself), each with its code
    for the click; a street drilled into shows itself."""
    settings = data_app.server.config["OA_SETTINGS"]
    (accounts,) = [t for t in tiles() if t.name == "accounts_unit"]
    for view in VIEWS:
        scope = scopes.of_code(settings, VIEWS[view][1])
        codes = expected(data_app, accounts, view, "year")["unit_code"].tolist()
        units = [scopes.of_code(settings, c) for c in codes]
        assert units and all(u == scope or u.path == f"{scope.path}{u.org_id}/" for u in units), view
    assert codes == [SCOPE_CODES["street"]]
