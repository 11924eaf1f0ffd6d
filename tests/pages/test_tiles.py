"""Every module page built from tiles (pages/_tiles.py): each tile answers for a leader and a
district head, its chart plots its query's numbers, its table pages them on the server, and the
export holds one typed sheet per tile with the same numbers; a forged org gets nothing."""
from __future__ import annotations

import datetime as dt
import subprocess

import pandas as pd
import pytest

from dashboard import formats, grid, i18n
from dashboard.exports import ROW_KIND
from dashboard.formats import DASH
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import set_account, signed_in, texts
from tests.pages.tiles import (NO_DATA, QUERIES, USERS, assert_chart_is_its_query, export, find, grid_rows,
                               tile, tile_pages, values, workbook)
from tests.support import PERIODS, SCOPE_CODES

FAILED = ("暂时无法计算", "尚无已发布的数据", "不在您的数据范围内")


# Views beyond the users' own units: a leader drilled into a 市局 department (contracts live
# there), a district head drilled into one of the district's streets.
DRILLED = {"department": ("city", "BJCG-11"), "street": ("district", SCOPE_CODES["street"])}


def frame_of(app, module, name: str, level: str, period_name: str) -> pd.DataFrame:
    """The tile's query for the view's scope (a user's own, or DRILLED) and the period, straight
    from dashboard.queries."""
    settings = app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, DRILLED[level][1] if level in DRILLED else SCOPE_CODES[level])
    (t,) = [t for t in module.TILES if t.name == name]
    return t.query(settings, scope=scope, period=custom(*PERIODS[period_name]))


@pytest.fixture
def pages(data_app):
    """The tile page modules of the app."""
    found = tile_pages()
    assert "/hr" in [m.PATH for m in found]
    return found


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", [*USERS, *DRILLED])
def test_every_tile_answers_with_its_queries_numbers(data_app, pages, level, period_name):
    """Each tile of each page, for the user's own scope and drilled below it: no failure text; a
    KPI card shows its label, value and change; a chart draws its query's fields, categories and
    values; a tile without rows says so and draws nothing."""
    user, org = (DRILLED[level][0], DRILLED[level][1]) if level in DRILLED else (level, None)
    client = signed_in(data_app, USERS[user])
    query = {**QUERIES[period_name], **({"org": org} if org else {})}
    for module in pages:
        for t in module.TILES:
            shown = tile(client, module.PAGE, t.name, query)
            words = " ".join(texts(shown))
            assert not any(f in words for f in FAILED), (module.PAGE, t.name, words[:300])
            frame = frame_of(data_app, module, t.name, level, period_name)
            if t.name == "kpi":  # each card: the value now and its change, as formats writes them
                for r in frame.itertuples():
                    now, before = (None if pd.isna(v) else v for v in (r.value, r.previous))
                    assert formats.value(now, r.kind) in texts(shown), (module.PAGE, r.metric)
                    assert f"较上期 {formats.change(now, before, r.kind)}" in texts(shown), (module.PAGE, r.metric)
            if t.name == "kpi":  # each card: its label, the value now and its change
                for r in frame.itertuples():
                    assert r.label in texts(shown), (module.PAGE, r.metric)
            elif frame.empty:  # nothing in this scope and period: the tile says so, draws nothing
                assert NO_DATA in words and not find(shown, "Graph") and not find(shown, "AgGrid"), \
                    (module.PAGE, t.name)
            if t.chart is None or frame.empty or t.name == "kpi":
                continue
            (graph,) = find(shown, "Graph")
            assert graph["props"]["figure"]["data"], (module.PAGE, t.name)
            assert_chart_is_its_query(t, frame, graph["props"]["figure"])


def test_drillable_charts_carry_the_unit_codes_below_the_scope(data_app, pages):
    """A "by unit" chart's bars carry the codes of the units directly below the user's unit."""
    client = signed_in(data_app, USERS["district"])
    settings = data_app.server.config["OA_SETTINGS"]
    own = scopes.of_code(settings, SCOPE_CODES["district"])
    below = {u.code for u, depth in scopes.tree(settings, own) if depth <= 1}
    checked = 0
    for module in pages:
        for t in (t for t in module.TILES if t.drill):
            if frame_of(data_app, module, t.name, "district", "year").empty:
                continue  # nothing of this module in the district (a city bureau module): no chart
            (graph,) = find(tile(client, module.PAGE, t.name, QUERIES["year"]), "Graph")
            assert graph["props"]["id"]["type"] == "drill"
            codes = {c for trace in graph["props"]["figure"]["data"] for c in values(trace.get("customdata"))}
            assert codes and codes <= below, (module.PAGE, t.name)
            checked += 1
    assert checked


