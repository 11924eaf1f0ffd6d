"""fact_ops_ticket_sla: every live ticket judged by the SLA engine (models/sla.py) from its whole
history and the policies in force on its report date. Rebuilt whole whenever ops data, the
policies or the work calendar changed, so a policy change recomputes every ticket.

Grain: ticket_id. as_of is the ops system's latest event (the newest report or history change),
not the clock of the ETL run, so the same source data always gives the same table.
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa

from models import sla

MART = "fact_ops_ticket_sla"
# Source tables (and the work calendar) whose change makes the table stale.
SOURCES = frozenset({"ops_ticket", "ops_ticket_history", "ops_sla_policy", "calendar"})
RESULT_FIELDS = [f.name for f in dataclasses.fields(sla.SlaResult)]


def needed(con, changed: set[str]) -> bool:
    """Whether the table is missing or one of its sources changed in this run."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                         "AND table_name = ?", [MART]).fetchone()[0]
    return not exists or bool(SOURCES & changed)


def build(con) -> int:
    """Judge every ticket and replace the table; returns the number of tickets."""
    tickets = con.execute("SELECT ops_ticket_id, reported_at, priority FROM stg_ops__ops_ticket "
                          "ORDER BY ops_ticket_id").fetchall()
    changes: dict[int, list[tuple]] = {}
    for ticket_id, *row in con.execute(
            "SELECT ticket_id, changed_at, kind, to_status, from_priority, to_priority "
            "FROM stg_ops__ops_ticket_history ORDER BY ticket_id, changed_at, ops_ticket_history_id"
    ).fetchall():
        changes.setdefault(ticket_id, []).append(tuple(row))
    policies = [sla.SlaPolicy(p, respond, resolve, calendar, valid_from) for p, respond, resolve, calendar,
                valid_from in con.execute("SELECT priority, respond_minutes, resolve_minutes, calendar, "
                                          "valid_from FROM stg_ops__ops_sla_policy").fetchall()]
    events = [t[1] for t in tickets] + [c[0] for rows in changes.values() for c in rows]
    as_of = max(events) if events else None
    columns: dict[str, list] = {name: [] for name in ["ticket_id", "as_of", *RESULT_FIELDS, "error"]}
    for ticket_id, reported_at, priority in tickets:
        history = changes.get(ticket_id, [])
        result, error = _judge(reported_at, priority, history, policies, as_of)
        columns["ticket_id"].append(ticket_id)
        columns["as_of"].append(as_of)
        for name in RESULT_FIELDS:
            columns[name].append(getattr(result, name) if result else None)
        columns["error"].append(error)
    con.register("sla_rows", pa.table(columns))
    con.execute(f"CREATE OR REPLACE TABLE {MART} AS SELECT * FROM sla_rows ORDER BY ticket_id")
    con.unregister("sla_rows")
    return len(tickets)


def _judge(reported_at, priority, history, policies, as_of):
    """(SlaResult, None), or (None, why) for a ticket the engine cannot judge (no policy for its
    priority on its report date): such tickets stay visible with the reason instead of failing the run."""
    # The priority at report time: the first priority change says what it was changed from.
    initial = next((from_p for _at, kind, _s, from_p, _to in history if kind == sla.PRIORITY and from_p),
                   priority)
    ticket = sla.Ticket(reported_at, initial, tuple(
        sla.Change(at, kind, to_status=to_s, to_priority=to_p) for at, kind, to_s, _from, to_p in history))
    try:
        return sla.evaluate(ticket, sla.policies_on(policies, reported_at.date()), as_of), None
    except ValueError as exc:
        return None, str(exc)
