"""portal: the schema refuses inconsistent articles and views; the demo portal reads like a real one."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models import portal
from tests.models.org_rows import insert, make_db

T0 = dt.datetime(2025, 3, 3, 9, 30)
ARTICLE = dict(id=1, column_name="城管要闻", title="标题", unit_id=2, author_id=1, status="已发布",
               drafted_at=T0, published_at=T0 + dt.timedelta(hours=2), withdrawn_at=None,
               word_count=800)
VIEW = dict(id=1, article_id=1, reader_id=2, viewed_at=T0 + dt.timedelta(hours=3), channel="京办")


@pytest.fixture
def engine():
    """A fresh in-memory database with the org tree, two people and this module's tables."""
    engine = make_db(portal.PortalArticle.__table__, portal.PortalArticleView.__table__)
    yield engine
    engine.dispose()


def test_a_consistent_article_and_view_are_accepted(engine):
    """The reference rows pass, so every refusal below comes from the broken field."""
    insert(engine, portal.PortalArticle.__table__, ARTICLE)
    insert(engine, portal.PortalArticleView.__table__, VIEW)


@pytest.mark.parametrize("change", [
    dict(column_name="体育新闻"),
    dict(status="已删除"),
    dict(status="草稿"),                                   # a draft with a publication time
    dict(published_at=None),                              # published without a time
    dict(status="已撤回"),                                 # withdrawn without a time
    dict(withdrawn_at=T0 + dt.timedelta(hours=5)),         # a time but still 已发布
    dict(status="已撤回", withdrawn_at=T0),                 # withdrawn before publication
    dict(published_at=T0 - dt.timedelta(hours=1)),         # published before drafted
    dict(word_count=-1),
    dict(author_id=99),
    dict(unit_id=99),
], ids=lambda c: ",".join(c))
def test_inconsistent_articles_are_refused(engine, change):
    """Unknown columns and states, broken publication timeline, negative counts, dangling keys."""
    with pytest.raises(IntegrityError):
        insert(engine, portal.PortalArticle.__table__, {**ARTICLE, **change})


@pytest.mark.parametrize("change", [dict(channel="微信"), dict(article_id=99), dict(reader_id=99)],
                         ids=lambda c: ",".join(c))
def test_inconsistent_views_are_refused(engine, change):
    """Only the three clients; the article and the reader must exist."""
    insert(engine, portal.PortalArticle.__table__, ARTICLE)
    with pytest.raises(IntegrityError):
        insert(engine, portal.PortalArticleView.__table__, {**VIEW, **change})


def _scalar(engine, sql: str):
    """The single value of a query on engine."""
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_readers_were_employed_and_read_while_published(source_engine):
    """Every view falls between publication and withdrawal, by someone employed that day."""
    bad = _scalar(source_engine, """
        SELECT count(*) FROM portal_article_view v
        JOIN portal_article a ON a.id = v.article_id
        JOIN person p ON p.id = v.reader_id
        WHERE a.published_at IS NULL OR v.viewed_at < a.published_at
           OR (a.withdrawn_at IS NOT NULL AND v.viewed_at >= a.withdrawn_at)
           OR date(v.viewed_at) < p.hire_date
           OR (p.leave_date IS NOT NULL AND date(v.viewed_at) >= p.leave_date)""")
    assert _scalar(source_engine, "SELECT count(*) FROM portal_article_view") > 1000
    assert bad == 0


def test_authors_wrote_for_the_unit_they_were_in(source_engine):
    """The publishing unit is the author's unit on the drafting day (from person_history)."""
    bad = _scalar(source_engine, """
        SELECT count(*) FROM portal_article a
        WHERE a.unit_id <> (SELECT h.unit_id FROM person_history h
                            WHERE h.person_id = a.author_id AND h.effective_date <= date(a.drafted_at)
                            ORDER BY h.effective_date DESC, h.id DESC LIMIT 1)""")
    assert bad == 0


def test_article_mix_is_realistic(source_engine):
    """All seven columns, street news the largest; few drafts and withdrawals; some deleted."""
    with source_engine.connect() as conn:
        by_column = dict(conn.execute(text(
            "SELECT column_name, count(*) FROM portal_article GROUP BY column_name")).all())
        states = dict(conn.execute(text(
            "SELECT status, count(*) FROM portal_article GROUP BY status")).all())
        deleted = conn.execute(text(
            "SELECT count(*) FROM portal_article WHERE deleted_at IS NOT NULL")).scalar()
    assert set(by_column) == set(portal.COLUMNS)
    assert max(by_column, key=by_column.get) == "执法动态"
    total = sum(states.values())
    assert 0 < states["草稿"] < 0.1 * total and 0 < states["已撤回"] < 0.06 * total
    assert 0 < deleted < 0.03 * total


def test_mobile_share_is_between_a_third_and_two_thirds(source_engine):
    """Street officers read on the 执法城管通 app; 机关 staff mostly on PC."""
    with source_engine.connect() as conn:
        mobile, views = conn.execute(text(
            "SELECT sum(channel <> 'PC'), count(*) FROM portal_article_view")).one()
        street_mobile = conn.execute(text("""
            SELECT avg(v.channel <> 'PC') FROM portal_article_view v
            JOIN person p ON p.id = v.reader_id JOIN org_unit u ON u.id = p.unit_id
            WHERE u.level = '街乡镇'""")).scalar()
    assert 0.33 < mobile / views < 0.67
    assert street_mobile > mobile / views