def test_detail_tables_sort_filter_and_page_on_the_server(data_app, pages):
    """The rows callback answers a sorted, filtered block and the full count, nothing more."""
    client = signed_in(data_app, USERS["city"])
    for module in pages:
        for t in (t for t in module.TILES if t.chart is None and t.name != "kpi"):
            frame = frame_of(data_app, module, t.name, "city", "year")
            first = t.columns[0].name
            answer = grid_rows(client, module.PAGE, t.name, QUERIES["year"],
                               {"startRow": 0, "endRow": 5, "sortModel": [{"colId": first, "sort": "desc"}],
                                "filterModel": {}})
            assert answer["rowCount"] == len(frame)
            dates = frozenset(c.name for c in t.columns if c.kind == "date")
            want = grid.records(frame.sort_values(first, ascending=False, kind="stable").head(5), dates)
            assert [r[first] for r in answer["rowData"]] == [r[first] for r in want]
            needle = str(frame[first].iloc[0]) if len(frame) else "x"
            filtered = grid_rows(client, module.PAGE, t.name, QUERIES["year"],
                                 {"startRow": 0, "endRow": 100, "sortModel": [],
                                  "filterModel": {first: {"filterType": "text", "type": "equals",
                                                          "filter": needle}}})
            assert filtered["rowCount"] == int((frame[first].astype(str).str.lower() == needle.lower()).sum())


def cell(value):
    """A frame's value as openpyxl reads it back from a typed cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


@pytest.mark.parametrize("level", USERS)
def test_the_export_has_one_typed_sheet_per_tile_with_the_screens_numbers(data_app, pages, level):
    """One sheet per tile titled as on screen, the scope and period on top, headers, and every
    number and date as a typed cell equal to the tile's query."""
    client = signed_in(data_app, USERS[level])
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    for module in pages:
        name, book, _content = workbook(client, module.PAGE, QUERIES["holiday_month"])
        assert name.endswith(".xlsx") and scope.name in name
        assert [ws.title for ws in book.worksheets] == [t.title[:31] for t in module.TILES]
        for ws, t in zip(book.worksheets, module.TILES):
            assert scope.name in ws["A2"].value and "2025-10-01" in ws["A2"].value and "数据截至" in ws["A2"].value
            assert [c.value for c in ws[4]][:len(t.columns)] == [c.label for c in t.columns]
            frame = frame_of(data_app, module, t.name, level, "holiday_month")
            assert ws.max_row == 4 + len(frame), (module.PAGE, t.name)
            for r, row in enumerate(frame.itertuples(index=False), start=5):
                record = dict(zip(frame.columns, row))
                for i, col in enumerate(t.columns, start=1):
                    got, want = ws.cell(r, i).value, cell(record[col.name])
                    kind = record["kind"] if col.kind == ROW_KIND else col.kind
                    if kind in ("text", "msgid"):
                        assert (got or "") == str(want or ""), (t.name, col.name)
                    elif want is None:  # a missing date is a blank cell, a missing number "—"
                        assert got == (None if kind in ("date", "datetime") else DASH), (t.name, col.name)
                    elif isinstance(want, dt.datetime):  # Excel keeps milliseconds
                        assert abs(got - want) < dt.timedelta(milliseconds=1), (t.name, col.name)
                    else:
                        assert isinstance(got, (int, float)) and got == pytest.approx(float(want)), (t.name, col.name)


@pytest.mark.parametrize("code", ["110102", SCOPE_CODES["city"]])
def test_a_forged_org_gets_a_refusal_from_every_tile_and_no_workbook(data_app, pages, code):
    """东城's head names 西城 (110102) or the whole city: each tile says it is out of scope and
    shows no chart or table; the export sends nothing."""
    client = signed_in(data_app, USERS["district"])
    forged = {**QUERIES["year"], "org": code}
    for module in pages:
        for t in module.TILES:
            shown = tile(client, module.PAGE, t.name, forged)
            assert "不在您的数据范围内" in " ".join(texts(shown)), (module.PAGE, t.name)
            assert not find(shown, "Graph") and not find(shown, "AgGrid"), (module.PAGE, t.name)
        answer = export(client, module.PAGE, forged)
        assert answer.status_code == 204 or f"{module.PAGE}-download" not in answer.get_json().get("response", {})


def test_libreoffice_turns_every_export_into_a_pdf(data_app, pages, soffice, tmp_path):
    """Printable: headless LibreOffice converts each page's workbook to a PDF without error."""
    client = signed_in(data_app, USERS["district"])
    for module in pages:
        _name, _book, content = workbook(client, module.PAGE, QUERIES["year"])
        source = tmp_path / f"{module.PAGE}.xlsx"
        source.write_bytes(content)
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                               "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                              capture_output=True, text=True, timeout=180)
        pdf = tmp_path / f"{module.PAGE}.pdf"
        assert done.returncode == 0 and pdf.exists(), done.stderr
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000


def test_a_built_tile_is_kept_for_its_language_only(data_app, pages):
    """The server keeps built tiles per scope, period and language: after a Chinese reader, an
    English reader of the same scope and period gets the tile in English, and back again."""
    (hr,) = [m for m in pages if m.PAGE == "hr"]
    label = frame_of(data_app, hr, "kpi", "city", "year").label.iloc[0]
    english = i18n.translate(label, "en")
    assert english != label
    client = signed_in(data_app, "city_leader")
    assert label in texts(tile(client, "hr", "kpi", QUERIES["year"]))
    engine = data_app.server.extensions["oa_auth"].engine
    set_account(engine, "city_leader", ui_lang="en")
    try:
        shown = texts(tile(client, "hr", "kpi", QUERIES["year"]))
        assert english in shown and label not in shown
    finally:
        set_account(engine, "city_leader", ui_lang="zh")
    assert label in texts(tile(client, "hr", "kpi", QUERIES["year"]))
