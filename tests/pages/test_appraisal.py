"""The 公务员考核 page's own behaviour through the Flask test client (tests/pages/test_tiles.py checks
what every page shares): the KPI cards with the caps, the units above a cap red under a cap line
and flagged, the repeat table's people."""
from __future__ import annotations

from functools import partial

import datetime as dt
import shutil

import pytest
from sqlalchemy import text

from dashboard import formats, grid, queries
from dashboard import scope as scopes
from dashboard.app import create_app
from dashboard.exports import HEADER_ROW
from dashboard.figures import COLORS
from dashboard.formats import DASH
from dashboard.period import custom
from etl.run import run
from models.db import open_engine
from tests.dashboard.queries._people import EDITED_EXCELLENT_CAP, EDITS
from tests.dashboard.queries.test_appraisal import plant_previous_year
from tests.dashboard.web import signed_in, texts
from tests.pages.tiles import (OWN_VIEWS, QUERIES, USERS, grid_rows, page_tiles, tile, tile_named, values,
                               view_frame, workbook)
from tests.support import PERIODS, SCOPE_CODES, settings_for

PAGE = "appraisal"

tiles = partial(page_tiles, "/appraisal")
expected = partial(view_frame, OWN_VIEWS)


@pytest.fixture(params=list(USERS))
def level(request) -> str:
    """The user's level: a city leader, then a district head."""
    return request.param


@pytest.fixture(scope="module")
def flagged_app(seeded_file, tmp_path_factory, secret_key):
    """The app on a copy of the seed with the edited source's 优秀 grades (_people.EDITS), 2024
    results that make some people bad two years running, and its cap of 0.15."""
    folder = tmp_path_factory.mktemp("appraisal_page")
    shutil.copyfile(seeded_file, folder / "oa.db")
    url = f"sqlite:///{folder / 'oa.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        for sql in EDITS:
            conn.execute(text(sql))
    plant_previous_year(engine)
    engine.dispose()
    settings = settings_for(url, folder / "warehouse", OA_SECRET_KEY=secret_key,
                            OA_EXCELLENT_CAP=EDITED_EXCELLENT_CAP)
    run(settings, full=True)
    app = create_app(settings)
    yield app
    app.server.extensions["oa_auth"].engine.dispose()


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_kpi_cards_show_the_summary_and_the_caps(data_app, level, period_name):
    """Each card: the summary's value for the user's unit and its change against the period before;
    below them the two caps of the settings and which year is shown."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope, period = scopes.of_code(settings, SCOPE_CODES[level]), custom(*PERIODS[period_name])
    now = queries.summary(PAGE, settings, scope=scope, period=period)
    before = queries.summary(PAGE, settings, scope=scope, period=period.previous())
    shown = texts(tile(signed_in(data_app, USERS[level]), PAGE, "kpi", QUERIES[period_name]))
    metrics = tiles()[0].query.keywords["metrics"]
    assert [m for m, _label, _kind in metrics] == ["excellent_share", "excellent", "graded", "completion",
                                                   "assessed", "eligible"]
    for metric, label, kind in metrics:
        assert label in shown
        assert formats.value(now[metric], kind) in shown, metric
        assert f"较上期 {formats.change(now[metric], before[metric], kind)}" in shown, metric
    note = " ".join(shown)
    assert "优秀比例上限 20.0%" in note and "“好”等次比例上限 40.0%" in note


def test_units_above_the_cap_are_red_under_the_cap_line(flagged_app):
    """With more 优秀 grades and a cap of 15%: the city leader sees the districts above the cap in
    red, the others in blue, under a dashed line at 15%; the note shows that cap; the table and
    the workbook flag the same units."""
    client = signed_in(flagged_app, USERS["city"])
    t = tile_named("/appraisal", "excellent")
    frame = expected(flagged_app, t, "city", "year")
    assert 0 < frame["over_cap"].sum() < len(frame)
    figure = tile(client, PAGE, "excellent", QUERIES["year"])["props"]["figure"]
    (bars,) = figure["data"]
    assert bars["marker"]["color"] == [COLORS[3] if above else COLORS[0] for above in frame["over_cap"]]
    assert values(bars["y"]) == pytest.approx(frame["excellent_share"].tolist())
    (line,) = figure["layout"]["shapes"]
    assert line["y0"] == line["y1"] == pytest.approx(0.15)
    assert "优秀比例上限 15.0%" in [a["text"] for a in figure["layout"]["annotations"]]
    assert "优秀比例上限 15.0%" in " ".join(texts(tile(client, PAGE, "kpi", QUERIES["year"])))
    _name, book, _content = workbook(client, PAGE, QUERIES["year"])
    sheet = book[t.title]
    flag = [c.name for c in t.columns].index("cap_flag") + 1
    flags = [sheet.cell(r, flag).value or "" for r in range(HEADER_ROW + 2, HEADER_ROW + 2 + len(frame))]
    assert flags == ["超过上限" if above else "" for above in frame["over_cap"]]


def test_the_repeat_table_lists_the_querys_people(flagged_app, level):
    """The people graded 基本称职 or 不称职 two years running: the table's columns, and its rows
    as the query gives them (the city has some; the district what falls in it)."""
    client = signed_in(flagged_app, USERS[level])
    t = tile_named("/appraisal", "repeat")
    frame = expected(flagged_app, t, level, "year")
    if level == "city":
        assert len(frame) > 0
    if frame.empty:
        assert "本单位本时段没有数据" in texts(tile(client, PAGE, "repeat", QUERIES["year"]))
        return
    defs = tile(client, PAGE, "repeat", QUERIES["year"])["props"]["columnDefs"]
    assert [d["field"] for d in defs] == [c.name for c in t.columns]
    got = grid_rows(client, PAGE, "repeat", QUERIES["year"], {"startRow": 0, "endRow": 100})
    assert got["rowCount"] == len(frame)
    assert got["rowData"] == grid.records(frame)


def cell(value, kind: str):
    """What the workbook holds for a query's value of a column kind."""
    if value is None or (not isinstance(value, str) and value != value):
        return DASH if kind in ("rate", "number") else None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if kind in ("count", "rate", "number"):
        return pytest.approx(float(value))
    return str(value)
