"""cabinet in the warehouse: the facts reconcile with the source, box occupancy is exact."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import text

from models import cabinet
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.etl.work_time import as_datetime


def _source(engine, sql: str):
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the cabinet models and checks/cabinet.sql all run in DuckDB."""
    tables = [cabinet.Cabinet.__table__, cabinet.CabinetBox.__table__, cabinet.CabinetCard.__table__,
              cabinet.CabinetBarcode.__table__, cabinet.CabinetTransaction.__table__]
    assert run_checks_on_empty_raw("cabinet", tables) > 10


def test_no_cabinet_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of cabinet is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'cabinet%'"
                             ).fetchone()[0] == 0


def test_fact_cabinet_transaction_reconciles(source_engine, warehouse):
    """Live deposits, those still waiting, and the total dwell time in seconds."""
    expected = _source(source_engine, """
        SELECT count(*), sum(picked_up_at IS NULL),
               round(sum((julianday(picked_up_at) - julianday(deposited_at)) * 86400))
        FROM cabinet_transaction WHERE deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_awaiting::int), round(sum(dwell_hours) * 3600) "
                            "FROM fact_cabinet_transaction").fetchone()
    assert got[:2] == expected[:2] and abs(got[2] - expected[2]) <= 2


def test_fact_cabinet_card_reconciles(source_engine, warehouse):
    """Cards by status, and the unit cards."""
    expected = _source(source_engine, """
        SELECT count(*), sum(status = '有效'), sum(status = '挂失'), sum(person_id IS NULL)
        FROM cabinet_card""")
    got = warehouse.execute("SELECT count(*), sum(is_active::int), count(lost_date), "
                            "sum(is_unit_card::int) FROM fact_cabinet_card").fetchone()
    assert got == expected


def test_fact_cabinet_box_occupancy_is_exact(source_engine, warehouse):
    """One row per box and day of the data span; occupied hours equal the union of the stays
    of the documents in each box, computed here in Python."""
    with source_engine.connect() as conn:
        txns = conn.execute(text("SELECT box_id, deposited_at, picked_up_at FROM cabinet_transaction "
                                 "WHERE deleted_at IS NULL")).all()
        boxes = conn.execute(text("SELECT b.id, c.installed_date FROM cabinet_box b "
                                  "JOIN cabinet c ON c.id = b.cabinet_id")).all()
    stays = [(b, as_datetime(d), as_datetime(p) if p else None) for b, d, p in txns]
    first = min(d for _, d, _ in stays).date()
    last = max(max(d for _, d, _ in stays), max(p for _, _, p in stays if p)).date()
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    days = sum((last - max(dt.date.fromisoformat(str(i)), first)).days + 1 for _, i in boxes)
    by_box = defaultdict(list)
    for b, d, p in stays:
        by_box[b].append((d, p or end))
    hours = 0.0
    for spans in by_box.values():
        spans.sort()
        cur_start, cur_end = spans[0]
        for s, e in spans[1:]:
            if s > cur_end:
                hours += (cur_end - cur_start).total_seconds() / 3600
                cur_start, cur_end = s, e
            else:
                cur_end = max(cur_end, e)
        hours += (cur_end - cur_start).total_seconds() / 3600
    got = warehouse.execute("SELECT count(*), sum(occupied_hours), sum(deposits), "
                            "max(occupied_hours) FROM fact_cabinet_box").fetchone()
    assert got[0] == days and abs(got[1] - hours) < 1e-6 * hours and got[2] == len(stays)
    assert got[3] <= 24 + 1e-9
