"""网络教学 (/training): enrolments and completion by unit and by course or programme, mandatory-course
completion, learning hours per capita, exam pass rate and the overdue mandatory enrolments a
department head chases, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import training
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "training", "/training", N_("网络教学")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("人员"),
                   order=13)

# Values the tables show through the catalogue: the kinds of item an enrolment is for.
ITEM_KINDS = (N_("课程"), N_("培训班"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
COMPLETION = (Column("enrollments", N_("报名人次"), "count"), Column("completed", N_("完成人次"), "count"),
              Column("completion_rate", N_("完成率"), "rate"))
MANDATORY = (Column("required", N_("应学人数"), "count"), Column("completed", N_("已完成人数"), "count"),
             Column("mandatory_completion", N_("必修完成率"), "rate"))
OVERDUE = Column("overdue", N_("逾期未完成"), "count")

TILES = [
    kpi_tile(PAGE, (("enrollments", N_("报名人次"), "count"), ("completion_rate", N_("完成率"), "rate"),
                    ("mandatory_completion", N_("必修完成率"), "rate"),
                    ("hours_per_capita", N_("人均学时"), "hours"), ("exams_taken", N_("参考人次"), "count"),
                    ("pass_rate", N_("考试通过率"), "rate"), ("overdue", N_("逾期未完成"), "count"))),
    Tile("completion_by_unit", N_("各单位报名与完成情况"), training.completion_by_unit, UNIT + COMPLETION,
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("enrollments", "completed"),
                                          line="completion_rate", drill="unit_code")),
    Tile("mandatory_by_unit", N_("各单位必修课程完成与逾期"), training.mandatory_by_unit,
         UNIT + MANDATORY + (OVERDUE,), drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("required", "completed", "overdue"),
                       line="mandatory_completion", drill="unit_code")),
    Tile("hours_by_unit", N_("各单位人均学时"), training.hours_by_unit,
         UNIT + (Column("credited_hours", N_("认定学时"), "hours"),
                 Column("mean_headcount", N_("平均在岗人数"), "number"),
                 Column("hours_per_capita", N_("人均学时"), "hours")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("hours_per_capita",),
                                          drill="unit_code")),
    Tile("pass_rate_by_unit", N_("各单位考试通过率"), training.pass_rate_by_unit,
         UNIT + (Column("exams_taken", N_("参考人次"), "count"), Column("exams_passed", N_("通过人次"), "count"),
                 Column("pass_rate", N_("考试通过率"), "rate")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("exams_taken", "exams_passed"),
                                          line="pass_rate", drill="unit_code")),
    Tile("completion_by_item", N_("各课程与培训班完成率"), training.completion_by_item,
         (Column("item_kind", N_("类型"), "msgid"), Column("title", N_("课程或培训班")),
          Column("category", N_("类别")), Column("end_date", N_("结束日期"), "date")) + COMPLETION,
         chart=partial(figures.bar, x="title", y=("completion_rate",), horizontal=True)),
    Tile("mandatory_by_course", N_("必修课程完成率"), training.mandatory_by_course,
         (Column("title", N_("课程")), Column("category", N_("类别")),
          Column("deadline_date", N_("截止日期"), "date")) + MANDATORY,
         chart=partial(figures.bar, x="title", y=("mandatory_completion",), horizontal=True)),
    Tile("overdue", N_("逾期未完成的必修课程"), training.overdue,
         (Column("employee_no", N_("工号")), Column("name", N_("姓名")), Column("unit_name", N_("单位")),
          Column("title", N_("课程")), Column("deadline_date", N_("截止日期"), "date"),
          Column("days_overdue", N_("逾期天数"), "count"), Column("progress", N_("学习进度(%)"), "count"),
          Column("completed_date", N_("补学完成日期"), "date"), Column("leave_date", N_("离职日期"), "date")),
         width=12),
]


def layout(**query: str):
    """The training tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
