"""ops: the schema refuses inconsistent tickets and scores; the demo service records are realistic."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from sqlalchemy.exc import IntegrityError

from models import ops
from tests.etl.work_time import as_datetime
from tests.models.org_rows import insert, make_db
from tests.support import AS_OF, query_rows

T0 = dt.datetime(2025, 3, 3, 9, 30)
TICKET = dict(id=1, ticket_no="YW1", module="office", category="故障", priority="P2", title="t",
              reporter_id=1, reporter_unit_id=2, status="已关闭", reported_at=T0,
              acknowledged_at=T0 + dt.timedelta(minutes=10), resolved_at=T0 + dt.timedelta(hours=3),
              closed_at=T0 + dt.timedelta(hours=30), reopen_count=0)
HISTORY = dict(id=1, ticket_id=1, changed_at=T0, kind="状态", from_status=None, to_status="新建",
               from_priority=None, to_priority=None)
RATING = dict(id=1, kind="工单评价", ticket_id=1, survey_period=None, dimension=None, respondent_id=1,
              unit_id=2, score=5, scale_max=5, rated_at=T0 + dt.timedelta(hours=29))
EVENT = dict(id=1, name="国庆保障", kind="国庆", level="二级", start_at=T0,
             end_at=T0 + dt.timedelta(days=7), onsite_engineers=3)


@pytest.fixture
def engine(tmp_path):
    engine = make_db(tmp_path, *(m.__table__ for m in (
        ops.OpsTicket, ops.OpsTicketHistory, ops.OpsSlaPolicy, ops.OpsInspection,
        ops.OpsSatisfaction, ops.OpsMajorEvent)))
    yield engine
    engine.dispose()


def _insert(engine, model, row):
    insert(engine, model.__table__, row)


def test_consistent_rows_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    _insert(engine, ops.OpsTicket, TICKET)
    _insert(engine, ops.OpsTicketHistory, HISTORY)
    _insert(engine, ops.OpsTicketHistory, {**HISTORY, "id": 2, "kind": "优先级", "to_status": None,
                                          "from_priority": "P3", "to_priority": "P2"})
    _insert(engine, ops.OpsSatisfaction, RATING)
    _insert(engine, ops.OpsSatisfaction, {**RATING, "id": 2, "kind": "定期调查", "ticket_id": None,
                                          "survey_period": "2025Q1", "dimension": "服务态度",
                                          "score": 88, "scale_max": 100})
    _insert(engine, ops.OpsMajorEvent, EVENT)


@pytest.mark.parametrize("change", [
    dict(module="ops"), dict(category="投诉"), dict(priority="P0"), dict(status="作废"),
    dict(reopen_count=-1),
    dict(acknowledged_at=T0 - dt.timedelta(minutes=1)),
    dict(closed_at=T0 + dt.timedelta(hours=2)),            # closed before resolved
    dict(closed_at=None),                                  # 已关闭 without a time
    dict(status="已解决"),                                  # a closing time but not 已关闭
    dict(status="已解决", closed_at=None, resolved_at=None),  # resolved without a time
    dict(status="处理中", closed_at=None, resolved_at=None, acknowledged_at=None),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_inconsistent_tickets_are_refused(engine, change):
    """Known modules, categories, priorities and states; milestones in order and matching the state."""
    with pytest.raises(IntegrityError):
        _insert(engine, ops.OpsTicket, {**TICKET, **change})


@pytest.mark.parametrize("model,row,change", [
    (ops.OpsTicketHistory, HISTORY, dict(to_status=None)),
    (ops.OpsTicketHistory, HISTORY, dict(to_priority="P1")),
    (ops.OpsTicketHistory, HISTORY, dict(kind="优先级")),
    (ops.OpsSatisfaction, RATING, dict(score=6)),
    (ops.OpsSatisfaction, RATING, dict(score=0)),
    (ops.OpsSatisfaction, RATING, dict(ticket_id=None)),
    (ops.OpsSatisfaction, RATING, dict(scale_max=10)),
    (ops.OpsSatisfaction, RATING, dict(kind="定期调查")),
    (ops.OpsMajorEvent, EVENT, dict(end_at=T0 - dt.timedelta(hours=1))),
    (ops.OpsMajorEvent, EVENT, dict(onsite_engineers=-1)),
    (ops.OpsMajorEvent, EVENT, dict(level="特级")),
], ids=["status_without_target", "status_with_priority", "priority_without_values", "score_6",
        "score_0", "rating_without_ticket", "scale_10", "survey_with_ticket", "end_before_start",
        "engineers", "level"])
def test_inconsistent_history_scores_and_events_are_refused(engine, model, row, change):
    """A history row is a status or a priority change; scores inside their scale; events in order."""
    _insert(engine, ops.OpsTicket, TICKET)
    with pytest.raises(IntegrityError):
        _insert(engine, model, {**row, **change})


def test_sla_policies_are_those_of_the_metrics(source_engine):
    """P1 15 min / 4 h and P2 30 min / 8 h around the clock; P3 2 h / 3 days, P4 1 day / 10 days
    in working hours (a workday is 9 hours)."""
    rows = query_rows(source_engine, "SELECT priority, respond_minutes, resolve_minutes, calendar "
                                "FROM ops_sla_policy ORDER BY priority")
    assert [tuple(r) for r in rows] == [("P1", 15, 240, "7x24"), ("P2", 30, 480, "7x24"),
                                        ("P3", 120, 1620, "working_hours"),
                                        ("P4", 540, 5400, "working_hours")]


def test_priority_category_and_module_mix(source_engine):
    """P1 ~2%, P2 ~10%, P3 ~50%, P4 ~38%; every category; tickets across the twelve modules."""
    rows = query_rows(source_engine, "SELECT priority, category, module FROM ops_ticket "
                                "WHERE deleted_at IS NULL")
    share = {p: n / len(rows) for p, n in Counter(r[0] for r in rows).items()}
    assert 0.005 <= share["P1"] <= 0.05 and 0.06 <= share["P2"] <= 0.15
    assert 0.42 <= share["P3"] <= 0.58 and 0.30 <= share["P4"] <= 0.46
    assert {r[1] for r in rows} == set(ops.CATEGORIES)
    assert {r[2] for r in rows} == set(ops.SERVICED_MODULES)
    night = query_rows(source_engine, "SELECT count(*) FROM ops_ticket WHERE time(reported_at) < '07:00' "
                                 "OR time(reported_at) >= '20:00'")[0][0]
    assert night > 0


def test_histories_replay_to_the_ticket_state(source_engine):
    """Each history starts with 新建 at the report time, chains its states, and ends in the
    ticket's status; acknowledgement, resolution, reopens and the priority agree."""
    tickets = {r[0]: r for r in query_rows(source_engine, """
        SELECT id, status, reported_at, acknowledged_at, resolved_at, reopen_count, priority
        FROM ops_ticket""")}
    history = defaultdict(list)
    for row in query_rows(source_engine, "SELECT ticket_id, changed_at, kind, from_status, to_status, "
                                    "from_priority, to_priority FROM ops_ticket_history "
                                    "ORDER BY ticket_id, changed_at, id"):
        history[row[0]].append(row)
    assert set(history) == set(tickets)
    for tid, (_, status, reported, acked, resolved, reopens, priority) in tickets.items():
        states = [h for h in history[tid] if h[2] == "状态"]
        assert states[0][4] == "新建" and states[0][1] == reported and states[0][3] is None
        for before, after in zip(states, states[1:]):
            assert after[3] == before[4]
        assert states[-1][4] == status
        assert acked == next((h[1] for h in states if h[4] == "已响应"), None)
        assert reopens == sum(h[4] == "重新打开" for h in states)
        if status in ("已解决", "已关闭"):
            assert resolved == [h[1] for h in states if h[4] == "已解决"][-1]
        changes = [h for h in history[tid] if h[2] == "优先级"]
        if changes:
            assert changes[-1][6] == priority


