"""mail summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import pytest

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import mail
from tests.dashboard.queries._people import (
    LIVE_PERSON, assert_nothing_quarantined, mean_headcount, one, unit_on, with_subtree,
)
from tests.support import PERIODS, SCOPE_CODES, query_rows, rate

# Live, sent messages of live senders.
SENT = (f"m.deleted_at IS NULL AND m.sent_at IS NOT NULL AND NOT m.is_draft "
        f"AND m.sender_id IN ({LIVE_PERSON})")


def _source(engine, code: str, start, end) -> dict:
    sent = one(engine, f"""{with_subtree(code)}
        SELECT count(*) FROM mail_message m
        WHERE {SENT} AND date(m.sent_at) BETWEEN :start AND :end
          AND {unit_on('m.sender_id', 'date(m.sent_at)')} IN (SELECT id FROM subtree)""",
               start=start, end=end)
    # each addressee (who has not deleted it) in the unit they belonged to on the day it was sent
    backlog, read, mobile = query_rows(engine, f"""{with_subtree(code)}
        SELECT coalesce(sum(date(m.sent_at) < date(:end, '-7 days')
                            AND (r.read_at IS NULL OR date(r.read_at) > :end)), 0),
               coalesce(sum(date(r.read_at) BETWEEN :start AND :end), 0),
               coalesce(sum(date(r.read_at) BETWEEN :start AND :end
                            AND r.read_channel IN ('执法城管通', '京办')), 0)
        FROM mail_recipient r JOIN mail_message m ON m.id = r.message_id
        WHERE {SENT} AND r.deleted_at IS NULL AND r.person_id IN ({LIVE_PERSON})
          AND {unit_on('r.person_id', 'date(m.sent_at)')} IN (SELECT id FROM subtree)""",
                                         start=start, end=end)[0]
    return {"sent": sent, "sent_per_capita": rate(sent, mean_headcount(engine, code, start, end)),
            "unread_backlog": backlog, "mobile_share": rate(mobile, read)}


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(source, scope_name, period_name):
    """Sent, sent per capita, unread backlog at period end, mobile share: city, district, street."""
    settings, engine = source
    assert_nothing_quarantined(settings)
    start, end = PERIODS[period_name]
    scope = scopes.of_code(settings, SCOPE_CODES[scope_name])
    got = mail.summary(settings, scope=scope, period=custom(start, end)).iloc[0].to_dict()
    assert got == pytest.approx(_source(engine, SCOPE_CODES[scope_name], start, end))


def test_summary_is_not_trivial_for_the_city_year(warehouse_settings):
    """The city's year has mail sent, a backlog at its end, and reads on PC and on mobile."""
    start, end = PERIODS["year"]
    city = scopes.of_code(warehouse_settings, SCOPE_CODES["city"])
    got = mail.summary(warehouse_settings, scope=city, period=custom(start, end)).iloc[0]
    for name in ("sent", "sent_per_capita", "unread_backlog"):
        assert got[name] > 0, name
    assert 0 < got["mobile_share"] < 1
