"""uniform in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

import datetime as dt


from models import uniform, workday
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.support import query_rows

TABLES = [uniform.UniformItem.__table__, uniform.UniformVendor.__table__,
          uniform.UniformDelivery.__table__, uniform.UniformRequest.__table__,
          uniform.UniformStockMovement.__table__]


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/uniform.sql all run in DuckDB."""
    assert run_checks_on_empty_raw("uniform", TABLES) > 20


def test_no_uniform_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of uniform is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'uniform%'"
                             ).fetchone()[0] == 0


def test_fact_uniform_stock_movement_and_stock_reconcile(source_engine, warehouse):
    """Movements and their net quantity equal the source; on-hand stock per item and size is
    their sum, over every size the item is stocked in."""
    expected = query_rows(source_engine, "SELECT count(*), sum(quantity), sum(kind = '出库') "
                                    "FROM uniform_stock_movement")[0]
    got = warehouse.execute("SELECT count(*), sum(quantity), sum((kind = '出库')::int) "
                            "FROM fact_uniform_stock_movement").fetchone()
    assert got == tuple(expected)
    sizes = sum(len(s.split(",")) for (s,) in query_rows(source_engine, "SELECT sizes FROM uniform_item"))
    stock = warehouse.execute("SELECT count(*), sum(on_hand), min(on_hand) FROM fact_uniform_stock"
                              ).fetchone()
    assert stock == (sizes, expected[1], 0) or (stock[:2] == (sizes, expected[1]) and stock[2] > 0)


def test_fact_uniform_request_reconciles(source_engine, warehouse):
    """Live requests, quantities, issued and signed counts equal the source; lead time in workdays
    equals a count over the China calendar."""
    expected = query_rows(source_engine, """
        SELECT count(*), sum(quantity), count(issued_at), count(signed_at)
        FROM uniform_request WHERE deleted_at IS NULL""")[0]
    got = warehouse.execute("SELECT count(*), sum(quantity), sum(is_issued::int), sum(is_signed::int) "
                            "FROM fact_uniform_request").fetchone()
    assert got == tuple(expected)
    lead = 0
    for asked, issued in query_rows(source_engine, "SELECT requested_at, issued_at FROM uniform_request "
                                              "WHERE deleted_at IS NULL AND issued_at IS NOT NULL"):
        a, b = dt.date.fromisoformat(asked[:10]), dt.date.fromisoformat(issued[:10])
        lead += len(workday.workdays(a + dt.timedelta(days=1), b))
    assert warehouse.execute("SELECT sum(lead_time_workdays) FROM fact_uniform_request").fetchone()[0] == lead


def test_fact_uniform_delivery_reconciles(source_engine, warehouse):
    """Live order lines, quantities, received and on-time counts equal the source."""
    expected = query_rows(source_engine, """
        SELECT count(*), sum(quantity), count(received_date), sum(received_date <= promised_date)
        FROM uniform_delivery WHERE deleted_at IS NULL""")[0]
    got = warehouse.execute("SELECT count(*), sum(quantity), sum(is_received::int), sum(is_on_time::int) "
                            "FROM fact_uniform_delivery").fetchone()
    assert got == tuple(expected)
