"""portal in the warehouse: the facts reconcile with the source, the checks run in DuckDB."""
from __future__ import annotations

from sqlalchemy import text

from models import portal
from tests.etl.duck_checks import run_checks_on_empty_raw


def _source(engine, sql: str):
    """The single row of a query on the source."""
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


def test_checks_are_valid_duckdb():
    """The CHECK constraints of the models and checks/portal.sql all run in DuckDB."""
    tables = [portal.PortalArticle.__table__, portal.PortalArticleView.__table__]
    assert run_checks_on_empty_raw("portal", tables) > 10


def test_no_portal_row_is_quarantined(warehouse):
    """The clean demo source passes every check: nothing of portal is held back."""
    assert warehouse.execute("SELECT count(*) FROM quarantine WHERE table_name LIKE 'portal%'"
                             ).fetchone()[0] == 0


def test_fact_portal_article_reconciles(source_engine, warehouse):
    """Live articles, how many are published, and their views equal the source."""
    expected = _source(source_engine, """
        SELECT count(*), sum(a.status = '已发布'),
               (SELECT count(*) FROM portal_article_view v JOIN portal_article b
                ON b.id = v.article_id WHERE b.deleted_at IS NULL)
        FROM portal_article a WHERE a.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_published::int), sum(view_count) "
                            "FROM fact_portal_article").fetchone()
    assert got == tuple(expected)


def test_fact_portal_view_reconciles(source_engine, warehouse):
    """Views of live articles and the mobile ones equal the source; each has the reader's unit."""
    expected = _source(source_engine, """
        SELECT count(*), sum(v.channel IN ('执法城管通', '京办')), sum(v.reader_id)
        FROM portal_article_view v JOIN portal_article a ON a.id = v.article_id
        WHERE a.deleted_at IS NULL""")
    got = warehouse.execute("SELECT count(*), sum(is_mobile::int), sum(reader_id) FROM fact_portal_view"
                            ).fetchone()
    assert got == tuple(expected)
    assert warehouse.execute("SELECT count(*) FROM fact_portal_view WHERE unit_id IS NULL"
                             ).fetchone()[0] == 0


def test_view_unit_is_the_readers_unit_that_day(source_engine, warehouse):
    """unit_id of a view is the reader's unit on the view day according to person_history."""
    with source_engine.connect() as conn:
        expected = dict(conn.execute(text("""
            SELECT v.id, (SELECT h.unit_id FROM person_history h WHERE h.person_id = v.reader_id
                          AND h.effective_date <= date(v.viewed_at)
                          ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)
            FROM portal_article_view v JOIN portal_article a ON a.id = v.article_id
            WHERE a.deleted_at IS NULL""")).all())
    got = dict(warehouse.execute("SELECT view_id, unit_id FROM fact_portal_view").fetchall())
    assert got == expected
