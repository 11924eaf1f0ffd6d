"""ops in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

import sqlite3

import duckdb
from sqlalchemy import text

from etl.run import published_path, run
from models import ops
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.etl.work_time import as_datetime
from tests.support import differences, settings_for


def _source(engine, sql: str):
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the ops models and checks/ops.sql all run in DuckDB."""
    tables = [ops.OpsTicket.__table__, ops.OpsTicketHistory.__table__, ops.OpsSlaPolicy.__table__,
              ops.OpsInspection.__table__, ops.OpsSatisfaction.__table__, ops.OpsMajorEvent.__table__]
    assert run_checks_on_empty_raw("ops", tables) > 10


def test_no_ops_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of ops is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'ops%'"
                             ).fetchone()[0] == 0


def test_fact_ops_ticket_reconciles(source_engine, warehouse):
    """Live tickets, their reopens, the open ones, the P1s; each has its SLA targets."""
    expected = _source(source_engine, """
        SELECT count(*), sum(reopen_count), sum(status NOT IN ('已解决', '已关闭')),
               sum(priority = 'P1'),
               sum((SELECT p.resolve_minutes FROM ops_sla_policy p WHERE p.priority = t.priority))
        FROM ops_ticket t WHERE deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(reopen_count), sum(is_open::int), "
                            "sum((priority = 'P1')::int), sum(sla_resolve_minutes) FROM fact_ops_ticket"
                            ).fetchone()
    assert got == expected


def test_fact_ops_ticket_status_reconciles(source_engine, warehouse):
    """History rows of live tickets by kind; status intervals chain without gaps."""
    expected = _source(source_engine, """
        SELECT count(*), sum(h.kind = '优先级'), sum(h.to_status = '挂起') FROM ops_ticket_history h
        JOIN ops_ticket t ON t.id = h.ticket_id WHERE t.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum((kind = '优先级')::int), "
                            "sum((to_status = '挂起')::int) FROM fact_ops_ticket_status").fetchone()
    assert got == expected
    gaps = warehouse.execute("""
        SELECT count(*) FROM fact_ops_ticket_status s JOIN fact_ops_ticket_status n
          ON n.ticket_id = s.ticket_id AND n.kind = '状态' AND n.changed_at = s.status_until
         AND n.from_status IS DISTINCT FROM s.to_status
        WHERE s.kind = '状态'""").fetchone()[0]
    last = warehouse.execute("""
        SELECT count(*) FROM fact_ops_ticket t JOIN fact_ops_ticket_status s
          ON s.ticket_id = t.ticket_id AND s.kind = '状态' AND s.status_until IS NULL
        WHERE s.to_status <> t.status""").fetchone()[0]
    assert (gaps, last) == (0, 0)


def test_fact_ops_inspection_reconciles(source_engine, warehouse):
    """Planned inspections, the done and abnormal ones, the findings that became tickets."""
    expected = _source(source_engine, """
        SELECT count(*), count(done_at), sum(result = '异常'), count(finding_ticket_id)
        FROM ops_inspection""")
    got = warehouse.execute("SELECT count(*), sum(is_done::int), sum(is_abnormal::int), "
                            "count(finding_ticket_id) FROM fact_ops_inspection").fetchone()
    assert got == expected


def test_fact_ops_satisfaction_reconciles(source_engine, warehouse):
    """Ratings of live tickets and survey answers, their scores, the satisfied ratings."""
    expected = _source(source_engine, """
        SELECT count(*), sum(s.score), sum(s.kind = '工单评价' AND s.score >= 4)
        FROM ops_satisfaction s LEFT JOIN ops_ticket t ON t.id = s.ticket_id
        WHERE s.ticket_id IS NULL OR t.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(score), count(*) FILTER (WHERE is_satisfied) "
                            "FROM fact_ops_satisfaction").fetchone()
    assert got == expected


def test_fact_ops_major_event_reconciles(source_engine, warehouse):
    """Support periods, and the live tickets reported inside each, counted here in Python."""
    with source_engine.connect() as conn:
        events = conn.execute(text("SELECT id, start_at, end_at FROM ops_major_event")).all()
        reported = [as_datetime(r) for (r,) in conn.execute(text(
            "SELECT reported_at FROM ops_ticket WHERE deleted_at IS NULL"))]
    expected = {i: sum(as_datetime(s) <= r <= as_datetime(e) for r in reported) for i, s, e in events}
    got = dict(warehouse.execute("SELECT major_event_id, tickets FROM fact_ops_major_event").fetchall())
    assert got == expected and sum(got.values()) > 0


def test_fact_ops_ticket_sla_judges_every_ticket_as_the_engine_does(source_engine, warehouse):
    """One row per live ticket; the response ends at the acknowledgement and the resolution at
    the last resolution the source recorded, and no ticket is left unjudged."""
    rows = warehouse.execute(
        "SELECT count(*), count(error), count(*) FILTER (WHERE s.responded_at IS DISTINCT FROM "
        "date_trunc('second', t.acknowledged_at)), count(*) FILTER (WHERE NOT s.is_open AND "
        "s.resolved_at IS DISTINCT FROM date_trunc('second', t.resolved_at)), "
        "count(*) FILTER (WHERE s.met IS NULL) - count(*) FILTER (WHERE s.is_open) "
        "FROM fact_ops_ticket_sla s JOIN fact_ops_ticket t USING (ticket_id)").fetchone()
    with source_engine.connect() as conn:
        live = conn.execute(text("SELECT count(*) FROM ops_ticket WHERE deleted_at IS NULL")).scalar()
    assert rows == (live, 0, 0, 0, 0) and live > 100


def test_a_policy_change_recomputes_every_ticket(source_copy, tmp_path):
    """Tightening P3's resolve target (3 workdays to 1) in the source: an incremental run judges
    the old tickets again (more breaches), exactly as a fresh full build does."""
    settings = settings_for(source_copy, tmp_path / "inc")
    run(settings, full=True)
    breached = "SELECT count(*) FILTER (WHERE resolution_breached) FROM fact_ops_ticket_sla"
    with duckdb.connect(str(published_path(settings)), read_only=True) as con:
        before = con.execute(breached).fetchone()[0]
    db = sqlite3.connect(source_copy.removeprefix("sqlite:///"))
    db.execute("UPDATE ops_sla_policy SET resolve_minutes = 540 WHERE priority = 'P3'")
    db.commit()
    db.close()
    assert run(settings).rebuilt["fact_ops_ticket_sla"] == "rebuilt"
    with duckdb.connect(str(published_path(settings)), read_only=True) as con:
        after = con.execute(breached).fetchone()[0]
        assert con.execute("SELECT min(resolve_target_minutes) FROM fact_ops_ticket_sla "
                           "WHERE priority = 'P3'").fetchone()[0] == 540
    assert after > before
    fresh = settings_for(source_copy, tmp_path / "fresh")
    run(fresh, full=True)
    assert differences(published_path(settings), published_path(fresh)) == []
