"""DataFrames -> one xlsx workbook (xlsxwriter): one sheet per tile, typed cells, the reader's
headers, a title block with scope, period and "数据截至", set up to print on A4. No I/O: it returns
the bytes."""
from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import xlsxwriter

from dashboard.formats import DASH

# Excel number formats of the column kinds (dashboard.formats.value's kinds, plus text and dates).
NUMBER_FORMATS = {
    "count": "#,##0",
    "rate": "0.0%",
    "money": "#,##0.00",
    "hours": "#,##0.0",
    "days": "#,##0.0",
    "number": "#,##0.0",
    "ms": "#,##0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
# A column whose kind is ROW_KIND takes each row's kind from the frame's "kind" column (a table
# of KPIs mixes counts and rates in one column).
ROW_KIND = "row"
HEADER_ROW = 3  # title, scope line, blank, then the header
MAX_WIDTH = 48
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of a tile's table: the DataFrame column, its header (a msgid) and its kind."""

    name: str
    label: str
    kind: str = "text"


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of a sheet's own cells: kind (column, bar, line, pie), the category
    column and the value columns (names of the sheet's columns), placed beside the table."""

    kind: str
    category: str
    values: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Sheet:
    """One tile as a sheet: its title and its table, headers already in the reader's language;
    optionally a native chart of it."""

    title: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    chart: Chart | None = None


def workbook(heading: str, sheets: list[Sheet]) -> bytes:
    """The xlsx bytes of sheets, each under its title and the heading line (scope, period, as-of).

    Strings are written as strings: text that looks like a formula, a number or a URL stays text.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True,
                                     "strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
    styles = _styles(book)
    used: set[str] = set()
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_name(sheet.title, used))
        _write_sheet(ws, sheet, heading, styles)
        if sheet.chart is not None and len(sheet.frame):
            _add_chart(book, ws, sheet)
    book.close()
    return out.getvalue()


def _styles(book) -> dict:
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "vcenter"}
    styles = {kind: book.add_format({**base, "num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
    styles["text"] = book.add_format(base)
    styles["dash"] = book.add_format({**base, "align": "right"})
    styles["title"] = book.add_format({**base, "bold": True, "font_size": 14})
    styles["heading"] = book.add_format({**base, "font_color": "#555555"})
    styles["header"] = book.add_format({**base, "bold": True, "bg_color": "#DCE6F1", "border": 1,
                                        "text_wrap": True, "align": "center"})
    return styles


def _write_sheet(ws, sheet: Sheet, heading: str, styles: dict) -> None:
    frame, columns = sheet.frame.reset_index(drop=True), sheet.columns
    for i, col in enumerate(columns):
        ws.set_column(i, i, _width(col, frame))
    ws.write_string(0, 0, sheet.title, styles["title"])
    ws.write_string(1, 0, heading, styles["heading"])
    for i, col in enumerate(columns):
        ws.write_string(HEADER_ROW, i, col.label, styles["header"])
    kinds = frame["kind"].tolist() if "kind" in frame.columns else []
    for r, row in enumerate(frame[[c.name for c in columns]].itertuples(index=False)):
        for i, (col, value) in enumerate(zip(columns, row)):
            kind = kinds[r] if col.kind == ROW_KIND else col.kind
            _write_cell(ws, HEADER_ROW + 1 + r, i, value, kind, styles)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # as wide as one page, as many pages down as it takes
    ws.repeat_rows(HEADER_ROW)
    ws.set_footer("&C&P / &N")


def _add_chart(book, ws, sheet: Sheet) -> None:
    """The sheet's chart, drawn from its own cells (so it follows any edit of them), right of the table."""
    spec, names = sheet.chart, [c.name for c in sheet.columns]
    chart = book.add_chart({"type": spec.kind})
    first, last, cat = HEADER_ROW + 1, HEADER_ROW + len(sheet.frame), names.index(spec.category)
    for name in spec.values:
        col = names.index(name)
        series = {"name": [ws.name, HEADER_ROW, col], "categories": [ws.name, first, cat, last, cat],
                  "values": [ws.name, first, col, last, col]}
        if spec.kind == "pie":
            series["data_labels"] = {"percentage": True}
        chart.add_series(series)
    chart.set_title({"name": spec.title or sheet.title, "name_font": {"size": 11}})
    kind = sheet.columns[names.index(spec.values[0])].kind
    if spec.kind != "pie":
        chart.set_legend({"position": "bottom"})
        (chart.set_x_axis if spec.kind == "bar" else chart.set_y_axis)(
            {"num_format": NUMBER_FORMATS.get(kind, "General"), "major_gridlines": {"visible": True}})
    chart.set_size({"width": 640, "height": 320})
    ws.insert_chart(HEADER_ROW, len(sheet.columns) + 1, chart)


def _write_cell(ws, row: int, col: int, value, kind: str, styles: dict) -> None:
    """A typed cell: numbers as numbers, dates as dates, a missing number as "—" (METRICS.md)."""
    missing = value is None or (not isinstance(value, str) and pd.isna(value))
    if kind == "text":
        ws.write_string(row, col, "" if missing else str(value), styles["text"])
    elif missing and kind in ("date", "datetime"):
        ws.write_blank(row, col, None, styles[kind])
    elif missing:
        ws.write_string(row, col, DASH, styles["dash"])  # a number without a base (METRICS.md)
    elif kind in ("date", "datetime"):
        moment = pd.Timestamp(value).to_pydatetime()
        ws.write_datetime(row, col, moment if kind == "datetime" else dt.datetime.combine(moment.date(), dt.time()),
                          styles[kind])
    else:
        number = float(value)
        if math.isinf(number):
            ws.write_string(row, col, DASH, styles["dash"])
        else:
            ws.write_number(row, col, number, styles.get(kind, styles["number"]))


def _width(col: Column, frame: pd.DataFrame) -> float:
    """Column width in Excel units: the widest of the header and the first rows, CJK counted double."""
    sample = [col.label] + [str(v) for v in frame[col.name].head(200).tolist()] if col.name in frame else [col.label]
    if col.kind in ("date", "datetime"):
        sample.append("2025-10-31 23:59" if col.kind == "datetime" else "2025-10-31")
    return min(MAX_WIDTH, max(8, *(_display_width(s) + 2 for s in sample)))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters."""
    name = SHEET_NAME_BAD.sub("_", title).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
