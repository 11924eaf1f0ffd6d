"""/attendance's own behaviour (tests/pages/test_tiles.py checks what every page shares): the
calendar's cells and marks, the gaps table paged on the server, a drill into a street."""
from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from dashboard import queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import signed_in
from tests.pages.tiles import OWN_VIEWS, QUERIES, USERS, find, grid_rows, named_frame, tile, values
from tests.support import PERIODS, SCOPE_CODES

frame_of = partial(named_frame, OWN_VIEWS, "/attendance")


@pytest.mark.parametrize("level", USERS)
def test_the_calendar_colours_each_workday_by_its_rate_and_marks_holidays(data_app, level):
    """October 2025: a cell per day, the rate of each day with staff expected as its colour, 休 on
    the 国庆 days and 班 on the 调休 Saturday in the cells' text."""
    frame = frame_of(data_app, "calendar", level, "holiday_month")
    shown = tile(signed_in(data_app, USERS[level]), "attendance", "calendar", QUERIES["holiday_month"])
    (graph,) = find(shown, "Graph")
    off, rated = graph["props"]["figure"]["data"]

    def cells(trace) -> dict:
        """Day (from the hover data) -> the cell's value, for the cells the trace colours."""
        return {day[0]: v for z_row, days in zip(trace["z"], trace["customdata"])
                for v, day in zip(z_row, days) if v is not None}
    rates = {f"{d:%Y-%m-%d}": r for d, r in zip(frame.date_day, frame.attendance_rate) if pd.notna(r)}
    assert cells(rated) == pytest.approx(rates) and len(rates) > 15
    assert set(cells(off)) == {f"{d:%Y-%m-%d}" for d in frame.date_day} - set(rates)
    marks = " ".join(t for row in off["text"] + rated["text"] for t in row)
    assert marks.count("休") == 8 and marks.count("班") == 1


def test_the_gaps_table_pages_its_query_on_the_server(data_app):
    """The district head's roster gaps of 2025: the count and the first rows of the query."""
    frame = frame_of(data_app, "duty_gaps", "district", "year")
    answer = grid_rows(signed_in(data_app, USERS["district"]), "attendance", "duty_gaps", QUERIES["year"],
                       {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}})
    assert answer["rowCount"] == len(frame) > 0
    assert [(r["unit_code"], r["first_date"], r["days"]) for r in answer["rowData"]] == [
        (r.unit_code, r.first_date.isoformat(), r.days) for r in frame.head(10).itertuples()]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's numbers."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), "attendance", "by_unit", query), "Graph")
    rates = queries.summary("attendance", settings, scope=street, period=custom(*PERIODS["year"]))
    line = graph["props"]["figure"]["data"][-1]
    assert values(line["y"]) == pytest.approx([rates["attendance_rate"]])
    assert values(line["x"]) == [street.name]
