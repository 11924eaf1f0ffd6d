"""考勤 (/attendance): attendance, late and early-leave rates by unit and month on the China work
calendar, absences, leave by type, annual leave against entitlement, overtime per capita, duty-roster
coverage with its gaps, and a calendar of the daily attendance rate, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import attendance
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "attendance", "/attendance", N_("考勤")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("人员"),
                   order=11)

# Values the tiles show through the catalogue (the queries return them as msgids): weekdays, kinds
# of day, the calendar's marks, holidays, roster gap kinds and leave types.
VALUE_NAMES = (
    N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"),
    N_("工作日"), N_("调休上班"), N_("休息日"), N_("节假日"), N_("休"), N_("班"),
    N_("元旦"), N_("春节"), N_("清明节"), N_("劳动节"), N_("端午节"), N_("国庆节"), N_("中秋节"),
    N_("抗战胜利纪念日"), N_("无人值班"), N_("缺带班领导"), N_("缺值班员"),
    N_("年休假"), N_("病假"), N_("事假"), N_("婚假"), N_("产假"), N_("探亲假"), N_("丧假"), N_("其他"),
)
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
DAYS = (Column("expected_days", N_("应出勤天数"), "count"), Column("attended_days", N_("出勤天数"), "count"),
        Column("late_days", N_("迟到天数"), "count"), Column("early_leave_days", N_("早退天数"), "count"),
        Column("absence_days", N_("旷工天数"), "count"), Column("leave_days", N_("请假天数"), "count"),
        Column("attendance_rate", N_("出勤率"), "rate"), Column("late_rate", N_("迟到率"), "rate"),
        Column("early_leave_rate", N_("早退率"), "rate"))
OVERTIME = (Column("workday_hours", N_("工作日加班（小时）"), "hours"),
            Column("weekend_hours", N_("休息日加班（小时）"), "hours"),
            Column("holiday_hours", N_("节假日加班（小时）"), "hours"),
            Column("overtime_hours", N_("加班合计（小时）"), "hours"),
            Column("mean_headcount", N_("平均人数"), "number"),
            Column("workday_per_capita", N_("人均工作日加班"), "hours"),
            Column("weekend_per_capita", N_("人均休息日加班"), "hours"),
            Column("holiday_per_capita", N_("人均节假日加班"), "hours"),
            Column("overtime_hours_per_capita", N_("人均加班时长（小时）"), "hours"))


def _kpi_note(settings) -> str:
    return _("工作日按国务院办公厅节假日安排计算（含调休上班日）；年休假按时段所涉年度统计")


TILES = [
    kpi_tile(PAGE, (("attendance_rate", N_("出勤率"), "rate"), ("late_rate", N_("迟到率"), "rate"),
                    ("early_leave_rate", N_("早退率"), "rate"), ("absence_days", N_("旷工天数"), "count"),
                    ("leave_days", N_("请假天数"), "count"), ("overtime_hours", N_("加班合计（小时）"), "hours"),
                    ("overtime_hours_per_capita", N_("人均加班时长（小时）"), "hours"),
                    ("annual_leave_use", N_("年休假使用率"), "rate"), ("duty_coverage", N_("值班覆盖率"), "rate")),
             note=_kpi_note),
    Tile("calendar", N_("出勤率日历"), attendance.attendance_calendar,
         (Column("date_day", N_("日期"), "date"), Column("weekday", N_("星期"), "msgid"),
          Column("day_type", N_("日期类型"), "msgid"), Column("holiday", N_("节日"), "msgid"),
          Column("mark", N_("标记"), "msgid")) + DAYS[:2] + DAYS[6:7], width=12,
         chart=partial(figures.calendar, date="date_day", z="attendance_rate", weekday="weekday",
                       mark="mark", note="holiday")),
    Tile("by_unit", N_("各单位出勤率、迟到率与早退率"), attendance.rates_by_unit, UNIT + DAYS, width=12,
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("late_rate", "early_leave_rate"),
                                          line="attendance_rate", drill="unit_code")),
    Tile("by_month", N_("月度出勤率、迟到率与早退率"), attendance.rates_by_month,
         (Column("month", N_("月份")),) + DAYS,
         chart=partial(figures.bar, x="month", y=("late_rate", "early_leave_rate"), line="attendance_rate")),
    Tile("absence", N_("各单位旷工与请假天数"), attendance.rates_by_unit, UNIT + DAYS, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("absence_days", "leave_days"), stacked=True,
                       drill="unit_code")),
    Tile("leave", N_("分类型请假天数"), attendance.leave_by_type,
         (Column("leave_type", N_("请假类型"), "msgid"), Column("leave_days", N_("请假天数"), "count"),
          Column("people", N_("人数"), "count")),
         chart=partial(figures.bar, x="leave_type", y=("leave_days", "people"))),
    Tile("annual_leave", N_("各单位年休假使用"), attendance.annual_leave_by_unit,
         UNIT + (Column("people", N_("人数"), "count"), Column("entitled_days", N_("应休天数"), "count"),
                 Column("taken_days", N_("已休天数"), "count"),
                 Column("annual_leave_use", N_("年休假使用率"), "rate")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("entitled_days", "taken_days"),
                                          line="annual_leave_use", drill="unit_code")),
    Tile("overtime", N_("各单位人均加班时长"), attendance.overtime_by_unit, UNIT + OVERTIME, drill="unit_code",
         chart=partial(figures.bar, x="unit_name", stacked=True, drill="unit_code",
                       y=("workday_per_capita", "weekend_per_capita", "holiday_per_capita"))),
    Tile("duty", N_("各单位值班覆盖率"), attendance.duty_by_unit,
         UNIT + (Column("roster_units", N_("值班单位数"), "count"), Column("unit_days", N_("应值班天数"), "count"),
                 Column("covered_days", N_("已覆盖天数"), "count"), Column("gap_days", N_("缺口天数"), "count"),
                 Column("duty_coverage", N_("值班覆盖率"), "rate")),
         drill="unit_code", chart=partial(figures.bar, x="unit_name", y=("covered_days", "gap_days"),
                                          stacked=True, line="duty_coverage", drill="unit_code")),
    Tile("duty_gaps", N_("值班缺口清单"), attendance.duty_gaps,
         (Column("unit_name", N_("单位")), Column("unit_code", N_("单位代码")),
          Column("parent_name", N_("上级单位")), Column("first_date", N_("开始日期"), "date"),
          Column("last_date", N_("结束日期"), "date"), Column("days", N_("天数"), "count"),
          Column("missing", N_("缺口类型"), "msgid")), width=12),
]


def layout(**query: str):
    """The attendance tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
