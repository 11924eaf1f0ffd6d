"""The browser fixtures themselves: each check they make can fail."""
from __future__ import annotations

from tests.browser.web import horizontal_overflow, login


def test_problems_catch_console_errors_exceptions_and_failed_callbacks(page, problems, screenshot):
    """A console.error, an uncaught exception and a refused Dash callback are all recorded."""
    login(page, "city_leader")
    problems.clear()  # this test is about the recorder, not about the app (test_shell.py is)
    with page.expect_console_message(lambda msg: msg.type == "error"):
        page.evaluate("() => console.error('probe: console')")
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('probe: exception'); }); }")
    # Without the X-CSRFToken header Dash's renderer adds, the guard refuses the callback.
    status = page.evaluate("""async () => (await fetch('/_dash-update-component', {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})).status""")
    assert status == 403
    assert "probe: console" in problems.console
    assert any("probe: exception" in e for e in problems.exceptions)
    assert any(d.startswith("403 POST ") and d.endswith("/_dash-update-component")
               for d in problems.dash)
    screenshot(page)
    problems.clear()


def test_horizontal_overflow_measures_a_too_wide_page(page, screenshot):
    """An element wider than the viewport makes horizontal_overflow positive."""
    page.goto("/login")
    assert horizontal_overflow(page) == 0
    page.evaluate("() => { const d = document.createElement('div');"
                  " d.style.width = '2000px'; d.style.height = '1px'; document.body.append(d); }")
    assert horizontal_overflow(page) == 2000 - 1280
    screenshot(page)