def test_pauses_reopens_priority_changes_and_breaches_occur(source_engine):
    """Some tickets wait for the user, some are reopened or re-prioritised, some miss the SLA."""
    paused, changed = query_rows(source_engine, """
        SELECT count(DISTINCT CASE WHEN to_status = '挂起' THEN ticket_id END),
               count(DISTINCT CASE WHEN kind = '优先级' THEN ticket_id END) FROM ops_ticket_history""")[0]
    total, reopened = query_rows(source_engine, "SELECT count(*), sum(reopen_count > 0) FROM ops_ticket")[0]
    assert 0.08 <= paused / total <= 0.25 and 0.02 <= changed / total <= 0.10
    assert 0.03 <= reopened / total <= 0.15
    # A P1/P2 acknowledgement is around the clock with no pause before it: wall time is SLA time.
    late, urgent = query_rows(source_engine, """
        SELECT sum((julianday(t.acknowledged_at) - julianday(t.reported_at)) * 1440 > p.respond_minutes),
               count(*)
        FROM ops_ticket t JOIN ops_sla_policy p ON p.priority = t.priority
        WHERE t.priority IN ('P1', 'P2') AND t.acknowledged_at IS NOT NULL""")[0]
    assert 0 < late / urgent < 0.25
    open_now = query_rows(source_engine, "SELECT count(*) FROM ops_ticket WHERE deleted_at IS NULL AND "
                                    "status NOT IN ('已解决', '已关闭')")[0][0]
    assert open_now > 0


