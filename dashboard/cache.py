"""A small in-process cache of warehouse answers, keyed by the published file's version and by
what was asked (for scoped answers: the caller's scope and period, so one user's numbers are
never served to another scope)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Hashable

from dashboard import warehouse
from dashboard.config import Settings

if TYPE_CHECKING:  # dashboard.scope caches its lookups here: a type-only import avoids a cycle
    from dashboard.period import Period
    from dashboard.scope import Scope

MAX_ENTRIES = 2048
_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def versioned(settings: Settings, key: tuple, compute: Callable[[], Any]) -> Any:
    """compute(), or its cached result for the same warehouse version and key.

    A new ETL publish changes the file's identity (inode, mtime), which retires old entries.
    """
    try:
        stat = warehouse.path(settings).stat()
    except FileNotFoundError:
        raise warehouse.WarehouseNotPublished(
            f"no warehouse at {warehouse.path(settings)}: run `python -m etl run --full` first") from None
    full = (str(warehouse.path(settings)), stat.st_ino, stat.st_mtime_ns, *key)
    with _lock:
        if full in _entries:
            _entries.move_to_end(full)
            return _entries[full]
    value = compute()
    with _lock:
        _entries[full] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def scoped(settings: Settings, name: str, scope: Scope, period: Period | None,
           compute: Callable[[], Any], *extra: Hashable) -> Any:
    """compute() cached under name, scope and period: the key always holds the scope's path, so
    a cached answer can only go to the same subtree."""
    return versioned(settings, (name, scope.path, period, *extra), compute)


def summary(settings: Settings, module: str, scope: Scope, period: Period) -> dict:
    """queries.summary(module, ...) for scope and period, cached: the overview card and the
    metrics API ask the same question."""
    # Imported here: dashboard.queries imports dashboard.scope, which caches through this module.
    from dashboard import queries
    return scoped(settings, f"summary:{module}", scope, period,
                  lambda: queries.summary(module, settings, scope=scope, period=period))


def clear() -> None:
    """Forget every entry (tests; an operator after fixing data by hand)."""
    with _lock:
        _entries.clear()
