"""Server-side rows of a detail table: AG Grid's sort and filter models applied to a frame."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.grid import MAX_BLOCK, rows

FRAME = pd.DataFrame({
    "name": ["张伟", "李娜", "王芳", "刘洋", "陈静"],
    "unit": ["东华门街道", "景山街道", "东华门街道", "交道口街道", None],
    "days": [3, 10, 0, 7, None],
    "deadline": [dt.date(2025, 10, 1), dt.date(2025, 9, 1), dt.date(2025, 10, 15), None, dt.date(2025, 11, 1)],
})


def test_a_block_is_cut_after_sorting_and_the_count_is_of_all_matching_rows():
    """Sorted by days descending (missing last), rows 1-2 of 5; dates as ISO text, NaN as None."""
    answer = rows(FRAME, {"startRow": 1, "endRow": 3, "sortModel": [{"colId": "days", "sort": "desc"}]})
    assert answer["rowCount"] == 5
    assert [r["name"] for r in answer["rowData"]] == ["刘洋", "张伟"]
    assert answer["rowData"][0]["deadline"] is None and answer["rowData"][1]["deadline"] == "2025-10-01"
    stamps = FRAME.assign(deadline=pd.to_datetime(FRAME.deadline))  # DuckDB's DATE, as pandas has it
    assert rows(stamps, {"startRow": 0, "endRow": 1}, frozenset({"deadline"}))["rowData"][0]["deadline"] == "2025-10-01"
    assert rows(stamps, {"startRow": 0, "endRow": 1})["rowData"][0]["deadline"] == "2025-10-01 00:00"
    last = rows(FRAME, {"startRow": 4, "endRow": 5, "sortModel": [{"colId": "days", "sort": "desc"}]})
    assert last["rowData"][0]["days"] is None and last["rowData"][0]["unit"] is None


def test_text_number_and_date_filters_and_their_combinations():
    """contains / greaterThanOrEqual / inRange dates / two conditions joined by OR."""
    def names(model):
        return [r["name"] for r in rows(FRAME, {"startRow": 0, "endRow": 100, "filterModel": model})["rowData"]]
    assert names({"unit": {"filterType": "text", "type": "contains", "filter": "东华门"}}) == ["张伟", "王芳"]
    assert names({"days": {"filterType": "number", "type": "greaterThanOrEqual", "filter": 7}}) == ["李娜", "刘洋"]
    assert names({"deadline": {"filterType": "date", "type": "inRange", "dateFrom": "2025-10-01 00:00:00",
                               "dateTo": "2025-10-31 00:00:00"}}) == ["张伟", "王芳"]
    assert names({"days": {"filterType": "number", "operator": "OR", "conditions": [
        {"filterType": "number", "type": "equals", "filter": 0},
        {"filterType": "number", "type": "equals", "filter": 10}]}}) == ["李娜", "王芳"]
    assert names({"unit": {"filterType": "text", "type": "blank"}}) == ["陈静"]


def test_unknown_columns_and_oversized_blocks_are_bounded():
    """A forged sort or filter column is ignored; a block is never larger than MAX_BLOCK rows."""
    answer = rows(FRAME, {"startRow": 0, "endRow": 10**9, "sortModel": [{"colId": "password", "sort": "asc"}],
                          "filterModel": {"__class__": {"filterType": "text", "type": "contains", "filter": "x"}}})
    assert answer["rowCount"] == 5 and len(answer["rowData"]) == 5
    big = pd.DataFrame({"n": range(MAX_BLOCK * 3)})
    assert len(rows(big, {"startRow": 0, "endRow": MAX_BLOCK * 3})["rowData"]) == MAX_BLOCK
