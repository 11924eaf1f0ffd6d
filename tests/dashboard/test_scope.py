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
    below = [unit for unit, depth in scopes.tree(warehouse_settings, city) if depth == 1]
    assert sum(s.level == "区局" for s in below) == 16 and all(city.contains(s) for s in below)


def test_the_org_tree_of_a_scope_lists_its_subtree_depth_first(warehouse_settings):
    """The filter's tree: the city and all 374 units below it, each after its parent; a
    district's tree is the district and its streets only."""
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    tree = scopes.tree(warehouse_settings, city)
    assert tree[0] == (city, 0) and len(tree) == 1 + 15 + 16 + 343
    seen = set()
    for unit, depth in tree:
        parent = unit.path.rstrip("/").rsplit("/", 1)[0] + "/"
        assert depth == 0 or parent in seen
        seen.add(unit.path)
    district = scopes.of_code(warehouse_settings, SCOPE_CODES["district"])
    below = scopes.tree(warehouse_settings, district)
    assert below[0] == (district, 0) and all(d == 1 and u.level == "街乡镇" for u, d in below[1:])
