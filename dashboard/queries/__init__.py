"""Read queries of the dashboard: dashboard/queries/<module>.py, one function per question."""
from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pandas as pd

from dashboard import warehouse
from dashboard.config import MODULES, Settings
from dashboard.period import Period
from dashboard.scope import Scope


def has_summary(module: str) -> bool:
    """Whether dashboard/queries/<module>.py answers summary() (the overview card and the API)."""
    if module not in MODULES:
        return False
    try:
        return hasattr(importlib.import_module(f"dashboard.queries.{module}"), "summary")
    except ModuleNotFoundError:
        return False


def summary(module: str, settings: Settings, *, scope: Scope, period: Period) -> dict:
    """The module's METRICS.md metrics for scope and period, as {name: value} (None: no base)."""
    df: pd.DataFrame = importlib.import_module(f"dashboard.queries.{module}").summary(
        settings, scope=scope, period=period)
    row = df.to_dict("records")[0]  # not iloc[0]: a Series would turn the counts into floats
    return {name: _plain(value) for name, value in row.items()}


def _plain(value):
    """JSON-ready: numpy numbers and Decimals to int/float, NaN/NA to None."""
    if value is None or pd.isna(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return float(value) if isinstance(value, Decimal) else value


def ask(settings: Settings, sql: str, *, scope: Scope, period: Period | None = None,
        **extra) -> pd.DataFrame:
    """Run a scoped query: binds $scope_path, $start and $end of the period and the extra values,
    each only if the SQL names it (DuckDB refuses unused parameters)."""
    values = {"scope_path": scope.path, **extra}
    if period is not None:
        values.update(start=period.start, end=period.end)
    named = set(re.findall(r"\$(\w+)", sql))
    return warehouse.query(settings, sql, {k: v for k, v in values.items() if k in named})

