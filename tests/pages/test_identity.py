"""The 统一认证、电子签章 page through the Flask test client: every tile shows the numbers of its query
for a city leader (at the city) and a district head (at the district, and drilled into a street),
the workbook holds one sheet per tile with the same numbers, and a forged org gets a refusal, not
numbers."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.exports import HEADER_ROW
from dashboard.formats import DASH
from dashboard.period import custom
from tests.dashboard.web import page_module, signed_in, texts
from tests.pages.tiles import export, tile, values, workbook
from tests.support import PERIODS, SCOPE_CODES

PAGE = "identity"
# view -> (account, the unit it shows, the org the URL names): the city leader at the city, 东城's
# head at the district and drilled into 东华门街道.
VIEWS = {"city": ("city_leader", SCOPE_CODES["city"], None),
         "district": ("dongcheng_dept_head", SCOPE_CODES["district"], None),
         "street": ("dongcheng_dept_head", SCOPE_CODES["street"], SCOPE_CODES["street"])}
NO_DATA = "本单位本时段没有数据"
NUMBER_KINDS = ("count", "rate", "hours", "number", "days", "money", "ms")


def tiles() -> list:
    """TILES of pages/identity.py as create_app loaded it."""
    return page_module("/identity").TILES


def query_of(view: str, period_name: str) -> dict:
    """The URL's filters of a view and one of PERIODS."""
    start, end = PERIODS[period_name]
    org = VIEWS[view][2]
    return {"period": "custom", "start": str(start), "end": str(end), **({"org": org} if org else {})}


def client_of(app, view: str):
    """A client signed in as the view's account."""
    return signed_in(app, VIEWS[view][0])


def expected(app, t, view: str, period_name: str) -> pd.DataFrame:
    """The tile's query for the view's unit and the period, straight from the function."""
    settings = app.server.config["OA_SETTINGS"]
    return t.query(settings, scope=scopes.of_code(settings, VIEWS[view][1]),
                   period=custom(*PERIODS[period_name]))


