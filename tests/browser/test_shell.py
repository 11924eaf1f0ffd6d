"""The shell in Debian's Chromium: sign-in, the page after it, sign-out, a phone's width."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from dashboard.auth import GENERIC_ERROR
from tests.browser.web import horizontal_overflow, login

LEADER, DISTRICT_HEAD = "city_leader", "dongcheng_dept_head"
PHONE = dict(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
             device_scale_factor=2)


def where(page) -> str:
    """The page's path and query string."""
    url = urlsplit(page.url)
    return url.path + (f"?{url.query}" if url.query else "")


def path(page) -> str:
    """The page's path (the shell keeps its filters in the query string)."""
    return urlsplit(page.url).path


def test_anonymous_visit_lands_on_the_sign_in_form(page, problems, screenshot):
    """/ without a session redirects to /login?next=/ and shows the form."""
    page.goto("/")
    assert where(page) == "/login?next=%2F"
    expect(page.locator("#username")).to_be_visible()
    expect(page.locator("#password")).to_be_visible()
    screenshot(page)
    assert not problems.all(), problems.summary()


def test_wrong_password_shows_the_generic_error(page, screenshot):
    """A wrong password keeps the user on /login with 用户名或密码错误."""
    login(page, "donghuamen_staff", "Wrong@Password1")
    assert where(page) == "/login"
    expect(page.get_by_role("alert")).to_have_text(GENERIC_ERROR)
    screenshot(page)


@pytest.mark.parametrize("username", [LEADER, DISTRICT_HEAD])
def test_page_after_sign_in_renders_without_errors(page, problems, screenshot, username):
    """A leader and a district head land on /, Dash renders it, nothing fails in the browser."""
    login(page, username)
    assert path(page) == "/"
    expect(page.locator("#_pages_content > *").first).to_be_visible()
    expect(page.get_by_role("link", name="退出登录").first).to_be_visible()
    screenshot(page)
    assert not problems.all(), problems.summary()


def test_sign_out_ends_the_session(page, problems, screenshot):
    """退出登录, then confirming, ends the session: / goes back to /login and the API says 401."""
    login(page, LEADER)
    assert page.request.get("/api/v1/me").status == 200
    page.get_by_role("link", name="退出登录").first.click()
    page.wait_for_url("**/logout")
    screenshot(page, "confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录").click()
    assert where(page) == "/login"
    assert page.request.get("/api/v1/me").status == 401
    page.goto("/")
    assert where(page) == "/login?next=%2F"
    screenshot(page, "after")
    assert not problems.all(), problems.summary()


def test_phone_sign_in_form_has_no_horizontal_scroll(open_page, problems, screenshot):
    """At 375 px (a phone) the sign-in form fits the width of the screen."""
    page = open_page(**PHONE)
    page.goto("/login")
    # The layout viewport is the phone's width: without a viewport meta it would be 980 px.
    assert page.evaluate("() => document.documentElement.clientWidth") == 375
    assert horizontal_overflow(page) == 0
    screenshot(page)
    assert not problems.all(), problems.summary()


def test_phone_page_after_sign_in_has_no_horizontal_scroll(open_page, problems, screenshot):
    """At 375 px the page a leader lands on fits the width of the screen."""
    page = open_page(**PHONE)
    login(page, LEADER)
    screenshot(page)
    assert path(page) == "/"
    assert page.evaluate("() => document.documentElement.clientWidth") == 375
    assert horizontal_overflow(page) == 0
    assert not problems.all(), problems.summary()


def test_pages_fetch_nothing_from_other_hosts(page, problems, screenshot):
    """/login and the page after sign-in load every file from the app's own server."""
    login(page, LEADER)
    screenshot(page)
    assert path(page) == "/"
    assert problems.external == []
