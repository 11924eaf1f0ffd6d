"""信息平台 (/portal): articles published per column, unit and month; views, readers and the read
rate among staff; the most-read articles and the mobile share, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import portal
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "portal", "/portal", N_("信息平台")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("业务"),
                   order=22)

# Values the charts and tables show through the catalogue: the seven columns, the article states.
COLUMN_NAMES = (N_("城管要闻"), N_("执法动态"), N_("监管通报"), N_("媒体新闻"), N_("法治指引"), N_("队伍建设"),
                N_("培训资料"))
STATES = (N_("已发布"), N_("已撤回"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
ARTICLES = Column("articles", N_("发布文章数"), "count")
VIEWS = Column("views", N_("阅读次数"), "count")
READERS = Column("readers", N_("阅读人数"), "count")
MOBILE_SHARE = Column("mobile_share", N_("移动端占比"), "rate")
BY_UNIT = UNIT + (ARTICLES, VIEWS, READERS, Column("headcount", N_("在岗人数"), "count"),
                  Column("read_rate", N_("阅读率"), "rate"), MOBILE_SHARE)

TILES = [
    kpi_tile(PAGE, (("articles", N_("发布文章数"), "count"), ("views", N_("阅读次数"), "count"),
                    ("readers", N_("阅读人数"), "count"), ("read_rate", N_("阅读率"), "rate"),
                    ("mobile_share", N_("移动端占比"), "rate"))),
    Tile("articles_by_unit", N_("各单位发布文章数"), portal.by_unit, BY_UNIT,
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("articles",), drill="unit_code")),
    Tile("reading_by_unit", N_("各单位阅读次数、阅读人数与阅读率"), portal.by_unit, BY_UNIT,
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("views", "readers"),
                                          line="read_rate", drill="unit_code")),
    Tile("by_column", N_("各栏目发布文章与阅读"), portal.by_column,
         (Column("column_name", N_("栏目"), "msgid"), ARTICLES, VIEWS, READERS),
         chart=partial(figures.bar, x="column_name", y=("articles",), horizontal=True)),
    Tile("by_month", N_("每月发布文章与阅读"), portal.by_month,
         (Column("month", N_("月份")), ARTICLES, VIEWS, READERS, MOBILE_SHARE),
         chart=partial(figures.trend, x="month", y=("views",), bars=("articles",))),
    Tile("most_read", N_("阅读最多的文章"), portal.most_read,
         (Column("title", N_("标题")), Column("column_name", N_("栏目"), "msgid"),
          Column("unit_name", N_("发布单位")), Column("published_date", N_("发布日期"), "date"),
          Column("status", N_("状态"), "msgid"), VIEWS, READERS,
          Column("mobile_views", N_("移动端阅读次数"), "count")), width=12),
]


def layout(**query: str):
    """The portal tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
