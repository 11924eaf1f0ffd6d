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
