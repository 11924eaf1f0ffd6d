"""The module pages in Debian's Chromium: each renders for a leader and a district head with no
browser or callback error; a click on a unit's bar drills city -> district -> street, the URL
follows and the breadcrumb walks back; the export downloads a workbook; staff are refused."""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.web import login, wait_for_dash

ROOT = Path(__file__).resolve().parents[2]
# The module pages built from tiles that this checkout has (one file each in pages/).
PATHS = [f"/{m}" for m in ("hr", "attendance", "appraisal", "training", "contract", "uniform", "asset",
                           "cabinet", "office", "portal", "mail", "identity", "ops")
         if (ROOT / "pages" / f"{m}.py").exists()]
YEAR = "period=custom&start=2025-01-01&end=2025-12-31"  # the small seed's last year
USERS = ("city_leader", "dongcheng_dept_head")


def settled(page) -> None:
    """Every tile has answered: nothing left loading, no tile failed."""
    content = page.locator("#_pages_content")
    expect(content.get_by_text("加载中…")).to_have_count(0, timeout=30_000)
    expect(content.get_by_text("暂时无法计算")).to_have_count(0)
    wait_for_dash(page)
    # Plotly draws a graph after its callback has answered (and after loading plotly.js once).
    page.wait_for_function("() => [...document.querySelectorAll('.dash-graph')]"
                           ".every(g => g.querySelector('.js-plotly-plot .main-svg'))", timeout=30_000)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("path", PATHS)
def test_the_page_renders_every_tile_and_exports_without_errors(page, problems, screenshot, path, user):
    """KPI cards, charts and tables fill in; 导出 Excel downloads an .xlsx whose first sheet names
    the user's unit and the period; the browser and Dash report nothing wrong."""
    login(page, user)
    page.goto(f"{path}?{YEAR}")
    settled(page)
    expect(page.locator("#_pages_content .card").first).to_be_visible()
    expect(page.locator("#_pages_content").get_by_text("较上期").first).to_be_visible()
    screenshot(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Excel").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    unit = "东城区城管执法局" if user == "dongcheng_dept_head" else "北京市城市管理综合执法局"
    assert unit in book.worksheets[0]["A2"].value and "2025-01-01" in book.worksheets[0]["A2"].value
    assert not problems.all(), problems.summary()


def click_bar(page, code: str) -> None:
    """Click (with the mouse, as a person would) the bar of the unit with code in the drill chart,
    and wait until the URL names that unit; a click the busy browser lost is made once more."""
    chart = page.locator(".js-plotly-plot.drillable, .drillable .js-plotly-plot").first
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    codes = chart.evaluate("gd => gd.data[gd.data.length > 1 ? 1 : 0].customdata")
    index = list(codes).index(code)
    for attempt in range(2):
        bars = chart.locator("g.trace.bars").nth(1 if chart.locator("g.trace.bars").count() > 1 else 0)
        box = bars.locator("g.point").nth(index).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.5
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        try:
            page.wait_for_url(f"**org={code}**", timeout=30_000)
            return
        except PlaywrightTimeout:
            if attempt:
                raise


def org(page) -> str | None:
    """The org of the URL's query string."""
    return parse_qs(urlsplit(page.url).query).get("org", [None])[0]


def test_drilling_from_the_city_to_a_street_and_back(page, problems, screenshot):
    """A leader on /hr clicks 东城's bar, then 东华门's; the URL and the breadcrumb follow; the
    breadcrumb's first step leads back to the whole city with the period kept."""
    login(page, "city_leader")
    page.goto(f"/hr?{YEAR}")
    settled(page)
    click_bar(page, "110101")
    settled(page)
    crumbs = page.locator(".breadcrumb")
    expect(crumbs).to_contain_text("东城区城管执法局")
    click_bar(page, "110101001")
    settled(page)
    expect(crumbs).to_contain_text("东华门街道")
    screenshot(page, "street")
    crumbs.get_by_role("link").first.click()
    page.wait_for_function("() => !window.location.search.includes('org=')")
    settled(page)
    assert org(page) is None and "start=2025-01-01" in page.url
    expect(crumbs.locator(".active")).to_contain_text("北京市城市管理综合执法局")
    assert not problems.all(), problems.summary()


def test_a_drilled_view_is_bookmarkable(page, problems):
    """Opening the drilled URL directly shows the same breadcrumb."""
    login(page, "city_leader")
    page.goto(f"/hr?{YEAR}&org=110101001")
    settled(page)
    expect(page.locator(".breadcrumb")).to_contain_text("东城区城管执法局")
    expect(page.locator(".breadcrumb .active")).to_contain_text("东华门街道")
    assert not problems.all(), problems.summary()


def test_staff_are_refused_the_module_pages(page):
    """A street team member has no business pages: each says the role may not see it."""
    login(page, "donghuamen_staff")
    for path in PATHS:
        page.goto(path)
        expect(page.get_by_text("您的角色无权访问此页面")).to_be_visible()


def test_the_ops_page_renders_for_the_ops_team_with_its_report(page, problems, screenshot):
    """The ops team's own page: every tile fills in, and 导出月度服务报告 downloads the month's
    report with its contents sheet."""
    login(page, "city_ops")
    page.goto(f"/ops?{YEAR}")
    settled(page)
    expect(page.locator("#_pages_content").get_by_text("SLA 达标率").first).to_be_visible()
    screenshot(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出月度服务报告").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.worksheets[0]["A1"].value == "运维服务月度报告 2025-12"
    assert not problems.all(), problems.summary()