def missing(value) -> bool:
    """None, NaN or pandas' NA."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def category(value) -> str:
    """A chart category as text: a date (or the ISO timestamp Plotly sends for it) as YYYY-MM-DD."""
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4:5] == "-" and text[7:8] == "-" else text


@pytest.fixture(params=list(VIEWS))
def view(request) -> str:
    """The city leader at the city; 东城's head at the district, then drilled into a street."""
    return request.param


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_kpi_cards_show_the_summary(data_app, view, period_name):
    """Each card: the summary's value for the view's unit and its change against the period before."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope, period = scopes.of_code(settings, VIEWS[view][1]), custom(*PERIODS[period_name])
    now = queries.summary(PAGE, settings, scope=scope, period=period)
    before = queries.summary(PAGE, settings, scope=scope, period=period.previous())
    text = texts(tile(client_of(data_app, view), PAGE, "kpi", query_of(view, period_name)))
    metrics = tiles()[0].query.keywords["metrics"]
    assert [m for m, _label, _kind in metrics] == [
        "login_attempts", "login_success_rate", "active_users", "signature_attempts",
        "signature_success_rate", "signature_latency_p95", "accounts_active", "accounts_locked",
        "accounts_dormant"]
    for metric, label, kind in metrics:
        assert label in text
        assert formats.value(now[metric], kind) in text, metric
        assert f"较上期 {formats.change(now[metric], before[metric], kind)}" in text, metric
    assert now["accounts_active"] > 0
    if (view, period_name) != ("street", "holiday_month"):  # the street's October has no login
        assert now["login_attempts"] > 0


@pytest.mark.parametrize("period_name", PERIODS)
def test_every_chart_shows_its_querys_numbers(data_app, view, period_name):
    """Each chart's traces: categories, values (and unit codes for the drill) of its query, a trace
    per field named by the field's header; a query without rows (a month without e-signatures)
    shows that there is no data and no figure."""
    client = client_of(data_app, view)
    charts = [t for t in tiles() if t.chart is not None]
    assert [t.name for t in charts] == ["logins_day", "failures_day", "active_day", "channels",
                                        "signatures", "latency", "accounts_unit"]
    drawn = 0
    for t in charts:
        frame = expected(data_app, t, view, period_name)
        shown = tile(client, PAGE, t.name, query_of(view, period_name))
        if frame.empty:
            assert t.name in ("signatures", "latency"), (t.name, view)
            assert NO_DATA in texts(shown) and "figure" not in shown.get("props", {}), t.name
            continue
        drawn += 1
        figure = shown["props"]["figure"]
        labels = {c.label: c.name for c in t.columns}
        x = t.chart.keywords["x"]
        for trace in figure["data"]:
            field = labels[trace["name"]]
            cats = [category(c) for c in values(trace["x"])]
            assert cats == [category(c) for c in frame[x]], (t.name, field)
            want = [None if missing(v) else float(v) for v in frame[field]]
            plotted = [None if v is None or v != v else v for v in values(trace["y"])]  # a gap: no base
            assert plotted == pytest.approx(want), (t.name, field)
            if t.drill and trace["type"] == "bar":
                assert values(trace["customdata"]) == frame[t.drill].tolist(), t.name
        keywords = t.chart.keywords
        assert {labels[trace["name"]] for trace in figure["data"]} == (
            set(keywords["y"]) | set(keywords.get("bars", ())) | ({keywords.get("line")} - {None}))
    assert drawn >= 5


def test_the_unit_chart_drills_one_level_down(data_app):
    """The account bars are the units directly below the one shown (or itself), each with its code
    for the click; a street drilled into shows itself."""
    settings = data_app.server.config["OA_SETTINGS"]
    (accounts,) = [t for t in tiles() if t.name == "accounts_unit"]
    for view in VIEWS:
        scope = scopes.of_code(settings, VIEWS[view][1])
        codes = expected(data_app, accounts, view, "year")["unit_code"].tolist()
        units = [scopes.of_code(settings, c) for c in codes]
        assert units and all(u == scope or u.path == f"{scope.path}{u.org_id}/" for u in units), view
    assert codes == [SCOPE_CODES["street"]]


def cell(value, kind: str):
    """What openpyxl reads back from the workbook for a query's value of a column kind: numbers
    as numbers, dates as datetimes, a missing number as "—" (METRICS.md)."""
    if missing(value):
        return DASH if kind in NUMBER_KINDS else None
    if kind in ("date", "datetime"):
        return dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value.to_pydatetime()
    if kind in NUMBER_KINDS:
        return pytest.approx(float(value))
    return str(value)


@pytest.mark.parametrize("period_name", PERIODS)
def test_the_workbook_has_a_sheet_per_tile_with_the_querys_numbers(data_app, view, period_name):
    """The exported xlsx opens with openpyxl; a sheet per tile, titled as the tile; every cell
    under the header equals the tile's query (KPI values with each row's own kind)."""
    _name, book, _content = workbook(client_of(data_app, view), PAGE, query_of(view, period_name))
    assert book.sheetnames == [t.title for t in tiles()]
    for t in tiles():
        sheet, frame = book[t.title], expected(data_app, t, view, period_name)
        assert sheet.cell(1, 1).value == t.title
        assert [c.value for c in sheet[HEADER_ROW + 1]] == [c.label for c in t.columns]
        body = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True)]
        assert len(body) == len(frame), t.name
        assert len(body) > 0 or t.name in ("signatures", "latency"), t.name
        for row, record in zip(body, frame.to_dict("records")):
            for value, col in zip(row, t.columns):
                kind = {"row": record.get("kind"), "msgid": "text"}.get(col.kind, col.kind)
                got = None if value == "" else value  # an empty text cell reads back as None or ""
                assert got == cell(record[col.name], kind), (t.name, col.name)


def test_a_forged_org_gets_a_refusal_not_numbers(data_app):
    """东城's head posts the page's callbacks naming 西城, the city or a 西城 street: every tile
    says it is out of scope and shows no figure, and no workbook comes back."""
    client = client_of(data_app, "district")
    for code in ("110102", SCOPE_CODES["city"], "110102001"):
        query = {**query_of("district", "holiday_month"), "org": code}
        for t in tiles():
            children = tile(client, PAGE, t.name, query)
            assert "不在您的数据范围内" in " ".join(texts(children)), t.name
            assert "figure" not in children.get("props", {}) and "columnDefs" not in children.get("props", {})
        response = export(client, PAGE, query)
        answer = response.get_json(silent=True) or {}
        assert response.status_code in (200, 204) and "identity-download" not in answer.get("response", {})
