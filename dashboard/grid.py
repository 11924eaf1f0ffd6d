"""Server-side rows of a detail table (dash-ag-grid's infinite row model): filter, sort and cut
one block of a query's DataFrame, so the browser only ever holds the rows it shows."""
from __future__ import annotations

import datetime as dt

import pandas as pd

# The largest block a request may ask for (the grid asks for its page size).
MAX_BLOCK = 500


def rows(frame: pd.DataFrame, request: dict | None, dates: frozenset[str] = frozenset()) -> dict:
    """{"rowData": [...], "rowCount": n} for a getRowsRequest (startRow, endRow, sortModel,
    filterModel); unknown columns and filter types are ignored, never passed on to anything.
    The columns in dates are shown as dates (DuckDB hands DATE columns to pandas as timestamps)."""
    request = request or {}
    frame = _filtered(frame, request.get("filterModel") or {})
    frame = _sorted(frame, request.get("sortModel") or [])
    start = max(0, int(request.get("startRow") or 0))
    end = min(start + MAX_BLOCK, max(start, int(request.get("endRow") or start + 100)))
    return {"rowData": records(frame.iloc[start:end], dates), "rowCount": len(frame)}


def records(frame: pd.DataFrame, dates: frozenset[str] = frozenset()) -> list[dict]:
    """Rows as JSON-ready dicts: dates as ISO text (the columns in dates without a time), missing
    values as None, numpy numbers as Python's."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: _plain(v.date() if k in dates and isinstance(v, dt.datetime) else v)
                    for k, v in row.items()})
    return out


def _plain(value):
    if value is None or (not isinstance(value, (str, list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def _sorted(frame: pd.DataFrame, model: list[dict]) -> pd.DataFrame:
    keys = [(m["colId"], m.get("sort") != "desc") for m in model
            if isinstance(m, dict) and m.get("colId") in frame.columns]
    if not keys:
        return frame
    return frame.sort_values([k for k, _ in keys], ascending=[a for _, a in keys],
                             kind="stable", na_position="last")


def _filtered(frame: pd.DataFrame, model: dict) -> pd.DataFrame:
    for column, spec in model.items():
        if column in frame.columns and isinstance(spec, dict):
            frame = frame[_match(frame[column], spec)]
    return frame


def _match(values: pd.Series, spec: dict) -> pd.Series:
    """Mask of the values one column filter (or its two conditions) keeps."""
    if "conditions" in spec:
        masks = [_match(values, c) for c in spec["conditions"] if isinstance(c, dict)]
        if not masks:
            return pd.Series(True, index=values.index)
        combined = masks[0]
        for mask in masks[1:]:
            combined = (combined | mask) if spec.get("operator") == "OR" else (combined & mask)
        return combined
    kind, op = spec.get("filterType"), spec.get("type")
    if op == "blank":
        return values.isna() | (values.astype(str) == "")
    if op == "notBlank":
        return values.notna() & (values.astype(str) != "")
    if kind == "number":
        return _compare(pd.to_numeric(values, errors="coerce"), op, spec.get("filter"), spec.get("filterTo"))
    if kind == "date":
        day = lambda v: pd.Timestamp(str(v)[:10]) if v else None  # noqa: E731
        return _compare(pd.to_datetime(values, errors="coerce").dt.normalize(), op,
                        day(spec.get("dateFrom")), day(spec.get("dateTo")))
    return _text(values, op, str(spec.get("filter") or ""))


def _compare(values: pd.Series, op: str, a, b) -> pd.Series:
    if a is None:
        return pd.Series(True, index=values.index)
    tests = {
        "equals": lambda: values == a, "notEqual": lambda: values != a,
        "greaterThan": lambda: values > a, "greaterThanOrEqual": lambda: values >= a,
        "lessThan": lambda: values < a, "lessThanOrEqual": lambda: values <= a,
        "inRange": lambda: (values >= a) & (values <= (b if b is not None else a)),
    }
    return tests.get(op, lambda: pd.Series(True, index=values.index))().fillna(False)


def _text(values: pd.Series, op: str, needle: str) -> pd.Series:
    text = values.fillna("").astype(str).str.lower()
    needle = needle.lower()
    tests = {
        "contains": lambda: text.str.contains(needle, regex=False),
        "notContains": lambda: ~text.str.contains(needle, regex=False),
        "equals": lambda: text == needle, "notEqual": lambda: text != needle,
        "startsWith": lambda: text.str.startswith(needle), "endsWith": lambda: text.str.endswith(needle),
    }
    return tests.get(op, lambda: pd.Series(True, index=values.index))()
