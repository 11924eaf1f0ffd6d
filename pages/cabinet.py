"""公文交换柜 (/cabinet): documents deposited and picked up per day, per cabinet and per receiving
unit, the hour-by-weekday heatmap of deposits, dwell time, the documents waiting (and overdue) at
period end by unit, box utilization and the access cards, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import cabinet
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "cabinet", "/cabinet", N_("公文交换柜")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("资源"),
                   order=32)

# Values the tiles show through the catalogue (cabinet.WEEKDAYS and the overdue flag).
VALUE_NAMES = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"),
               N_("是"), N_("否"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
CABINET = (Column("cabinet_id", N_("交换柜编号"), "count"), Column("cabinet_name", N_("交换柜（所在单位）")))
FLOWS = (Column("deposits", N_("投递件数"), "count"), Column("pickups", N_("取件件数"), "count"))
DWELL = (Column("dwell_median", N_("滞留时长中位数（小时）"), "hours"),
         Column("dwell_p90", N_("滞留时长P90（小时）"), "hours"))
WAITING = (Column("awaiting_pickup", N_("待取件数"), "count"), Column("overdue", N_("超时待取件数"), "count"))
CARDS = (Column("cards_issued", N_("发卡数"), "count"), Column("cards_active", N_("有效卡数"), "count"),
         Column("cards_lost", N_("挂失卡数"), "count"))
BY_UNIT = UNIT + FLOWS + DWELL + WAITING


def _overdue_note(settings) -> str:
    return _("超时：待取超过 {hours} 小时（设置项）；待取与超时按时段末计，滞留时长按时段内取件计").format(
        hours=settings.cabinet_overdue_hours)


TILES = [
    kpi_tile(PAGE, (("deposits", N_("投递件数"), "count"), ("pickups", N_("取件件数"), "count"),
                    ("dwell_median", N_("滞留时长中位数（小时）"), "hours"),
                    ("dwell_p90", N_("滞留时长P90（小时）"), "hours"),
                    ("awaiting_pickup", N_("待取件数"), "count"), ("overdue_24h", N_("超时待取件数"), "count"),
                    ("box_utilization", N_("箱格使用率"), "rate"), ("cards_issued", N_("发卡数"), "count"),
                    ("cards_active", N_("有效卡数"), "count"), ("cards_lost", N_("挂失卡数"), "count")),
             note=_overdue_note),
    Tile("by_day", N_("逐日投递与取件"), cabinet.flows_by_day, (Column("day", N_("日期"), "date"),) + FLOWS,
         width=12, chart=partial(figures.trend, x="day", y=("deposits", "pickups"))),
    Tile("by_unit", N_("各接收单位投递与取件"), cabinet.by_unit, BY_UNIT, width=8, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("deposits", "pickups"), drill="unit_code")),
    Tile("by_cabinet", N_("各交换柜投递与取件"), cabinet.flows_by_cabinet, CABINET + FLOWS + DWELL, width=4,
         chart=partial(figures.bar, x="cabinet_name", y=("deposits", "pickups"), horizontal=True)),
    Tile("by_hour", N_("投递时段分布（星期×小时）"), cabinet.deposits_by_hour,
         (Column("weekday", N_("星期"), "msgid"), Column("hour", N_("时"), "count"), FLOWS[0]), width=12,
         chart=partial(figures.heatmap, x="hour", y="weekday", z="deposits")),
    Tile("dwell", N_("各接收单位滞留时长（小时）"), cabinet.by_unit, BY_UNIT, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("dwell_median", "dwell_p90"), drill="unit_code")),
    Tile("waiting", N_("各接收单位待取与超时（截至时段末）"), cabinet.by_unit, BY_UNIT, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("awaiting_pickup", "overdue"), drill="unit_code")),
    Tile("utilization", N_("各交换柜箱格使用率"), cabinet.box_utilization_by_cabinet,
         CABINET + (Column("boxes", N_("箱格数"), "count"), Column("available_hours", N_("可用箱格小时"), "hours"),
                    Column("occupied_hours", N_("占用箱格小时"), "hours"),
                    Column("box_utilization", N_("箱格使用率"), "rate")),
         chart=partial(figures.bar, x="cabinet_name", y=("box_utilization",), horizontal=True)),
    Tile("cards", N_("各单位门禁卡"), cabinet.cards_by_unit, UNIT + CARDS, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("cards_issued", "cards_active", "cards_lost"),
                       drill="unit_code")),
    Tile("awaiting", N_("待取公文明细（截至时段末，按接收单位）"), cabinet.awaiting,
         (Column("unit_name", N_("接收单位")), Column("cabinet_name", N_("交换柜（所在单位）")),
          Column("box_no", N_("箱格号"), "count"), Column("document_ref", N_("文号")),
          Column("sender_unit_name", N_("发文单位")), Column("deposited_at", N_("投递时间"), "datetime"),
          Column("waited_hours", N_("已等待（小时）"), "hours"), Column("overdue", N_("是否超时"), "msgid")),
         width=12),
]


def layout(**query: str):
    """The cabinet tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
