"""portal (综合政务信息平台): articles of the seven columns and who read them on which client."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SoftDelete, check, enum

COLUMNS = ("城管要闻", "执法动态", "监管通报", "媒体新闻", "法治指引", "队伍建设", "培训资料")
ARTICLE_STATES = ("草稿", "已发布", "已撤回")
# The three clients of the bureau: desktop OA, the 执法城管通 app, the city's 京办 app.
CHANNELS = ("PC", "执法城管通", "京办")
MOBILE_CHANNELS = ("执法城管通", "京办")


class PortalArticle(Base, SoftDelete):
    """An article of the portal: drafted by an author of a unit, published into one column."""

    __tablename__ = "portal_article"
    __table_args__ = (
        # A draft has never been published; everything else has a publication time.
        check("(status = '草稿' AND published_at IS NULL) OR "
              "(status <> '草稿' AND published_at IS NOT NULL)", "published_unless_draft"),
        check("(status = '已撤回' AND withdrawn_at IS NOT NULL) OR "
              "(status <> '已撤回' AND withdrawn_at IS NULL)", "withdrawn_iff_status"),
        check("withdrawn_at IS NULL OR withdrawn_at >= published_at", "withdrawn_after_published"),
        check("published_at IS NULL OR published_at >= drafted_at", "published_after_drafted"),
        check("word_count >= 0", "word_count_nonneg"),
    )

    column_name: Mapped[str] = mapped_column(enum(*COLUMNS, name="portal_column"))
    title: Mapped[str] = mapped_column(String(200))
    # The unit that publishes the article (its 信息员 writes it), not the author's current unit.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(enum(*ARTICLE_STATES, name="portal_article_status"))
    drafted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    word_count: Mapped[int] = mapped_column(Integer, default=0)


class PortalArticleView(Base):
    """One opening of a published article by a member of staff on one client."""

    __tablename__ = "portal_article_view"

    article_id: Mapped[int] = mapped_column(ForeignKey("portal_article.id"), index=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    viewed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(enum(*CHANNELS, name="portal_channel"))
