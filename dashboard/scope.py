"""Org scope: the unit whose subtree a caller may see, built on the server from the signed-in
account, and narrowed (never widened) by the org filter of a page or an API query."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import cache, warehouse
from dashboard.config import Settings


class OutOfScope(PermissionError):
    """The requested unit is not in the caller's subtree (or does not exist)."""


@dataclass(frozen=True)
class Scope:
    """One org unit and everything below it; queries filter on dim_org.path starting with path."""

    org_id: int
    code: str
    name: str
    level: str
    path: str

    def contains(self, other: "Scope") -> bool:
        """Whether other is this unit or one below it."""
        return other.path.startswith(self.path)


# Units whose rows a scoped query may read: `unit_id IN (<IN_SCOPE>)`, with the named parameter
# scope_path bound to Scope.path (queries use DuckDB's $name parameters throughout).
IN_SCOPE = "SELECT org_id FROM dim_org WHERE starts_with(path, $scope_path)"

# Each unit in scope with the unit directly below the scope unit that it lies under (the scope unit
# itself for its own rows): the categories of a "by unit" chart, whose click drills into that unit.
# Columns org_id, unit_id, unit_code, unit_name, unit_level, unit_order; binds $scope_path.
CHILD_UNITS = """
    SELECT o.org_id, c.org_id AS unit_id, c.code AS unit_code, c.name AS unit_name,
           c.level AS unit_level, c.sort_order AS unit_order
    FROM dim_org o
    JOIN dim_org c ON c.path = CASE WHEN o.path = $scope_path THEN o.path
        ELSE $scope_path || split_part(substr(o.path, length($scope_path) + 1), '/', 1) || '/' END
    WHERE starts_with(o.path, $scope_path)"""


def of_unit(settings: Settings, org_id: int) -> Scope:
    """The scope of an org unit by id (an account's scope_unit_id)."""
    return _one(settings, "org_id = ?", org_id)


def of_code(settings: Settings, code: str) -> Scope:
    """The scope of an org unit by its code (a filter or API parameter); OutOfScope if unknown."""
    return _one(settings, "code = ?", code)


def narrow(settings: Settings, own: Scope, code: str | None) -> Scope:
    """own, or the unit code names if it lies inside own; OutOfScope otherwise."""
    if not code or code == own.code:
        return own
    wanted = of_code(settings, code)
    if not own.contains(wanted):
        raise OutOfScope(f"{code} 不在您的数据范围内")
    return wanted


def _one(settings: Settings, where: str, value) -> Scope:
    # Every card and API call resolves its scope: cached per warehouse version, like the answers.
    found = cache.versioned(settings, ("org", where, value), lambda: _lookup(settings, where, value))
    if found is None:
        raise OutOfScope(f"没有这个单位：{value}")
    return found


def _lookup(settings: Settings, where: str, value) -> Scope | None:
    rows = warehouse.query(settings, f"SELECT org_id, code, name, level, path FROM dim_org WHERE {where}",
                           [value])
    if rows.empty:
        return None
    r = rows.iloc[0]
    return Scope(int(r.org_id), str(r.code), str(r["name"]), str(r.level), str(r.path))


def trail(settings: Settings, own: Scope, scope: Scope) -> list[Scope]:
    """The units from own down to scope (the breadcrumb of a drilled view); scope must lie in own."""
    if not own.contains(scope):
        raise OutOfScope(f"{scope.code} 不在您的数据范围内")
    below = scope.path[len(own.path):].strip("/")
    return [own] + [of_unit(settings, int(org_id)) for org_id in below.split("/") if org_id]


def tree(settings: Settings, own: Scope) -> list[tuple[Scope, int]]:
    """own and every unit below it, depth first in the bureau's order, with depth below own."""
    # Asked on every page the shell draws: cached per warehouse version and scope.
    return cache.scoped(settings, "org-tree", own, None, lambda: _tree(settings, own))


def _tree(settings: Settings, own: Scope) -> list[tuple[Scope, int]]:
    rows = warehouse.query(settings, "SELECT org_id, parent_id, code, name, level, path, sort_order "
                                     "FROM dim_org WHERE starts_with(path, ?) "
                                     "ORDER BY sort_order, code", [own.path])
    kids: dict[int, list] = {}
    for r in rows.itertuples():
        kids.setdefault(None if pd.isna(r.parent_id) else int(r.parent_id), []).append(r)
    out: list[tuple[Scope, int]] = []

    def walk(r, depth: int) -> None:
        out.append((Scope(int(r.org_id), r.code, r.name, r.level, r.path), depth))
        for child in kids.get(int(r.org_id), []):
            walk(child, depth + 1)

    walk(next(r for r in rows.itertuples() if int(r.org_id) == own.org_id), 0)
    return out
