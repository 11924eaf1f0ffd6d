"""The overview in Debian's Chromium: every card fills in with numbers; the English switch."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.web import login


def test_every_overview_card_fills_in_for_a_district_head(page, problems, screenshot):
    """No card is left loading or failing (a failing module's card says so, and is caught here)."""
    login(page, "dongcheng_dept_head")
    content = page.locator("#_pages_content")
    expect(content.get_by_text("在岗人数")).to_be_visible()
    expect(content.get_by_text("加载中…")).to_have_count(0, timeout=20_000)
    expect(content.get_by_text("较上期").first).to_be_visible()
    expect(content.get_by_text("暂时无法计算")).to_have_count(0)
    screenshot(page)
    assert not problems.all(), problems.summary()


def test_the_english_switch_is_remembered_and_switches_back(page, problems, screenshot):
    """中文 -> English: the shell and the cards speak English, also after signing in again;
    then back to 中文. (city_ops: the other browser tests read the Chinese of their accounts.)"""
    login(page, "city_ops")
    with page.expect_navigation():
        page.locator("#shell-lang").click()
    expect(page.locator("#shell-lang")).to_have_text("中文")
    expect(page.locator("#shell-nav")).to_contain_text("Overview")
    expect(page.locator("#_pages_content")).to_contain_text("vs previous period", timeout=20_000)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    screenshot(page, "english")
    page.context.clear_cookies()
    login(page, "city_ops")
    expect(page.locator("#shell-nav")).to_contain_text("Overview")
    with page.expect_navigation():
        page.locator("#shell-lang").click()
    expect(page.locator("#shell-lang")).to_have_text("English")
    expect(page.locator("#_pages_content")).to_contain_text("较上期", timeout=20_000)
    screenshot(page, "chinese")
    assert not problems.all(), problems.summary()


def test_the_filter_drawer_narrows_to_a_street_and_the_url_follows(page, problems, screenshot):
    """东城's head opens 筛选, picks 东华门街道 and 本年: the URL carries both, the cards refill,
    and the date range is editable only for 自定义."""
    login(page, "dongcheng_dept_head")
    page.get_by_role("button", name="筛选").click()
    drawer = page.locator("#shell-filter-drawer")
    expect(drawer.locator("#shell-dates input").first).to_be_disabled()
    drawer.get_by_text("本年").click()
    drawer.locator("#shell-org").click()
    page.keyboard.type("东华门")
    page.keyboard.press("Enter")
    page.wait_for_url("**org=110101001**period=this_year**")
    expect(page.locator("#shell-filter-summary")).to_contain_text("东华门街道 · 本年")
    expect(page.locator("#_pages_content").get_by_text("加载中…")).to_have_count(0, timeout=20_000)
    drawer.get_by_text("自定义").click()
    expect(drawer.locator("#shell-dates input").first).to_be_enabled()
    screenshot(page)
    assert not problems.all(), problems.summary()
