"""运维服务 (/ops): SLA compliance, MTTA and MTTR by priority, module and month, tickets by unit, module
and category, reopens, inspections, availability, satisfaction and surveys, major-event support,
and the backlog, breaches, fixes and comments, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash
from dash import html

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import ops
from pages import _ops_report
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "ops", "/ops", N_("运维服务")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("运维"),
                   order=40)

# Values the tables show through the catalogue: module names, categories, statuses, survey
# dimensions, kinds of rating and of event, support levels and the verdicts of the queries.
MODULE_NAMES = (N_("信息平台"), N_("行政办公"), N_("邮件"), N_("合同"), N_("考勤"), N_("人力资源"),
                N_("公务员考核"), N_("网络教学"), N_("服装"), N_("统一认证"), N_("固定资产"), N_("公文交换柜"))
VALUES = (N_("故障"), N_("漏洞"), N_("需求"), N_("咨询"), N_("巡查发现"), N_("新建"), N_("已响应"), N_("处理中"),
          N_("挂起"), N_("重新打开"), N_("响应速度"), N_("服务态度"), N_("解决效果"), N_("系统易用性"),
          N_("工单评价"), N_("定期调查"), N_("春节"), N_("两会"), N_("国庆"), N_("重大活动"), N_("一级"),
          N_("二级"), N_("三级"), N_("已超时"), N_("临近超时"), N_("正常"), N_("响应超时"), N_("解决超时"),
          N_("响应及解决超时"), N_("达标"), N_("未达标"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
MODULE = Column("module_name", N_("模块"), "msgid")
PRIORITY, CATEGORY = Column("priority", N_("优先级")), Column("category", N_("类别"), "msgid")
SLA = (Column("resolved", N_("解决数"), "count"), Column("met", N_("达标数"), "count"),
       Column("sla_compliance", N_("SLA 达标率"), "rate"))
MTTA, MTTR = Column("mtta_minutes", N_("MTTA（分钟）"), "number"), Column("mttr_minutes", N_("MTTR（分钟）"), "number")
REOPEN = (Column("reopened", N_("重开数"), "count"), Column("reopen_rate", N_("重开率"), "rate"))
TICKET = (Column("ticket_no", N_("工单号")), Column("title", N_("标题")), MODULE, CATEGORY, PRIORITY)
WHEN = (Column("reported_at", N_("报告时间"), "datetime"), Column("resolved_at", N_("解决时间"), "datetime"))
SLA_BARS = partial(figures.bar, y=("resolved", "met"), line="sla_compliance")
CATEGORY_COUNTS = (("fault", N_("故障")), ("vulnerability", N_("漏洞")), ("request", N_("需求")),
                   ("consultation", N_("咨询")), ("finding", N_("巡查发现")))
DIMENSIONS = (("speed", N_("响应速度")), ("attitude", N_("服务态度")), ("effect", N_("解决效果")),
              ("usability", N_("系统易用性")))

TILES = [
    kpi_tile(PAGE, (("tickets", N_("事件单"), "count"), ("open_tickets", N_("未结事件单"), "count"),
                    ("sla_compliance", N_("SLA 达标率"), "rate"), ("mtta_minutes", N_("MTTA（分钟）"), "number"),
                    ("mttr_minutes", N_("MTTR（分钟）"), "number"), ("csat", N_("满意度"), "rate"),
                    ("mean_rating", N_("平均评分"), "number"),
                    ("inspection_completion", N_("巡检完成率"), "rate"))),
    Tile("sla_priority", N_("分优先级 SLA 达标率"), ops.sla_by_priority, (PRIORITY,) + SLA,
         chart=partial(SLA_BARS, x="priority")),
    Tile("times_priority", N_("分优先级 MTTA 与 MTTR"), ops.sla_by_priority,
         (PRIORITY, Column("responded", N_("响应数"), "count"), MTTA, Column("resolved", N_("解决数"), "count"),
          MTTR), chart=partial(figures.bar, x="priority", y=("mtta_minutes", "mttr_minutes"))),
    Tile("sla_month", N_("逐月 SLA 达标率与重开率"), ops.sla_by_month,
         (Column("month", N_("月份")),) + SLA + (Column("responded", N_("响应数"), "count"), MTTA, MTTR) + REOPEN,
         chart=partial(figures.trend, x="month", y=("sla_compliance", "reopen_rate"), bars=("resolved",))),
    Tile("sla_module", N_("分模块 SLA 达标率"), ops.sla_by_module, (MODULE,) + SLA + (MTTR,) + REOPEN,
         chart=partial(SLA_BARS, x="module_name")),
    Tile("by_unit", N_("各单位事件单与 SLA 达标率"), ops.tickets_by_unit,
         UNIT + (Column("tickets", N_("事件单"), "count"),) + SLA, drill="unit_code", width=12,
         chart=partial(figures.bar, x="unit_name", y=("tickets", "resolved"), line="sla_compliance",
                       drill="unit_code")),
    Tile("by_module", N_("分模块、类别事件单"), ops.tickets_by_module,
         (MODULE, Column("tickets", N_("事件单"), "count"))
         + tuple(Column(f, label, "count") for f, label in CATEGORY_COUNTS),
         chart=partial(figures.bar, x="module_name", y=tuple(f for f, _l in CATEGORY_COUNTS), stacked=True)),
    Tile("by_category", N_("分类别、优先级事件单"), ops.tickets_by_category,
         (CATEGORY, Column("tickets", N_("事件单"), "count"))
         + tuple(Column(f"p{i}", f"P{i}", "count") for i in range(1, 5)),
         chart=partial(figures.bar, x="category", y=("p1", "p2", "p3", "p4"), stacked=True)),
    Tile("reopen", N_("分模块重开率"), ops.sla_by_module, (MODULE, Column("resolved", N_("解决数"), "count")) + REOPEN,
         chart=partial(figures.bar, x="module_name", y=("reopened",), line="reopen_rate")),
    Tile("inspection_module", N_("分模块巡检完成情况"), ops.inspection_by_module,
         (MODULE, Column("planned", N_("计划巡检"), "count"), Column("done", N_("完成巡检"), "count"),
          Column("completion", N_("巡检完成率"), "rate"), Column("abnormal", N_("发现异常"), "count"),
          Column("findings", N_("转为事件单"), "count")),
         chart=partial(figures.bar, x="module_name", y=("planned", "done"), line="completion")),
    Tile("inspection_day", N_("逐日巡检完成率"), ops.inspection_by_day,
         (Column("planned_date", N_("日期"), "date"), Column("planned", N_("计划巡检"), "count"),
          Column("done", N_("完成巡检"), "count"), Column("completion", N_("巡检完成率"), "rate"),
          Column("findings", N_("转为事件单"), "count")),
         chart=partial(figures.trend, x="planned_date", y=("completion",), bars=("findings",))),
    Tile("availability", N_("分模块可用率（P1 故障）"), ops.availability_by_module,
         (MODULE, Column("outages", N_("P1 故障数"), "count"), Column("outage_minutes", N_("中断时长（分钟）"), "number"),
          Column("period_minutes", N_("时段时长（分钟）"), "number"), Column("availability", N_("可用率"), "rate")),
         chart=partial(figures.bar, x="module_name", y=("outage_minutes",), line="availability")),
    Tile("csat_unit", N_("各单位工单满意度"), ops.csat_by_unit,
         UNIT + (Column("ratings", N_("评价数"), "count"), Column("satisfied", N_("满意数"), "count"),
                 Column("csat", N_("满意度"), "rate"), Column("mean_rating", N_("平均评分"), "number")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("ratings",), line="csat",
                                          drill="unit_code")),
    Tile("survey_dimension", N_("满意度调查分维度得分（百分制）"), ops.survey_by_dimension,
         (Column("dimension", N_("维度"), "msgid"), Column("answers", N_("答卷数"), "count"),
          Column("mean_score", N_("平均得分"), "number")),
         chart=partial(figures.bar, x="dimension", y=("mean_score",))),
    Tile("survey_unit", N_("各单位满意度调查得分（百分制）"), ops.survey_by_unit,
         UNIT + (Column("answers", N_("答卷数"), "count"), Column("mean_score", N_("平均得分"), "number"))
         + tuple(Column(f, label, "number") for f, label in DIMENSIONS), drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=tuple(f for f, _l in DIMENSIONS), drill="unit_code")),
    Tile("backlog", N_("积压工单（截至时段末）"), ops.backlog,
         TICKET + (Column("status", N_("状态"), "msgid"), Column("unit_name", N_("报告单位")),
                   Column("assignee", N_("处理人")), WHEN[0], Column("age_days", N_("已开启（天）"), "days"),
                   Column("elapsed_minutes", N_("已用时（分钟）"), "number"),
                   Column("resolve_target_minutes", N_("解决时限（分钟）"), "number"),
                   Column("sla_state", N_("SLA 状态"), "msgid")), width=12),
    Tile("breaches", N_("超时工单及原因"), ops.breaches,
         TICKET + (Column("unit_name", N_("报告单位")),) + WHEN + (
             Column("missed", N_("超时类型"), "msgid"), Column("response_minutes", N_("响应用时（分钟）"), "number"),
             Column("response_target_minutes", N_("响应时限（分钟）"), "number"),
             Column("response_over_minutes", N_("响应超出（分钟）"), "number"),
             Column("resolution_minutes", N_("解决用时（分钟）"), "number"),
             Column("resolve_target_minutes", N_("解决时限（分钟）"), "number"),
             Column("resolution_over_minutes", N_("解决超出（分钟）"), "number"), Column("cause", N_("原因"))),
         width=12),
    Tile("fixes", N_("故障与漏洞处置"), ops.fixes,
         TICKET + WHEN + (Column("response_minutes", N_("响应用时（分钟）"), "number"),
                          Column("resolution_minutes", N_("解决用时（分钟）"), "number"),
                          Column("sla_result", N_("SLA 结果"), "msgid"), Column("cause", N_("原因")),
                          Column("fix", N_("处置措施"))), width=12),
    Tile("changes", N_("变更与迭代交付"), ops.changes,
         TICKET + WHEN + (Column("resolution_minutes", N_("解决用时（分钟）"), "number"),
                          Column("sla_result", N_("SLA 结果"), "msgid"), Column("fix", N_("处置措施"))), width=12),
    Tile("major_events", N_("重大节日及重大活动保障"), ops.major_events,
         (Column("name", N_("保障事项")), Column("kind", N_("类型"), "msgid"), Column("level", N_("保障级别"), "msgid"),
          Column("start_at", N_("开始时间"), "datetime"), Column("end_at", N_("结束时间"), "datetime"),
          Column("duration_hours", N_("时长（小时）"), "hours"), Column("onsite_engineers", N_("驻场工程师"), "count"),
          Column("tickets", N_("期间事件单"), "count"), Column("p1_tickets", N_("其中 P1"), "count")), width=12),
    Tile("comments", N_("满意度评价留言"), ops.comments,
         (Column("rated_at", N_("评价时间"), "datetime"), Column("kind", N_("类型"), "msgid"),
          Column("unit_name", N_("单位")), Column("ticket_no", N_("工单号")), Column("dimension", N_("维度"), "msgid"),
          Column("score", N_("评分"), "number"), Column("scale_max", N_("满分"), "number"),
          Column("comment", N_("留言"))), width=12),
]


def layout(**query: str):
    """The ops tiles for the URL's filters (org, period), and the monthly service report's button."""
    return html.Div([_ops_report.button(), tiles_layout(PAGE, TITLE, TILES, query)])


register(PAGE, PATH, TITLE, TILES)
_ops_report.register(TILES)
monthly_report = partial(_ops_report.workbook, TILES)  # `python -m dashboard report ops` calls it
