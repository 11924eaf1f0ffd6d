"""A small in-process cache of query results, keyed by the published warehouse file and by the
caller's scope and period, so one user's numbers are never served to another scope."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

from dashboard import warehouse
from dashboard.config import Settings
from dashboard.period import Period
from dashboard.scope import Scope

MAX_ENTRIES = 2048
_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def scoped(settings: Settings, name: str, scope: Scope, period: Period | None,
           compute: Callable[[], Any], *extra: Hashable) -> Any:
    """compute(), or its cached result for the same warehouse version, name, scope and period.

    The key always holds the scope's path: a cached answer can only go to the same subtree.
    A new ETL publish changes the file's identity (inode, mtime), which retires old entries.
    """
    stat = warehouse.path(settings).stat()
    key = (str(warehouse.path(settings)), stat.st_ino, stat.st_mtime_ns, name, scope.path,
           period, *extra)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every entry (tests; an operator after fixing data by hand)."""
    with _lock:
        _entries.clear()
