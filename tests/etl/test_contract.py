"""contract in the warehouse: the facts reconcile with the source, the cycle is working time."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from models import contract
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.etl.work_time import as_datetime, workdays_between


def _source(engine, sql: str) -> tuple:
    """The single row of a query on the source."""
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/contract.sql all run in DuckDB."""
    tables = [contract.ContractApprovalFlow.__table__, contract.Contract.__table__,
              contract.ContractApproval.__table__]
    assert run_checks_on_empty_raw("contract", tables) > 20


def test_no_contract_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of contract is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'contract%'"
                             ).fetchone()[0] == 0


def test_fact_contract_reconciles(source_engine, warehouse):
    """Live contracts, their total and signed amounts and the rejected ones equal the source."""
    count, total, signed, rejected = _source(source_engine, """
        SELECT count(*), sum(amount), sum(CASE WHEN signed_at IS NOT NULL THEN amount END),
               sum(EXISTS (SELECT 1 FROM contract_approval a WHERE a.contract_id = c.id
                           AND a.decision = '驳回'))
        FROM contract c WHERE deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(amount), sum(amount) filter (where is_signed), "
                            "sum(has_rejection::int) FROM fact_contract").fetchone()
    assert got[0] > 0
    assert got == (count, Decimal(str(total)).quantize(Decimal("0.01")),
                   Decimal(str(signed)).quantize(Decimal("0.01")), rejected)


def test_fact_contract_approval_reconciles(source_engine, warehouse):
    """Approval steps of live contracts, pending and rejected ones equal the source."""
    expected = _source(source_engine, """
        SELECT count(*), sum(a.decided_at IS NULL), sum(a.decision = '驳回'), sum(a.approver_id)
        FROM contract_approval a JOIN contract c ON c.id = a.contract_id
        WHERE c.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_pending::int), sum(is_rejected::int), "
                            "sum(approver_id) FROM fact_contract_approval").fetchone()
    assert got[0] > 0 and got == expected


def test_approval_cycle_is_working_time_from_submission_to_signature(source_engine, warehouse):
    """approval_cycle_workdays of signed contracts equals working time computed here in Python."""
    with source_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, submitted_at, signed_at FROM contract "
                                 "WHERE deleted_at IS NULL AND signed_at IS NOT NULL")).all()
    expected = {i: round(workdays_between(as_datetime(a), as_datetime(b)), 2) for i, a, b in rows}
    got = dict(warehouse.execute("SELECT contract_id, approval_cycle_workdays FROM fact_contract "
                                 "WHERE is_signed").fetchall())
    assert len(expected) > 20 and got.keys() == expected.keys()
    assert all(abs(float(got[i]) - expected[i]) < 0.011 for i in expected)


def test_pending_contracts_show_their_current_step(warehouse):
    """Every contract in approval either waits at a named step or awaits signature."""
    rows = warehouse.execute("SELECT current_step_name, is_awaiting_signature FROM fact_contract "
                             "WHERE status = '审批中'").fetchall()
    assert rows and all((name is not None) != waiting for name, waiting in rows)
