"""The schema: Alembic builds exactly the models, the database keeps updated_at, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from models.base import Base, import_all
from models.db import open_engine, reset_schema


def schema_diff(engine) -> list:
    """Differences between the migrated database and the models (empty when they agree)."""
    import_all()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def check_schema(url: str) -> None:
    engine = open_engine(url)
    reset_schema(engine)
    assert schema_diff(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO org_unit (id, code, name, level, district_code, unit_type, "
            "authorized_headcount, keeps_duty_roster, sort_order) VALUES "
            "(1, 'X', '测试局', '市局', '110000', '机关', 5, false, 0)"))
        conn.execute(text("UPDATE org_unit SET created_at = '2020-01-01 00:00:00', "
                          "updated_at = '2020-01-01 00:00:00' WHERE id = 1"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE org_unit SET authorized_headcount = 6 WHERE id = 1"))
        created, updated = conn.execute(text(
            "SELECT created_at, updated_at FROM org_unit WHERE id = 1")).one()
    assert str(created).startswith("2020-01-01")
    assert str(updated) > "2026"  # set by the database trigger, not by the statement
    engine.dispose()


def test_alembic_builds_the_models_on_sqlite(tmp_path):
    """upgrade head == the models; a plain UPDATE moves updated_at."""
    check_schema(f"sqlite:///{tmp_path}/schema.db")


def test_alembic_builds_the_models_on_postgresql(pg_url):
    """The same on PostgreSQL."""
    check_schema(pg_url)


def test_every_table_keeps_bookkeeping_columns():
    """created_at and updated_at everywhere; withdrawable records have deleted_at."""
    import_all()
    for table in Base.metadata.sorted_tables:
        assert {"id", "created_at", "updated_at"} <= set(table.c.keys()), table.name
        assert not table.c.created_at.nullable and table.c.updated_at.server_default is not None
    soft = {t.name for t in Base.metadata.sorted_tables if "deleted_at" in t.c}
    assert {"person", "user_account"} <= soft
