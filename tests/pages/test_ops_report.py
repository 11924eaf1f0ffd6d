"""The monthly ops service report: every section of the contract, native charts, the same numbers
as the ops page; from the page's button and from `python -m dashboard report ops`, with a PDF."""
from __future__ import annotations

import base64
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from dashboard import scope as scopes
from dashboard.period import custom
from dashboard.queries import ops
from tests.dashboard.web import page_module, post_callback, signed_in
from tests.support import SCOPE_CODES

ROOT = Path(__file__).resolve().parents[2]
OCTOBER = {"period": "custom", "start": "2025-10-01", "end": "2025-10-31"}
SECTIONS = ("概要", "事件单统计", "SLA 达标情况及违约原因", "故障及漏洞修复记录", "巡查记录", "变更与迭代交付",
            "重大节日及重大活动保障", "满意度分析")


def report_body(query: dict) -> dict:
    """The body Dash posts when 导出月度服务报告 is clicked."""
    return {"output": "ops-report-download.data", "outputs": {"id": "ops-report-download", "property": "data"},
            "inputs": [{"id": "ops-report", "property": "n_clicks", "value": 1}],
            "state": [{"id": "ops-query", "property": "data", "value": query}],
            "changedPropIds": ["ops-report.n_clicks"]}


def downloaded(client, query: dict) -> tuple[str, bytes]:
    response = post_callback(client, report_body(query))
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()["response"]["ops-report-download"]["data"]
    return data["filename"], base64.b64decode(data["content"])


def test_the_report_has_every_section_with_the_pages_numbers_and_native_charts(data_app):
    """The ops team's button: a contents sheet naming the eight sections, a sheet per tile of
    them, SLA compliance by priority equal to the query, and Excel chart objects (not pictures)."""
    client = signed_in(data_app, "city_ops")
    name, content = downloaded(client, {**OCTOBER, "start": "2025-10-09", "end": "2025-10-20"})
    assert name == "运维服务月度报告_北京市城市管理综合执法局_2025-10.xlsx"  # the month of the period's end
    book = openpyxl.load_workbook(io.BytesIO(content))
    contents = book.worksheets[0]
    listed = [row for row in contents.iter_rows(min_row=5, values_only=True)]
    assert {section for _n, section, _s in listed} == set(SECTIONS)
    assert [ws.title for ws in book.worksheets[1:]] == [sheet for _n, _section, sheet in listed]
    tiles = {t.name: t for t in page_module("/ops").TILES}
    assert "变更与迭代交付" in [t.title for t in tiles.values()]
    settings = data_app.server.config["OA_SETTINGS"]
    city = scopes.of_code(settings, SCOPE_CODES["city"])
    want = ops.sla_by_priority(settings, scope=city, period=custom(dt.date(2025, 10, 1), dt.date(2025, 10, 31)))
    (sheet,) = [ws for ws in book.worksheets if ws.title.startswith("3.1")]
    assert "2025-10-01 - 2025-10-31" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == want["priority"].tolist()
    assert [r[1] for r in rows] == want["resolved"].tolist() and sum(want["resolved"]) > 0
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) >= 5


def test_staff_and_forged_orgs_get_no_report(data_app):
    """A district head may read the ops page for their own district only; staff not at all."""
    head = signed_in(data_app, "dongcheng_dept_head")
    answer = post_callback(head, report_body({**OCTOBER, "org": "110102"}))
    assert answer.status_code == 204 or "ops-report-download" not in answer.get_json().get("response", {})
    staff = signed_in(data_app, "donghuamen_staff")
    assert post_callback(staff, report_body(OCTOBER)).status_code == 403


def run_cli(data_app, tmp_path, *args: str) -> subprocess.CompletedProcess:
    settings = data_app.server.config["OA_SETTINGS"]
    env = {**os.environ, "OA_DATABASE_URL": settings.database_url, "OA_WAREHOUSE_DIR": settings.warehouse_dir}
    return subprocess.run([sys.executable, "-m", "dashboard", "report", "ops", *args, "--out", str(tmp_path / "out")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_command_writes_the_workbook_and_its_pdf(data_app, tmp_path, soffice):
    """`python -m dashboard report ops --month 2025-10`: the city's workbook and a PDF of it (the
    command finds LibreOffice itself; the soffice fixture fails CI when it is missing)."""
    done = run_cli(data_app, tmp_path, "--month", "2025-10")
    assert done.returncode == 0, done.stderr
    xlsx, pdf = (tmp_path / "out" / f"运维服务月度报告_BJCG_2025-10.{ext}" for ext in ("xlsx", "pdf"))
    assert openpyxl.load_workbook(xlsx).worksheets[0]["A1"].value == "运维服务月度报告 2025-10"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_the_command_refuses_a_bad_month(data_app, tmp_path):
    """A month that is not YYYY-MM exits 2 with the reason and writes nothing."""
    done = run_cli(data_app, tmp_path, "--month", "2025-13", "--no-pdf")
    assert done.returncode == 2 and "YYYY-MM" in done.stderr
    assert not (tmp_path / "out").exists()
