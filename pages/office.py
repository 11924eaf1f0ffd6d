"""行政办公 (/office): 收文 and 发文 by kind and unit, the document cycle and its slowest step,
overdue documents, 督查督办, meeting rooms, notices, Party branches and shared files, for the URL's
scope and period (documents count in their 承办/drafting unit, tasks in their lead unit)."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import office
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "office", "/office", N_("行政办公")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("业务"),
                   order=21)

# Values the tables show through the catalogue: directions, the 15 kinds, urgencies, steps.
DIRECTIONS = (N_("收文"), N_("发文"))
KINDS = (N_("决议"), N_("决定"), N_("命令"), N_("公报"), N_("公告"), N_("通告"), N_("意见"), N_("通知"),
         N_("通报"), N_("报告"), N_("请示"), N_("批复"), N_("议案"), N_("函"), N_("纪要"))
URGENCIES = (N_("特急"), N_("加急"), N_("平件"))
STEP_NAMES = (N_("拟稿"), N_("核稿"), N_("办公室审核"), N_("会签"), N_("签发"), N_("复核"), N_("编号登记"),
              N_("缮印"), N_("校对"), N_("用印"), N_("分发"), N_("归档"), N_("签收"), N_("登记"), N_("初审"),
              N_("拟办"), N_("批办"), N_("承办"), N_("传阅"), N_("催办"), N_("办结"))
NOTICE_LEVELS = (N_("局通知"), N_("处室通知"), N_("区局通知"))
FILE_CATEGORIES = (N_("制度规范"), N_("业务资料"), N_("培训课件"), N_("表格模板"), N_("会议材料"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
SOURCES = (N_("市委市政府交办"), N_("局党组会议"), N_("局长办公会"), N_("领导批示"), N_("人大建议政协提案"),
           N_("12345市民热线"), N_("媒体反映"), N_("专项督查"))
ON_TIME = (Column("due", N_("到期事项"), "count"), Column("on_time", N_("按时办结"), "count"),
           Column("on_time_rate", N_("按时办结率"), "rate"))
ON_TIME_BARS = partial(figures.bar, y=("due", "on_time"), line="on_time_rate")
DIRECTED = (Column("received", N_("收文"), "count"), Column("sent", N_("发文"), "count"),
            Column("total", N_("合计"), "count"))

TILES = [
    kpi_tile(PAGE, (("documents", N_("公文数量"), "count"), ("documents_overdue", N_("超期未办结公文"), "count"),
                    ("supervision_due", N_("本期到期督办事项"), "count"),
                    ("supervision_on_time", N_("督办按时办结率"), "rate"),
                    ("supervision_overdue", N_("超期未办结督办事项"), "count"),
                    ("notice_read_rate", N_("通知阅读率"), "rate"))),
    Tile("by_kind", N_("分文种收文与发文"), office.documents_by_kind,
         (Column("kind", N_("文种"), "msgid"),) + DIRECTED,
         chart=partial(figures.bar, x="kind", y=("received", "sent"), stacked=True)),
    Tile("by_unit", N_("各单位收文与发文"), office.documents_by_unit, UNIT + DIRECTED, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("received", "sent"), stacked=True, drill="unit_code")),
    Tile("cycle", N_("逐月公文办理周期（工作日）"), office.document_cycle_by_month,
         (Column("month", N_("月份")), Column("finished", N_("办结数量"), "count"),
          Column("cycle_median", N_("办理周期中位数"), "days"), Column("cycle_p90", N_("办理周期P90"), "days")),
         chart=partial(figures.trend, x="month", y=("cycle_median", "cycle_p90"), bars=("finished",))),
    Tile("steps", N_("各办理环节用时（工作日，最慢在前）"), office.document_steps,
         (Column("step_name", N_("办理环节"), "msgid"), Column("finished", N_("完成次数"), "count"),
          Column("duration_median", N_("用时中位数"), "days"), Column("duration_p90", N_("用时P90"), "days")),
         chart=partial(figures.bar, x="step_name", y=("duration_median", "duration_p90"), horizontal=True)),
    Tile("overdue", N_("超期未办结公文（截至时段末）"), office.overdue_documents,
         (Column("doc_no", N_("文号")), Column("title", N_("标题")), Column("direction", N_("收发"), "msgid"),
          Column("kind", N_("文种"), "msgid"), Column("urgency", N_("紧急程度"), "msgid"),
          Column("unit_name", N_("承办单位")), Column("registered_at", N_("登记时间"), "datetime"),
          Column("deadline_date", N_("办理时限"), "date"), Column("days_overdue", N_("超期天数"), "count")),
         width=12),
    Tile("supervision_by_source", N_("分来源督办按时办结率"), office.supervision_by_source,
         (Column("source", N_("交办来源"), "msgid"),) + ON_TIME, chart=partial(ON_TIME_BARS, x="source")),
    Tile("supervision_by_month", N_("逐月督办按时办结率"), office.supervision_by_month,
         (Column("month", N_("月份")),) + ON_TIME,
         chart=partial(figures.trend, x="month", y=("on_time_rate",), bars=("due", "on_time"))),
    Tile("supervision_by_unit", N_("各牵头单位督办按时办结率"), office.supervision_by_unit, UNIT + ON_TIME,
         drill="unit_code", width=12, chart=partial(ON_TIME_BARS, x="unit_name", drill="unit_code")),
    Tile("overdue_tasks", N_("超期未办结督办事项（截至时段末）"), office.overdue_tasks,
         (Column("task_no", N_("督办编号")), Column("title", N_("督办事项")), Column("source", N_("交办来源"), "msgid"),
          Column("unit_name", N_("牵头单位")), Column("assigned_date", N_("交办日期"), "date"),
          Column("deadline_date", N_("原定时限"), "date"), Column("due_date", N_("现行时限（含延期）"), "date"),
          Column("days_overdue", N_("超期天数"), "count")), width=12),
    Tile("rooms", N_("各会议室使用率与爽约率"), office.room_utilization,
         (Column("room", N_("会议室")), Column("available_hours", N_("可用小时数"), "hours"),
          Column("booked_hours", N_("预定小时数"), "hours"), Column("utilization", N_("使用率"), "rate"),
          Column("bookings", N_("预定次数"), "count"), Column("no_shows", N_("未签到次数"), "count"),
          Column("no_show_rate", N_("爽约率"), "rate")), width=12,
         chart=partial(figures.bar, x="room", y=("utilization",), line="no_show_rate")),
    Tile("notices", N_("各通知阅读率"), office.notice_reads,
         (Column("title", N_("通知标题")), Column("notice_level", N_("通知类别"), "msgid"),
          Column("published_at", N_("发布时间"), "datetime"), Column("recipients", N_("应阅人数"), "count"),
          Column("reads", N_("已阅人数"), "count"), Column("read_rate", N_("阅读率"), "rate")), width=12),
    Tile("party", N_("各党支部活动与参与率"), office.party_activity,
         (Column("branch_name", N_("党支部")), Column("unit_name", N_("所在单位")),
          Column("activities", N_("活动次数"), "count"), Column("attendees", N_("参加人次"), "count"),
          Column("members", N_("应参加人次（党员数）"), "count"), Column("participation", N_("参与率"), "rate")),
         chart=partial(figures.bar, x="branch_name", y=("activities",), line="participation")),
    Tile("downloads", N_("分类别共享资料下载"), office.downloads_by_category,
         (Column("file_category", N_("资料类别"), "msgid"), Column("downloads", N_("下载次数"), "count"),
          Column("files", N_("被下载资料数"), "count"), Column("downloaders", N_("下载人数"), "count")),
         chart=partial(figures.bar, x="file_category", y=("downloads", "files", "downloaders"))),
]


def layout(**query: str):
    """The office tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
