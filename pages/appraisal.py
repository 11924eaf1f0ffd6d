"""公务员考核 (/appraisal): the annual grades by unit, the 优秀 share against its cap (units above it
flagged), completion, the quarterly 平时考核 grades against the 好 cap, and the people graded
基本称职 or 不称职 two years running, for the URL's scope and period (an annual appraisal is the one
of the year the period ends in)."""
from __future__ import annotations

from functools import partial

import dash

from dashboard import figures, formats, i18n
from dashboard.exports import Column
from dashboard.i18n import N_, _
from dashboard.queries import appraisal
from pages._tiles import Tile, kpi_tile, layout as tiles_layout, register

PAGE, PATH, TITLE = "appraisal", "/appraisal", N_("公务员考核")
dash.register_page(__name__, path=PATH, name=TITLE, title=lambda **_path: _(TITLE), group=N_("人员"),
                   order=12)

# Values the tables show through the catalogue: the grades and the flag of a unit above a cap.
GRADE_NAMES = (N_("优秀"), N_("称职"), N_("基本称职"), N_("不称职"), N_("不定等次"))
FLAG_NAMES = (N_("超过上限"),)
UNIT = (Column("unit_code", N_("单位代码")), Column("unit_name", N_("单位")))
ANNUAL = tuple(Column(field, grade, "count") for field, grade in appraisal.ANNUAL_FIELDS)
QUARTERLY = (Column("good", N_("好"), "count"), Column("fairly_good", N_("较好"), "count"),
             Column("average", N_("一般"), "count"), Column("poor", N_("较差"), "count"))
FLAG = Column("cap_flag", N_("是否超过上限"), "msgid")


def _cap_note(settings) -> str:
    """The caps the shares are held against (settings), and which year an annual appraisal is."""
    lang = i18n.lang()
    return _("优秀比例上限 {cap}；平时考核“好”等次比例上限 {good_cap}；年度考核按时段结束日所在年度统计").format(
        cap=formats.value(settings.excellent_cap, "rate", lang),
        good_cap=formats.value(settings.quarterly_good_cap, "rate", lang))


TILES = [
    kpi_tile(PAGE, (("excellent_share", N_("优秀比例"), "rate"), ("excellent", N_("优秀人数"), "count"),
                    ("graded", N_("定等次人数"), "count"), ("completion", N_("考核完成率"), "rate"),
                    ("assessed", N_("已考核人数"), "count"), ("eligible", N_("应考核人数"), "count")),
             note=_cap_note),
    Tile("grades", N_("年度考核等次分布"), appraisal.annual_by_unit,
         UNIT + ANNUAL + (Column("graded", N_("定等次人数"), "count"),), drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=tuple(c.name for c in ANNUAL), stacked=True,
                       drill="unit_code")),
    Tile("excellent", N_("各单位优秀比例与上限"), appraisal.annual_by_unit,
         UNIT + (Column("excellent", N_("优秀"), "count"), Column("graded", N_("定等次人数"), "count"),
                 Column("excellent_share", N_("优秀比例"), "rate"),
                 Column("excellent_cap", N_("优秀比例上限"), "rate"), FLAG), drill="unit_code",
         chart=partial(figures.capped_bar, x="unit_name", y="excellent_share", cap="excellent_cap",
                       flag="over_cap", drill="unit_code")),
    Tile("completion", N_("年度考核完成情况"), appraisal.completion_by_unit,
         UNIT + (Column("eligible", N_("应考核人数"), "count"), Column("assessed", N_("已考核人数"), "count"),
                 Column("not_assessed", N_("未考核人数"), "count"),
                 Column("completion", N_("考核完成率"), "rate")), drill="unit_code",
         chart=partial(figures.bar, x="unit_name", y=("eligible", "assessed"), line="completion",
                       drill="unit_code")),
    Tile("quarterly", N_("平时考核等次分布（按季度）"), appraisal.quarterly_distribution,
         (Column("quarter", N_("季度")),) + QUARTERLY + (
             Column("assessed", N_("已考核人数"), "count"), Column("good_share", N_("“好”等次比例"), "rate"),
             Column("quarterly_good_cap", N_("“好”等次比例上限"), "rate")),
         chart=partial(figures.bar, x="quarter", y=tuple(c.name for c in QUARTERLY), stacked=True,
                       line="good_share")),
    Tile("quarterly_units", N_("各单位平时考核“好”等次比例与上限"), appraisal.quarterly_by_unit,
         UNIT + (Column("assessed", N_("已考核人次"), "count"), Column("good", N_("好"), "count"),
                 Column("good_share", N_("“好”等次比例"), "rate"),
                 Column("quarterly_good_cap", N_("“好”等次比例上限"), "rate"), FLAG),
         drill="unit_code", width=12,
         chart=partial(figures.capped_bar, x="unit_name", y="good_share", cap="quarterly_good_cap",
                       flag="over_cap", drill="unit_code")),
    Tile("repeat", N_("连续两年基本称职或不称职人员"), appraisal.repeat_unsatisfactory,
         (Column("employee_no", N_("工号")), Column("name", N_("姓名")), Column("unit_name", N_("单位")),
          Column("previous_year_grade", N_("上年度等次"), "msgid"),
          Column("grade", N_("本年度等次"), "msgid"), Column("score", N_("本年度得分"), "number")),
         width=12),
]


def layout(**query: str):
    """The appraisal tiles for the URL's filters (org, period); each fills itself."""
    return tiles_layout(PAGE, TITLE, TILES, query)


register(PAGE, PATH, TITLE, TILES)
