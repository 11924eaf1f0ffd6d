"""服装 (/uniform): the central store's stock per item and size against safety stock with its
alerts, requests by status through 申领 -> 审核 -> 发放 -> 签收, lead time, sign-off rate, vendors'
on-time delivery and the replacements falling due (a procurement forecast), for the URL's scope and
period (the store and vendors serve every unit, so they read the same at every scope)."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import uniform
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "uniform", "/uniform", N_("服装")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("资源"),
                   order=30)

# Values the tables show through the catalogue: the statuses of a request (uniform.STATUSES).
STATUS_NAMES = (N_("申领"), N_("审核中"), N_("已发放"), N_("已签收"), N_("驳回"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
ITEM = (Column("item_code", N_("品种代码")), Column("item_name", N_("品种")))
MONTH = Column("month", N_("月份"))
REQUESTS = Column("requests", N_("申领数量"), "count")
ISSUED, SIGNED = Column("issued", N_("发放数量"), "count"), Column("signed", N_("其中已签收"), "count")
SIGNOFF = Column("signoff_rate", N_("签收率"), "rate")
LEAD = (Column("lead_time_median", N_("发放周期中位数"), "days"), Column("lead_time_p90", N_("发放周期P90"), "days"))
STOCK = (Column("on_hand", N_("库存数量"), "count"), Column("safety_stock", N_("安全库存"), "count"))
PEOPLE_DUE = Column("people_due", N_("应换发人数"), "count")


def _kpi_note(settings) -> str:
    return _("库存与厂商为市局集中管理，各单位所见相同；换发到期日 = 末次发放日 + 使用年限，"
             "选择未来的自定义时段即为采购预测")


TILES = [
    kpi_tile(PAGE, (("stock_alerts", N_("库存预警"), "count"), ("requests", N_("申领数量"), "count"),
                    ("signoff_rate", N_("签收率"), "rate"),
                    ("lead_time_median", N_("发放周期中位数（工作日）"), "days"),
                    ("lead_time_p90", N_("发放周期P90（工作日）"), "days"),
                    ("due_replacement", N_("期内应换发人数"), "count"),
                    ("vendor_on_time", N_("厂商按期交货率"), "rate")),
             note=_kpi_note),
    Tile("status", N_("申领状态分布"), uniform.requests_by_status,
         (Column("status", N_("状态"), "msgid"), REQUESTS, Column("share", N_("占比"), "rate")), width=4,
         chart=partial(figures.bar, x="status", y=("requests",))),
    Tile("by_unit", N_("各单位申领、发放与签收"), uniform.requests_by_unit,
         UNIT + (REQUESTS, ISSUED, SIGNED, SIGNOFF), width=8, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("requests", "issued", "signed"), line="signoff_rate",
                       drill="unit_code")),
    Tile("by_month", N_("逐月申领、发放与签收"), uniform.requests_by_month,
         (MONTH, REQUESTS, ISSUED, SIGNED, SIGNOFF),
         chart=partial(figures.trend, x="month", y=("signoff_rate",), bars=("requests", "issued", "signed"))),
    Tile("lead_time", N_("逐月发放周期（工作日）"), uniform.requests_by_month, (MONTH, ISSUED) + LEAD,
         chart=partial(figures.trend, x="month", y=("lead_time_median", "lead_time_p90"), bars=("issued",))),
    Tile("stock", N_("各品种库存与安全库存（时段末）"), uniform.stock_by_item,
         ITEM + (Column("sizes", N_("尺码数"), "count"),
                 Column("sizes_below", N_("低于安全库存的尺码数"), "count"),
                 Column("on_hand", N_("库存数量"), "count"),
                 Column("safety_stock", N_("安全库存（各尺码合计）"), "count")), width=12,
         chart=partial(figures.bar, x="item_name", y=("on_hand", "safety_stock"), line="sizes_below")),
    Tile("vendors", N_("厂商按期交货（按承诺到货日）"), uniform.vendor_on_time,
         (Column("vendor_name", N_("厂商")), Column("deliveries", N_("应到货批次"), "count"),
          Column("on_time", N_("按期到货"), "count"), Column("late", N_("逾期或未到"), "count"),
          Column("on_time_rate", N_("按期交货率"), "rate"), Column("days_late_max", N_("最长逾期天数"), "count")),
         chart=partial(figures.bar, x="vendor_name", y=("deliveries", "on_time"), line="on_time_rate")),
    Tile("due_by_item", N_("分品种到期应换发人数"), uniform.due_by_item, ITEM + (PEOPLE_DUE,),
         chart=partial(figures.bar, x="item_name", y=("people_due",), horizontal=True)),
    Tile("alerts", N_("库存预警明细（时段末低于安全库存）"), uniform.stock_alerts,
         ITEM + (Column("size", N_("尺码")),) + STOCK + (Column("shortfall", N_("缺口"), "count"),), width=12),
    Tile("due", N_("到期应换发明细（采购预测）"), uniform.due_replacements,
         ITEM + (Column("size", N_("尺码")),) + UNIT + (PEOPLE_DUE, Column("due_month", N_("到期月份"))),
         width=12),
]


def layout(**query: str):
    """The uniform tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
