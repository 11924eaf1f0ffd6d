"""The monthly service report the ops contract asks for (运维阶段性总结报告, with the 满意度分析报告):
the ops page's tiles for one calendar month, grouped into the contract's sections, one sheet per
tile after a contents sheet, native Excel charts where a chart helps; LibreOffice makes the PDF."""
from __future__ import annotations

import calendar
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update
from flask import current_app

from dashboard import context, exports, warehouse
from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.exports import Chart, Column
from dashboard.i18n import N_, _
from pages import _tiles

BUTTON, DOWNLOAD, QUERY = "ops-report", "ops-report-download", "ops-query"
# The contract's sections, in its order, each with the ops page's tiles that make it up.
SECTIONS = (
    (N_("概要"), ("kpi", "availability")),
    (N_("事件单统计"), ("by_module", "by_category", "by_unit")),
    (N_("SLA 达标情况及违约原因"), ("sla_priority", "sla_module", "sla_month", "breaches")),
    (N_("故障及漏洞修复记录"), ("fixes",)),
    (N_("巡查记录"), ("inspection_module", "inspection_day")),
    (N_("变更与迭代交付"), ("changes",)),
    (N_("重大节日及重大活动保障"), ("major_events",)),
    (N_("满意度分析"), ("csat_unit", "survey_dimension", "survey_unit", "comments")),
)
# Native charts of the sheets that read better as one (category column, value columns).
CHARTS = {
    "availability": Chart("bar", "module_name", ("availability",)),
    "by_module": Chart("column", "module_name", ("tickets",)),
    "sla_priority": Chart("column", "priority", ("sla_compliance",)),
    "sla_month": Chart("line", "month", ("sla_compliance",)),
    "inspection_module": Chart("column", "module_name", ("completion",)),
    "survey_dimension": Chart("column", "dimension", ("mean_score",)),
    "csat_unit": Chart("column", "unit_name", ("csat",)),
}
CONTENTS = (Column("number", N_("序号")), Column("section", N_("章节")), Column("sheet", N_("工作表")))


def month(text: str) -> periods.Period:
    """The calendar month YYYY-MM as a period (BadPeriod if malformed)."""
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise periods.BadPeriod("月份格式应为 YYYY-MM：{value}", value=text) from None
    return periods.custom(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))


def workbook(tiles: list, scope: scopes.Scope, period: periods.Period) -> bytes:
    """The report's xlsx bytes for scope and the month period (inside an app context)."""
    by_name = {t.name: t for t in tiles}
    view = context.View(scope, scope, period)
    sheets, contents = [], []
    for i, (section, names) in enumerate(SECTIONS, start=1):
        for j, name in enumerate(names, start=1):
            tile = by_name[name]
            title = f"{i}.{j} {_(tile.title)}"
            frame, columns = _tiles.translated(_tiles.tile_frame("ops", tile, view), tile.columns)
            sheets.append(exports.Sheet(title, frame, columns, CHARTS.get(name)))
            contents.append({"number": f"{i}.{j}", "section": _(section), "sheet": title[:31]})
    as_of = warehouse.as_of(current_app.config["OA_SETTINGS"])
    heading = _("单位：{unit}　时段：{period}　数据截至：{as_of}").format(
        unit=scope.name, period=f"{period.start} - {period.end}", as_of=f"{as_of:%Y-%m-%d %H:%M}" if as_of else "—")
    cover = exports.Sheet(_("运维服务月度报告 {month}").format(month=f"{period.start:%Y-%m}"),
                          pd.DataFrame(contents), tuple(Column(c.name, _(c.label)) for c in CONTENTS))
    return exports.workbook(heading, [cover, *sheets])


def pdf(xlsx: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice (headless) makes of a workbook; RuntimeError if it is missing or fails."""
    soffice = shutil.which("soffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as profile:  # a private profile: runs never block each other
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                               "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
                              capture_output=True, text=True, timeout=300)
    made = out_dir / f"{xlsx.stem}.pdf"
    if done.returncode != 0 or not made.exists():
        raise RuntimeError(f"LibreOffice could not convert {xlsx.name}: {done.stderr.strip()[:300]}")
    return made


def button() -> html.Div:
    """「月度服务报告」: the report of the month in which the page's period ends."""
    return html.Div([dbc.Button(_("导出月度服务报告"), id=BUTTON, color="secondary", outline=True, size="sm"),
                     dcc.Download(id=DOWNLOAD)], className="text-md-end mb-1")


def register(tiles: list) -> None:
    """The button's callback (permissions: ops-report-download.data)."""
    @callback(Output(DOWNLOAD, "data"), Input(BUTTON, "n_clicks"), State(QUERY, "data"),
              prevent_initial_call=True)
    def export_monthly_report(_clicks, query):
        """The monthly report of the page's scope for the month of the period's end."""
        try:
            view = context.view(current_app.config["OA_SETTINGS"], query or {})
        except (scopes.OutOfScope, periods.BadPeriod):
            return no_update
        period = month(f"{view.period.end:%Y-%m}")
        content = workbook(tiles, view.scope, period)
        return dcc.send_bytes(content, _("运维服务月度报告_{unit}_{month}.xlsx").format(
            unit=view.scope.name, month=f"{period.start:%Y-%m}"))
