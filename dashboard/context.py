"""What the current request may see: the signed-in user's scope (from the server-side session or
token, never from the request), narrowed by the org filter, and the period of the filter bar."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask_login import current_user

from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.config import Settings


@dataclass(frozen=True)
class View:
    """The scope and period a page or an API answer is computed for."""

    own: scopes.Scope
    scope: scopes.Scope
    period: periods.Period


def own_scope(settings: Settings) -> scopes.Scope:
    """The signed-in account's own scope unit and its subtree."""
    if not current_user.is_authenticated:
        raise PermissionError("not signed in")
    return scopes.of_unit(settings, current_user.scope_unit_id)


def view(settings: Settings, query: dict[str, str]) -> View:
    """The user's scope narrowed by query['org'] (OutOfScope if outside it) and query's period
    (BadPeriod if malformed)."""
    own = own_scope(settings)
    return View(own, scopes.narrow(settings, own, query.get("org")),
                periods.parse(query, periods.beijing_today()))


def query_of(search: str | None) -> dict[str, str]:
    """The URL query string (?org=...&period=...) as a dict; later repeats win."""
    return dict(parse_qsl((search or "").lstrip("?")))
