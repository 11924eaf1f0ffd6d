"""人力资源 (/hr): headcount against 编制, the personnel statistical form, flows, age pyramid,
ranks and the people retiring within 12 months, for the URL's scope and period."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import hr
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "hr", "/hr", N_("人力资源")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("人员"),
                   order=10)

# Values the tables show through the catalogue: levels (and the 合计 row's name, a shared msgid).
LEVEL_NAMES = (N_("市局"), N_("区局"), N_("街乡镇"))
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位"), "msgid"))
FILL = (Column("authorized_headcount", N_("编制数"), "count"), Column("headcount", N_("在岗人数"), "count"),
        Column("vacancy", N_("空编数"), "count"), Column("fill_rate", N_("满编率"), "rate"))
# The personnel statistical form: its column groups, as on the paper form.
FORM_GROUPS = {
    N_("性别"): (("male", N_("男")), ("female", N_("女"))),
    N_("年龄"): (("age_30", N_("30岁及以下")), ("age_31_40", N_("31-40岁")), ("age_41_50", N_("41-50岁")),
               ("age_51_55", N_("51-55岁")), ("age_56", N_("56岁及以上"))),
    N_("学历"): (("postgraduate", N_("研究生")), ("bachelor", N_("大学本科")), ("college", N_("大专")),
               ("secondary", N_("中专及以下"))),
    N_("政治面貌"): (("party_member", N_("中共党员")), ("league_member", N_("共青团员")),
                 ("democratic_party", N_("民主党派")), ("masses", N_("群众"))),
    N_("民族"): (("han", N_("汉族")), ("minority", N_("少数民族"))),
    N_("人员类别"): (("civil_servant", N_("公务员")), ("managed_as_civil_servant", N_("参照公务员法管理")),
                 ("public_institution", N_("事业编制")), ("auxiliary", N_("协管员"))),
}
FORM = UNIT + (Column("headcount", N_("合计"), "count"),) + tuple(
    Column(field, label, "count") for fields in FORM_GROUPS.values() for field, label in fields)


def _retire_note(settings) -> str:
    return _("法定退休年龄：男 {male} 岁、女 {female} 岁，自 2025 年起按出生年月渐进延迟").format(
        male=settings.retire_age_male, female=settings.retire_age_female)


TILES = [
    kpi_tile(PAGE, (("headcount", N_("在岗人数"), "count"), ("authorized_headcount", N_("编制数"), "count"),
                    ("fill_rate", N_("满编率"), "rate"), ("vacancy", N_("空编数"), "count"),
                    ("joiners", N_("新进人数"), "count"), ("leavers", N_("减少人数"), "count"),
                    ("turnover_rate", N_("流动率"), "rate"), ("retiring_12m", N_("12个月内退休"), "count")),
             note=_retire_note),
    Tile("by_unit", N_("各单位在岗人数与编制"), hr.headcount_by_unit, UNIT + FILL, drill="unit_code", width=8,
         chart=partial(figures.bar, x="unit_name", y=("authorized_headcount", "headcount"),
                       line="fill_rate", drill="unit_code")),
    Tile("by_level", N_("分层级在岗人数与编制"), hr.headcount_by_level,
         (Column("level", N_("层级"), "msgid"),) + FILL, width=4,
         chart=partial(figures.bar, x="level", y=("authorized_headcount", "headcount"), line="fill_rate")),
    Tile("trend", N_("月末在岗人数"), hr.headcount_trend,
         (Column("month_end", N_("月末"), "date"), Column("headcount", N_("在岗人数"), "count")),
         chart=partial(figures.trend, x="month_end", y=("headcount",), tickformat="%Y-%m")),
    Tile("flows", N_("人员进出与流动率"), hr.flows_by_month,
         (Column("month", N_("月份")), Column("joiners", N_("新进人数"), "count"),
          Column("leavers", N_("减少人数"), "count"), Column("headcount_start", N_("月初人数"), "count"),
          Column("headcount_end", N_("月末人数"), "count"), Column("turnover_rate", N_("流动率"), "rate")),
         chart=partial(figures.trend, x="month", y=("turnover_rate",), bars=("joiners", "leavers"))),
    Tile("pyramid", N_("年龄结构"), hr.age_pyramid,
         (Column("band", N_("年龄段")), Column("male", N_("男"), "count"), Column("female", N_("女"), "count")),
         chart=partial(figures.pyramid, band="band", left="male", right="female")),
    Tile("ranks", N_("职级分布"), hr.rank_distribution,
         (Column("rank_series", N_("职级序列")), Column("rank", N_("职级")),
          Column("headcount", N_("在岗人数"), "count")),
         chart=partial(figures.bar, x="rank", y=("headcount",), horizontal=True)),
    Tile("shares", N_("人员结构占比"), hr.structure, FORM, width=12,
         chart=lambda frame, columns: figures.shares(frame, columns, total="headcount", groups={
             _(group): [field for field, _label in fields] for group, fields in FORM_GROUPS.items()})),
    Tile("structure", N_("人员结构统计表"), hr.structure, FORM, width=12),
    Tile("retiring", N_("12个月内达到法定退休年龄人员"), hr.retiring,
         (Column("employee_no", N_("工号")), Column("name", N_("姓名")), Column("gender", N_("性别"), "msgid"),
          Column("birth_date", N_("出生日期"), "date"), Column("unit_name", N_("单位")),
          Column("rank", N_("职级")), Column("position", N_("职务")),
          Column("retirement_date", N_("退休日期"), "date")), width=12),
]


def layout(**query: str):
    """The hr tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
