"""/mail's own behaviour (tests/pages/test_tiles.py checks what every page shares): the KPI cards
with the backlog note, the daily line and the channel donut, a drill into a street."""
from __future__ import annotations

from functools import partial

import pytest

from dashboard import formats, queries
from dashboard import scope as scopes
from dashboard.period import custom
from tests.dashboard.web import signed_in, texts
from tests.pages.tiles import (OWN_VIEWS, QUERIES, USERS, find, named_frame, numbers, period_figure, tile,
                               tile_named, values)
from tests.support import PERIODS, SCOPE_CODES

PAGE = "mail"
BAR_TILES = ("sent_by_unit", "backlog_by_unit", "mobile_by_unit")

the_tile = partial(tile_named, "/mail")
frame_of = partial(named_frame, OWN_VIEWS, "/mail")
graph_of = partial(period_figure, "mail")


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_kpi_cards_show_the_summary_and_the_backlog_note(data_app, level, period_name):
    """Every card: the value of mail.summary() for the user's scope, formatted; the 7-day rule of
    the backlog stands next to them."""
    settings = data_app.server.config["OA_SETTINGS"]
    scope = scopes.of_code(settings, SCOPE_CODES[level])
    now = queries.summary(PAGE, settings, scope=scope, period=custom(*PERIODS[period_name]))
    shown = texts(tile(signed_in(data_app, USERS[level]), PAGE, "kpi", QUERIES[period_name]))
    for metric, label, kind in the_tile("kpi").query.keywords["metrics"]:
        assert label in shown and formats.value(now[metric], kind) in shown, metric
    assert any("超过 7 天" in text for text in shown)
    assert now["sent"] > 0


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("level", USERS)
def test_the_daily_line_and_the_channel_donut_are_their_queries(data_app, level, period_name):
    """One point per day of the period; one slice per read channel with its reads."""
    client = signed_in(data_app, USERS[level])
    frame = frame_of(data_app, "by_day", level, period_name)
    (line,) = graph_of(client, "by_day", period_name)["data"]
    assert len(frame) == (PERIODS[period_name][1] - PERIODS[period_name][0]).days + 1
    assert [str(x)[:10] for x in values(line["x"])] == [f"{d:%Y-%m-%d}" for d in frame.day]
    assert values(line["y"]) == numbers(frame.sent) and sum(frame.sent) > 0
    channels = frame_of(data_app, "channels", level, period_name)
    (donut,) = graph_of(client, "channels", period_name)["data"]
    assert values(donut["labels"]) == ["PC", "执法城管通", "京办"]
    assert values(donut["values"]) == numbers(channels.reads) and sum(channels.reads) > 0


def test_a_drill_into_a_street_narrows_every_tile(data_app):
    """The district head narrowed to 东华门街道 (org in the URL) sees that street's mail: one bar,
    the street's, with the summary's messages sent in 2025."""
    settings = data_app.server.config["OA_SETTINGS"]
    street = scopes.of_code(settings, SCOPE_CODES["street"])
    query = {**QUERIES["year"], "org": street.code}
    (graph,) = find(tile(signed_in(data_app, USERS["district"]), PAGE, "sent_by_unit", query), "Graph")
    total = queries.summary(PAGE, settings, scope=street, period=custom(*PERIODS["year"]))
    bars = graph["props"]["figure"]["data"][0]
    assert values(bars["y"]) == [total["sent"]] and values(bars["x"]) == [street.name] and total["sent"] > 0
