"""The workbook writer: typed cells, text that looks like a formula stays text, printable sheets."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd

from dashboard.exports import ROW_KIND, Column, Sheet, workbook

COLUMNS = (Column("name", "名称"), Column("n", "人数", "count"), Column("share", "比例", "rate"),
           Column("day", "日期", "date"), Column("amount", "金额", "money"))


def test_cells_keep_their_types_and_formula_like_text_stays_text():
    """Numbers stay numbers with their formats, dates dates, a missing rate "—", and user text
    such as "=HYPERLINK(...)" or "+86 10" is written as a string, never as a formula or number."""
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x","y")', "+86 10", "0012"], "n": [3, 0, 7],
                          "share": [0.5, None, 1.0],
                          "day": [dt.date(2025, 10, 1), pd.Timestamp("2025-10-08"), None],
                          "amount": [1234.5, 0.0, 99.99]})
    book = openpyxl.load_workbook(io.BytesIO(workbook("单位：东城", [Sheet("测试", frame, COLUMNS)])))
    ws = book["测试"]
    assert ws["A1"].value == "测试" and ws["A2"].value == "单位：东城"
    assert [c.value for c in ws[4]] == ["名称", "人数", "比例", "日期", "金额"]
    assert [c.value for c in ws[5]] == ['=HYPERLINK("http://x","y")', 3, 0.5, dt.datetime(2025, 10, 1), 1234.5]
    assert ws["A5"].data_type == "s" and ws["A6"].value == "+86 10" and ws["A7"].value == "0012"
    assert ws["C6"].value == "—" and ws["D7"].value is None
    assert ws["B5"].number_format == "#,##0" and ws["C5"].number_format == "0.0%"
    assert ws["D5"].number_format == "yyyy-mm-dd" and ws["E5"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_a_kpi_table_formats_each_row_by_its_kind():
    """A column of kind ROW_KIND takes each row's kind: a count and a rate in one column."""
    frame = pd.DataFrame({"label": ["在岗人数", "满编率"], "kind": ["count", "rate"], "value": [287, 0.9]})
    cols = (Column("label", "指标"), Column("value", "本期", ROW_KIND))
    ws = openpyxl.load_workbook(io.BytesIO(workbook("", [Sheet("关键指标", frame, cols)])))["关键指标"]
    assert (ws["B5"].value, ws["B5"].number_format) == (287, "#,##0")
    assert (ws["B6"].value, ws["B6"].number_format) == (0.9, "0.0%")


def test_sheet_names_are_valid_and_unique():
    """Excel's rules: at most 31 characters, none of []:*?/\\, no two alike (case aside)."""
    frame = pd.DataFrame({"name": ["a"]})
    titles = ["按单位/按月 [统计]", "按单位/按月 [统计]", "x" * 40, "X" * 40]
    content = workbook("", [Sheet(t, frame, (Column("name", "名称"),)) for t in titles])
    names = openpyxl.load_workbook(io.BytesIO(content)).sheetnames
    assert names[0] == "按单位_按月 _统计_" and len(set(n.lower() for n in names)) == 4
    assert all(len(n) <= 31 for n in names)
    with zipfile.ZipFile(io.BytesIO(content)) as z:  # the file is a well-formed xlsx package
        assert "xl/workbook.xml" in z.namelist()


def test_a_sheet_can_carry_a_native_chart_of_its_own_cells():
    """The chart is an Excel chart object whose series point at the sheet's cells, not a picture."""
    from dashboard.exports import Chart
    frame = pd.DataFrame({"name": ["P1", "P2", "P3"], "n": [3, 5, 8], "share": [0.5, 0.8, 1.0]})
    content = workbook("", [Sheet("SLA", frame, COLUMNS[:3], Chart("column", "name", ("n",)))])
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml and "SLA!$B$5:$B$7" in xml and "SLA!$A$5:$A$7" in xml
