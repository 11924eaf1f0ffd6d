"""固定资产 (/asset): the books at period end (count, original value and net book value by GB/T 14885
class, status and unit), idle rate, fully depreciated assets still in use, disposals by method and
the cards' life events with one card's timeline, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import asset
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "asset", "/asset", N_("固定资产")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("资源"),
                   order=31)

# Values the tiles show through the catalogue (the queries return them as msgids): GB/T 14885
# classes, statuses, disposal methods and life events.
VALUE_NAMES = (
    N_("房屋和构筑物"), N_("设备"), N_("文物和陈列品"), N_("图书和档案"), N_("家具和用具"), N_("特种动植物"),
    N_("物资"), N_("无形资产"),
    N_("在用"), N_("闲置"), N_("维修"), N_("待处置"), N_("已处置"),
    N_("报废"), N_("调拨"), N_("出售"), N_("捐赠"), N_("其他"),
    N_("购置"), N_("领用"), N_("盘点"), N_("处置"),
)
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
BOOKS = (Column("asset_count", N_("资产数量"), "count"), Column("original_value", N_("资产原值（元）"), "money"),
         Column("net_book_value", N_("资产净值（元）"), "money"))
FULLY = Column("fully_depreciated_in_use", N_("提足折旧仍在用"), "count")
EVENT = (Column("asset_no", N_("资产编号")), Column("name", N_("资产名称")), Column("event", N_("事件"), "msgid"),
         Column("event_date", N_("日期"), "date"))
EVENT_DETAIL = (Column("from_unit_name", N_("调出/原单位")), Column("to_unit_name", N_("调入/所在单位")),
                Column("amount", N_("金额（元）"), "money"), Column("note", N_("备注")))


def _kpi_note(settings) -> str:
    return _("账面数为时段末在账资产；净值按直线法、残值为零，当月增加当月计提，当月减少当月不再计提")


TILES = [
    kpi_tile(PAGE, (("asset_count", N_("资产数量"), "count"), ("original_value", N_("资产原值"), "money"),
                    ("net_book_value", N_("资产净值"), "money"), ("idle_rate", N_("闲置率"), "rate"),
                    ("fully_depreciated_in_use", N_("提足折旧仍在用"), "count")),
             note=_kpi_note),
    Tile("by_unit", N_("各单位资产原值与净值"), asset.books_by_unit,
         UNIT + BOOKS + (Column("idle_count", N_("闲置数量"), "count"), Column("idle_rate", N_("闲置率"), "rate"),
                         FULLY),
         width=8, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("original_value", "net_book_value"), drill="unit_code")),
    Tile("by_status", N_("资产状态分布"), asset.books_by_status,
         (Column("status", N_("状态"), "msgid"),) + BOOKS + (Column("share", N_("占比"), "rate"),), width=4,
         chart=partial(figures.pie, names="status", values="asset_count")),
    Tile("by_class", N_("资产分类原值与净值"), asset.books_by_class,
         (Column("class_code", N_("分类代码")), Column("class_name", N_("资产分类"), "msgid")) + BOOKS + (FULLY,),
         chart=partial(figures.bar, x="class_name", y=("original_value", "net_book_value"), horizontal=True)),
    Tile("idle", N_("各单位闲置率"), asset.books_by_unit,
         UNIT + BOOKS[:1] + (Column("idle_count", N_("闲置数量"), "count"), Column("idle_rate", N_("闲置率"), "rate")),
         drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("asset_count", "idle_count"), line="idle_rate",
                       drill="unit_code")),
    Tile("disposals", N_("分处置方式的处置资产"), asset.disposals_by_method,
         (Column("method", N_("处置方式"), "msgid"), Column("disposal_count", N_("处置数量"), "count"),
          Column("original_value", N_("资产原值（元）"), "money"), Column("proceeds", N_("处置收入（元）"), "money")),
         chart=partial(figures.bar, x="method", y=("original_value", "proceeds"))),
    Tile("timeline", N_("资产生命周期（事件明细首行资产）"), asset.asset_timeline,
         EVENT + (Column("net_book_value", N_("当日净值（元）"), "money"),) + EVENT_DETAIL,
         chart=partial(figures.timeline, x="event_date", y="net_book_value", label="event",
                       title=("asset_no", "name"))),
    Tile("fully_depreciated", N_("提足折旧仍在用资产"), asset.fully_depreciated_in_use,
         (Column("asset_no", N_("资产编号")), Column("name", N_("资产名称")), Column("class_name", N_("资产分类"), "msgid"),
          Column("unit_name", N_("单位")), Column("acquired_date", N_("购置日期"), "date"),
          Column("useful_life_years", N_("使用年限（年）"), "count"),
          Column("original_value", N_("资产原值（元）"), "money"),
          Column("fully_depreciated_date", N_("提足折旧月份"), "date")), width=12),
    Tile("events", N_("资产事件明细"), asset.asset_events, EVENT + EVENT_DETAIL, width=12),
]


def layout(**query: str):
    """The asset tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