def test_inspections_daily_with_findings_as_tickets(source_engine):
    """One inspection per module per day; ~97% done; abnormal ones raise 巡查发现 tickets later."""
    n, done, days = query_rows(source_engine, "SELECT count(*), count(done_at), count(DISTINCT planned_date) "
                                         "FROM ops_inspection")[0]
    assert n == days * len(ops.SERVICED_MODULES) and 0.94 <= done / n <= 0.99
    findings = query_rows(source_engine, """
        SELECT t.category, t.module = i.module, t.reported_at > i.done_at, t.reporter_id IS NULL
        FROM ops_inspection i JOIN ops_ticket t ON t.id = i.finding_ticket_id""")
    assert findings and all(tuple(f) == ("巡查发现", 1, 1, 1) for f in findings)


def test_ratings_and_surveys(source_engine):
    """Ratings of closed tickets between resolution and closure, mostly 4-5; quarterly surveys
    answer all four dimensions."""
    bad = query_rows(source_engine, """
        SELECT count(*) FROM ops_satisfaction s JOIN ops_ticket t ON t.id = s.ticket_id
        WHERE t.closed_at IS NULL OR s.rated_at < t.resolved_at OR s.rated_at > t.closed_at""")[0][0]
    assert bad == 0
    good, ratings = query_rows(source_engine, "SELECT sum(score >= 4), count(*) FROM ops_satisfaction "
                                         "WHERE kind = '工单评价'")[0]
    assert 0.7 <= good / ratings <= 0.95
    surveys = query_rows(source_engine, """
        SELECT survey_period, respondent_id, count(DISTINCT dimension) FROM ops_satisfaction
        WHERE kind = '定期调查' GROUP BY 1, 2""")
    assert surveys and all(n == 4 for _, _, n in surveys)
    assert {p for p, _, _ in surveys} == {f"{AS_OF.year}Q{q}" for q in (1, 2, 3, 4)}


def test_major_events_cover_the_holidays(source_engine):
    """春节, 两会 and 国庆 support every year of the period, inside it, start before end."""
    rows = query_rows(source_engine, "SELECT kind, start_at, end_at FROM ops_major_event")
    assert {"春节", "两会", "国庆"} <= {k for k, _, _ in rows}
    for _, start, end in rows:
        assert as_datetime(start) < as_datetime(end) <= dt.datetime.combine(AS_OF, dt.time(23, 59))
