"""/asset's own behaviour (tests/pages/test_tiles.py checks what every page shares): the status
pie, one card's timeline, the detail tables paged on the server, a drill into a street."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import signed_in
from tests.pages.tiles import (OWN_VIEWS, QUERIES, USERS, find, grid_rows, named_frame, numbers,
                               period_figure, tile, tile_named, values)
from tests.support import PERIODS, SCOPE_CODES

the_tile = partial(tile_named, "/asset")
frame_of = partial(named_frame, OWN_VIEWS, "/asset")
graph_of = partial(period_figure, "asset")


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_status_pie_counts_the_books_by_status(data_app, level, period_name):
    """One slice per status of the query, sized by its cards."""
    frame = frame_of(data_app, "by_status", level, period_name)
    (pie,) = graph_of(signed_in(data_app, USERS[level]), "by_status", period_name)["data"]
    assert pie["labels"] == frame.status.tolist()
    assert values(pie["values"]) == frame.asset_count.tolist()


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_timeline_follows_the_card_in_the_events_tables_first_row(data_app, level, period_name):
    """The timeline is the life of the card that heads the events table: its events' dates, names
    and the net book value of each day, and the card's number on top."""
    events = frame_of(data_app, "events", level, period_name)
    frame = frame_of(data_app, "timeline", level, period_name)
    assert set(frame.asset_no) == {events.asset_no.iloc[0]}
    assert frame.event.iloc[0] == "购置" and frame.event_date.is_monotonic_increasing
    figure = graph_of(signed_in(data_app, USERS[level]), "timeline", period_name)
    (line,) = figure["data"]
    assert values(line["y"]) == pytest.approx(numbers(frame.net_book_value))
    assert [str(x)[:10] for x in values(line["x"])] == [f"{d:%Y-%m-%d}" for d in frame.event_date]
    assert values(line["text"]) == frame.event.tolist()
    assert events.asset_no.iloc[0] in figure["layout"]["title"]["text"]


def test_the_detail_tables_page_their_queries_on_the_server(data_app):
    """The district head's events of October and fully depreciated cards of 2025: the counts and
    the first rows of the queries."""
    client = signed_in(data_app, USERS["district"])
    for name, period_name, key in (("events", "holiday_month", "event_date"),
                                   ("fully_depreciated", "year", "acquired_date")):
        frame = frame_of(data_app, name, "district", period_name)
        answer = grid_rows(client, "asset", name, QUERIES[period_name],
                           {"startRow": 0, "endRow": 10, "sortModel": [], "filterModel": {}})
        assert answer["rowCount"] == len(frame) > 0
        assert [(r["asset_no"], r[key][:10]) for r in answer["rowData"]] == [
            (r.asset_no, f"{getattr(r, key):%Y-%m-%d}") for r in frame.head(10).itertuples()]


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's books."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), "asset", "by_unit", query), "Graph")
    books = queries.summary("asset", settings, scope=street, period=custom(*PERIODS["year"]))
    original, net = graph["props"]["figure"]["data"]
    assert values(original["y"]) == pytest.approx([books["original_value"]])
    assert values(net["y"]) == pytest.approx([books["net_book_value"]])
    assert values(original["x"]) == [street.name]
