"""Org scope: built from dim_org, narrowed inside the caller's subtree, never widened."""
from __future__ import annotations

import pytest

from dashboard import scope as scopes
from tests.support import SCOPE_CODES


def test_a_district_may_narrow_to_its_street_but_not_reach_another_district(warehouse_settings):
    """东城 sees 东华门; 西城 (110102) and the city are out of its scope."""
    dongcheng = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    street = scopes.narrow(warehouse_settings, dongcheng, SCOPE_CODES["street"])
    assert street.level == "街乡镇" and dongcheng.contains(street) and not street.contains(dongcheng)
    assert scopes.narrow(warehouse_settings, dongcheng, None) == dongcheng
    for code in ("110102", SCOPE_CODES["city"], "no-such-unit"):
        with pytest.raises(scopes.OutOfScope):
            scopes.narrow(warehouse_settings, dongcheng, code)


def test_the_city_contains_every_district(warehouse_settings):
    """The 市局 root has the 15 处室 and 16 区局 directly below it."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    below = scopes.children(warehouse_settings, city)
    assert sum(s.level == "区局" for s in below) == 16 and all(city.contains(s) for s in below)
