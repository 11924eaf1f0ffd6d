"""邮件 (/mail): messages sent per day and per capita, the unread backlog (over 7 days) by unit and
the mobile share of reads (执法城管通, 京办), for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import mail
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "mail", "/mail", N_("邮件")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("业务"),
                   order=23)

# Values the tiles show through the catalogue: the read channels (mail.CHANNELS).
CHANNEL_NAMES = (N_("PC"), N_("执法城管通"), N_("京办"))
BY_UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")),
           Column("sent", N_("发送邮件数"), "count"), Column("mean_headcount", N_("平均在岗人数"), "number"),
           Column("sent_per_capita", N_("人均发送邮件数"), "number"),
           Column("unread_backlog", N_("超过7天未读邮件数"), "count"), Column("read", N_("已读邮件数"), "count"),
           Column("mobile_read", N_("移动端已读邮件数"), "count"), Column("mobile_share", N_("移动端阅读占比"), "rate"))


def _backlog_note(settings) -> str:
    return _("未读积压：截至时段末，发送超过 {days} 天仍未读的收件；移动端：执法城管通、京办").format(
        days=mail.UNREAD_DAYS)


# The per-capita card uses the "days" kind only for its one decimal (formats.value writes a
# "number" as a whole number, and a month's per capita is often below 1).
TILES = [
    kpi_tile(PAGE, (("sent", N_("发送邮件数"), "count"), ("sent_per_capita", N_("人均发送邮件数"), "days"),
                    ("unread_backlog", N_("超过7天未读邮件数"), "count"),
                    ("mobile_share", N_("移动端阅读占比"), "rate")),
             note=_backlog_note),
    Tile("by_day", N_("逐日发送邮件数"), mail.sent_by_day,
         (Column("day", N_("日期"), "date"), Column("sent", N_("发送邮件数"), "count")), width=12,
         chart=partial(figures.trend, x="day", y=("sent",))),
    Tile("sent_by_unit", N_("各单位发送邮件数与人均"), mail.by_unit, BY_UNIT, width=8, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("sent",), line="sent_per_capita", drill="unit_code")),
    Tile("channels", N_("阅读渠道分布"), mail.reads_by_channel,
         (Column("channel", N_("阅读渠道"), "msgid"), Column("reads", N_("已读邮件数"), "count"),
          Column("share", N_("占比"), "rate")), width=4,
         chart=partial(figures.pie, names="channel", values="reads")),
    Tile("backlog_by_unit", N_("各单位未读积压（超过7天，截至时段末）"), mail.by_unit, BY_UNIT, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("unread_backlog",), drill="unit_code")),
    Tile("mobile_by_unit", N_("各单位移动端阅读占比"), mail.by_unit, BY_UNIT, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("read", "mobile_read"), line="mobile_share",
                       drill="unit_code")),
]


def layout(**query: str):
    """The mail tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
