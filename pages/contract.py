"""合同 (/contract): contracts signed by type, department and month, the approval cycle and its
slowest step, rejections, the largest counterparties, the contracts waiting in approval and those
about to expire, for the URL's scope and period (contracts count in the department that drafts them)."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import contract
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "contract", "/contract", N_("合同")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("业务"),
                   order=20)

# Values the tables show through the catalogue: contract types, approval steps and the step of a
# contract approved in full (contract.AWAITING_SIGNATURE).
CONTRACT_TYPES = (N_("货物采购"), N_("服务采购"), N_("工程"), N_("租赁"), N_("委托"), N_("技术开发"), N_("其他"))
STEP_NAMES = (N_("承办处室审核"), N_("财务审核"), N_("审计审核"), N_("法制审核"), N_("分管局领导审批"),
              N_("主要局领导审批"), N_("待签订"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
SIGNED = (Column("signed_count", N_("签订数量"), "count"), Column("signed_amount", N_("签订金额（元）"), "money"))
TYPE = Column("contract_type", N_("合同类型"), "msgid")
# The columns every detail table opens with: which contract, with whom, how much, whose.
CONTRACT = (Column("contract_no", N_("合同编号")), Column("title", N_("合同名称")), TYPE,
            Column("counterparty", N_("合同相对方")), Column("amount", N_("合同金额（元）"), "money"),
            Column("unit_name", N_("承办部门")))
SIGNED_BARS = partial(figures.bar, y=("signed_amount",), line="signed_count")

TILES = [
    kpi_tile(PAGE, (("signed_count", N_("签订数量"), "count"), ("signed_amount", N_("签订金额"), "money"),
                    ("pending", N_("审批中"), "count"),
                    ("approval_cycle_median", N_("审批周期中位数（工作日）"), "days"),
                    ("approval_cycle_p90", N_("审批周期P90（工作日）"), "days"),
                    ("rejection_rate", N_("驳回率"), "rate"), ("expiring_30", N_("30天内到期"), "count"),
                    ("expiring_60", N_("60天内到期"), "count"), ("expiring_90", N_("90天内到期"), "count"))),
    Tile("by_unit", N_("各部门合同签订"), contract.signed_by_unit, UNIT + SIGNED, drill="unit_code",
         chart=partial(SIGNED_BARS, x="unit_name", drill="unit_code")),
    Tile("by_type", N_("分类型合同签订"), contract.signed_by_type, (TYPE,) + SIGNED,
         chart=partial(SIGNED_BARS, x="contract_type")),
    Tile("by_month", N_("逐月合同签订"), contract.signed_by_month, (Column("month", N_("月份")),) + SIGNED,
         chart=partial(figures.trend, x="month", y=("signed_count",), bars=("signed_amount",))),
    Tile("cycle", N_("逐月审批周期（工作日）"), contract.approval_cycle_by_month,
         (Column("month", N_("月份")), Column("approved", N_("完成审批数量"), "count"),
          Column("cycle_median", N_("审批周期中位数"), "days"), Column("cycle_p90", N_("审批周期P90"), "days")),
         chart=partial(figures.trend, x="month", y=("cycle_median", "cycle_p90"), bars=("approved",))),
    Tile("steps", N_("各审批环节用时（工作日，最慢在前）"), contract.approval_steps,
         (Column("step_name", N_("审批环节"), "msgid"), Column("decided", N_("审批次数"), "count"),
          Column("rejected", N_("驳回次数"), "count"), Column("duration_median", N_("用时中位数"), "days"),
          Column("duration_p90", N_("用时P90"), "days")),
         chart=partial(figures.bar, x="step_name", y=("duration_median", "duration_p90"), horizontal=True)),
    Tile("rejection", N_("各部门合同驳回率"), contract.rejection_by_unit,
         UNIT + (Column("submitted", N_("提交数量"), "count"), Column("rejected", N_("被驳回数量"), "count"),
                 Column("rejection_rate", N_("驳回率"), "rate")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("submitted", "rejected"),
                                          line="rejection_rate", drill="unit_code")),
    Tile("counterparties", N_("签订金额前十的合同相对方"), contract.top_counterparties,
         (Column("counterparty", N_("合同相对方")),) + SIGNED,
         chart=partial(figures.bar, x="counterparty", y=("signed_amount",), horizontal=True)),
    Tile("pending", N_("审批中的合同（截至时段末）"), contract.pending,
         CONTRACT + (Column("submitted_at", N_("提交时间"), "datetime"),
                     Column("current_step", N_("当前环节"), "msgid"),
                     Column("step_started_at", N_("到达当前环节时间"), "datetime"),
                     Column("age_workdays", N_("已停留（工作日）"), "days")), width=12),
    Tile("expiring", N_("90天内到期的合同（截至时段末）"), contract.expiring,
         CONTRACT + (Column("start_date", N_("开始日期"), "date"), Column("end_date", N_("到期日期"), "date"),
                     Column("days_left", N_("剩余天数"), "count")), width=12),
]


def layout(**query: str):
    """The contract tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
