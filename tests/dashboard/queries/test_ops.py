"""ops summary against the operational database, recomputed with METRICS.md's definitions."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.queries import ops
from models import sla
from tests.dashboard.queries._business import MONTHS, assert_matches_source, summary_of
from tests.support import PERIODS, SCOPE_CODES, rate

TICKETS = ("FROM ops_ticket t WHERE t.deleted_at IS NULL "
           "AND t.reporter_unit_id IN (SELECT id FROM subtree)")
# The status a ticket held at the end of :end: that of its last status change before :cutoff.
STATUS_AT_END = ("(SELECT h.to_status FROM ops_ticket_history h WHERE h.ticket_id = t.id "
                 "AND h.kind = '状态' AND h.changed_at < :cutoff "
                 "ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)")
OPEN = ("新建", "已响应", "处理中", "挂起", "重新打开")


def _source(q, start, end) -> dict:
    (tickets,) = q(f"SELECT count(*) {TICKETS} AND date(t.reported_at) BETWEEN :start AND :end")
    statuses = [status for (status,) in q.all(f"SELECT {STATUS_AT_END} {TICKETS}")]
    # Ratings of a withdrawn (soft-deleted) ticket go with it.
    ratings, satisfied, total = q(
        "SELECT count(*), coalesce(sum(s.score >= 4), 0), coalesce(sum(s.score), 0) "
        "FROM ops_satisfaction s JOIN ops_ticket t ON t.id = s.ticket_id "
        "WHERE s.kind = '工单评价' AND t.deleted_at IS NULL "
        "AND date(s.rated_at) BETWEEN :start AND :end AND s.unit_id IN (SELECT id FROM subtree)")
    # Inspections are the city bureau's (the root of the org tree). One whose finding ticket
    # was withdrawn is withdrawn with it, as the ETL drops rows whose parent it dropped.
    planned, done = q(
        "SELECT count(*), count(i.done_at) FROM ops_inspection i "
        "LEFT JOIN ops_ticket t ON t.id = i.finding_ticket_id "
        "WHERE (i.finding_ticket_id IS NULL OR t.deleted_at IS NULL) "
        "AND i.planned_date BETWEEN :start AND :end "
        "AND (SELECT id FROM org_unit WHERE parent_id IS NULL) IN (SELECT id FROM subtree)")
    return {"tickets": tickets, "open_tickets": sum(s in OPEN for s in statuses),
            "csat": rate(satisfied, ratings), "mean_rating": rate(total, ratings),
            "inspection_completion": rate(done, planned), **_sla(q, start, end)}


def _sla(q, start, end) -> dict:
    """SLA compliance, MTTA and MTTR: every live ticket of the scope judged by the engine
    (models/sla.py, tested by hand in tests/models/test_sla.py) straight from the source's
    history and policies, at the source's latest ticket event (as the ETL judges them)."""
    day = dt.timedelta(days=1)
    policies = [sla.SlaPolicy(p, respond, resolve, calendar, dt.date.fromisoformat(str(valid_from)))
                for p, respond, resolve, calendar, valid_from in q.all(
                    "SELECT priority, respond_minutes, resolve_minutes, calendar, valid_from "
                    "FROM ops_sla_policy")]
    live = "SELECT id FROM ops_ticket WHERE deleted_at IS NULL"
    history: dict[int, list] = {}
    for ticket_id, *row in q.all(
            "SELECT ticket_id, changed_at, kind, to_status, from_priority, to_priority "
            f"FROM ops_ticket_history WHERE ticket_id IN ({live}) ORDER BY ticket_id, changed_at, id"):
        history.setdefault(ticket_id, []).append([_time(row[0]), *row[1:]])
    tickets = q.all(f"SELECT t.id, t.reported_at, t.priority {TICKETS}")
    everyone = [_time(r) for (r,) in q.all(f"SELECT reported_at FROM ops_ticket WHERE id IN ({live})")]
    as_of = max(everyone + [c[0] for rows in history.values() for c in rows])
    resolved, met, responses, resolutions = 0, 0, [], []
    first, last = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + day, dt.time())
    for ticket_id, reported_at, priority in tickets:
        rows = history.get(ticket_id, [])
        initial = next((f for _at, kind, _s, f, _t in rows if kind == "优先级" and f), priority)
        changes = tuple(sla.Change(at, kind, to_status=s, to_priority=t) for at, kind, s, _f, t in rows)
        reported = _time(reported_at)
        r = sla.evaluate(sla.Ticket(reported, initial, changes),
                         sla.policies_on(policies, reported.date()), as_of)
        if r.responded_at and first <= r.responded_at < last:
            responses.append(r.response_seconds)
        if r.met is not None and first <= r.resolved_at < last:
            resolved, met = resolved + 1, met + r.met
            resolutions.append(r.resolution_seconds)
    return {"sla_compliance": rate(met, resolved),
            "mtta_minutes": sum(responses) / len(responses) / 60 if responses else None,
            "mttr_minutes": sum(resolutions) / len(resolutions) / 60 if resolutions else None}


def _time(value) -> dt.datetime:
    """A source timestamp (SQLite gives text) as a datetime."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@pytest.mark.parametrize("period_name", PERIODS)
@pytest.mark.parametrize("scope_name", SCOPE_CODES)
def test_summary_equals_the_operational_database(warehouse_settings, source_engine, scope_name,
                                                 period_name):
    """Tickets, open at the end, CSAT, mean rating, inspections done, SLA compliance, MTTA, MTTR:
    3 scopes x 2 periods."""
    assert_matches_source(ops, _source, warehouse_settings, source_engine, scope_name,
                           *PERIODS[period_name])


@pytest.mark.parametrize("month", MONTHS)
def test_city_summary_of_every_month_equals_the_operational_database(warehouse_settings,
                                                                     source_engine, month):
    """Open tickets replayed to each month end of 2025, for the city."""
    assert_matches_source(ops, _source, warehouse_settings, source_engine, "city",
                          *MONTHS[month])


def test_summary_of_the_city_year_has_something_in_every_metric(warehouse_settings):
    """The small seed gives the city's 2025 tickets, open ones, ratings and inspections."""
    got = summary_of(ops, warehouse_settings, "city", *PERIODS["year"])
    assert got["tickets"] > 0 and got["open_tickets"] > 0
    assert 0 < got["csat"] < 1 and 1 < got["mean_rating"] < 5
    assert 0 < got["inspection_completion"] < 1
    assert 0 < got["sla_compliance"] < 1 and 0 < got["mtta_minutes"] < got["mttr_minutes"]
