"""asset in the warehouse: the facts reconcile with the source, net book value follows METRICS.md."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text

from models import asset
from tests.etl.duck_checks import run_checks_on_empty_raw
from tests.support import AS_OF


def _source(engine, sql: str):
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql)).one())


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the asset models and checks/asset.sql all run in DuckDB."""
    tables = [asset.AssetCard.__table__, asset.AssetEvent.__table__, asset.AssetDisposal.__table__]
    assert run_checks_on_empty_raw("asset", tables) > 10


def test_no_asset_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of asset is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'asset%'"
                             ).fetchone()[0] == 0


def test_fact_asset_card_reconciles(source_engine, warehouse):
    """Live cards, their original value, the disposed ones."""
    expected = _source(source_engine, """
        SELECT count(*), sum(original_value), sum(status = '已处置') FROM asset_card
        WHERE deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(original_value), sum(is_disposed::int) "
                            "FROM fact_asset_card").fetchone()
    assert got[0] == expected[0] and got[2] == expected[2]
    assert abs(float(got[1]) - float(expected[1])) < 0.005


def _months(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _net_book_value(value: Decimal, acquired: dt.date, life: int | None, disposed: dt.date | None,
                    as_of: dt.date) -> Decimal:
    """METRICS.md asset.net_book_value, computed independently of the mart."""
    if life is None:
        return value
    total = life * 12
    months = _months(acquired, as_of) + 1
    if disposed is not None:
        months = min(months, _months(acquired, disposed))
    months = max(0, min(months, total))
    nbv = (value - value * months / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return max(nbv, Decimal(0))


def test_net_book_value_from_the_mart_columns(source_engine, warehouse):
    """The documented formula over fact_asset_card gives METRICS.md's value as of the as-of
    date, card by card (fully depreciated assets in use at 0)."""
    with source_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, original_value, acquired_date, useful_life_years, "
                                 "disposed_date FROM asset_card WHERE deleted_at IS NULL")).all()
    expected = {r[0]: _net_book_value(Decimal(str(r[1])), dt.date.fromisoformat(str(r[2])), r[3],
                                      dt.date.fromisoformat(str(r[4])) if r[4] else None, AS_OF)
                for r in rows}
    got = dict(warehouse.execute("""
        SELECT asset_id,
               CASE WHEN NOT is_depreciable THEN original_value ELSE
                   greatest(0, round(original_value - original_value * least(greatest(
                       datediff('month', depreciation_start_month, ?::DATE) + 1, 0),
                       depreciable_months) / useful_life_months, 2)) END
        FROM fact_asset_card""", [AS_OF]).fetchall())
    assert got.keys() == expected.keys()
    wrong = [k for k in got if abs(Decimal(str(got[k])) - expected[k]) > Decimal("0.01")]
    assert wrong == []
    zero = warehouse.execute("SELECT count(*) FROM fact_asset_card WHERE status = '在用' "
                             "AND fully_depreciated_date <= ?", [AS_OF]).fetchone()[0]
    assert zero == sum(1 for k, v in expected.items() if v == 0 and k in _in_use(source_engine))


def _in_use(engine) -> set[int]:
    with engine.connect() as conn:
        return {i for (i,) in conn.execute(text("SELECT id FROM asset_card WHERE status = '在用' "
                                                "AND deleted_at IS NULL AND useful_life_years IS NOT NULL"))}


def test_fact_asset_event_reconciles(source_engine, warehouse):
    """Events of live cards, the repairs' cost, the stocktakes."""
    expected = _source(source_engine, """
        SELECT count(*), sum(e.cost), sum(e.kind = '盘点') FROM asset_event e
        JOIN asset_card c ON c.id = e.asset_id WHERE c.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(cost), sum((kind = '盘点')::int) FROM fact_asset_event"
                            ).fetchone()
    assert (got[0], got[2]) == (expected[0], expected[2])
    assert abs(float(got[1]) - float(expected[1])) < 0.005


def test_fact_asset_disposal_reconciles(source_engine, warehouse):
    """Live requests of live cards, those carried out, their proceeds."""
    expected = _source(source_engine, """
        SELECT count(*), sum(d.disposed_date IS NOT NULL), sum(d.proceeds) FROM asset_disposal d
        JOIN asset_card c ON c.id = d.asset_id WHERE c.deleted_at IS NULL AND d.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_disposed::int), sum(proceeds) "
                            "FROM fact_asset_disposal").fetchone()
    assert got[:2] == expected[:2] and abs(float(got[2]) - float(expected[2])) < 0.005
