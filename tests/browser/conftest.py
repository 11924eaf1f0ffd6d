"""Browser-test fixtures: one live `python -m dashboard`, Debian's Chromium, watched pages."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.browser.web import Problems, Screenshots, watch
from tests.support import free_port, wait_for_healthz

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright's own browsers are never used
ARTIFACTS = ROOT / "test-artifacts" / "browser"
TIMEOUT_MS = 20_000
SERVER_START_S = 60


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell at teardown whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; missing: skipped outside CI, a failure under CI (.ci/run installs it)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {CHROMIUM} is missing "
                        "(.ci/run installs it)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    return CHROMIUM


@pytest.fixture(scope="session")
def artefacts(chromium) -> Path:
    """test-artifacts/browser/, emptied once per session: screenshots and the server log."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


# Package scope: one server and one browser for all the browser tests, gone before the rest of
# the suite runs.
@pytest.fixture(scope="package")
def live_server(chromium, artefacts, seeded_file, warehouse_settings,
                tmp_path_factory) -> Iterator[str]:
    """`python -m dashboard` on a free port over a copy of the small source and its warehouse."""
    # A copy: every sign-in writes a session row and last_login_at.
    source = tmp_path_factory.mktemp("browser") / "oa.db"
    shutil.copyfile(seeded_file, source)
    port = free_port()
    env = {**os.environ, "OA_DATABASE_URL": f"sqlite:///{source}",
           "OA_WAREHOUSE_DIR": str(warehouse_settings.warehouse_dir), "OA_HOST": "127.0.0.1",
           "OA_PORT": str(port), "OA_SECRET_KEY": secrets.token_urlsafe(48),
           "OA_COOKIE_SECURE": "0"}
    base = f"http://127.0.0.1:{port}"
    # A file, not a pipe: nobody reads a pipe while the tests run, and a full one blocks the server.
    with open(artefacts / "server.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="package")
def browser(chromium):
    """One headless Chromium for all the browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright passes --no-sandbox itself (chromium_sandbox defaults to False), which
        # Chromium needs when it runs as root, as in CI.
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
        yield browser
        browser.close()


@pytest.fixture
def problems() -> Problems:
    """The problems recorded by every page this test opens."""
    return Problems()


@pytest.fixture
def screenshot(request, artefacts) -> Screenshots:
    """Save full-page screenshots of this test (test-artifacts/browser/<test>[-label].png)."""
    return Screenshots(artefacts, request.node.name)


@pytest.fixture
def open_page(browser, live_server, problems, screenshot, request) -> Iterator[Callable]:
    """open_page(**context_options): a watched page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server, locale="zh-CN",
                                      timezone_id="Asia/Shanghai", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch(context, page, problems, live_server)
        return page
    yield make
    call = getattr(request.node, "report_call", None)
    failed = call is None or call.failed
    for context in contexts:
        for n, page in enumerate(context.pages):
            # Every test leaves at least one screenshot; a failed one also its last view.
            if failed or not screenshot.taken:
                label = ("failed" if failed else "end") + (f"-{n}" if n else "")
                try:
                    screenshot(page, label)
                except Exception:  # a crashed page has nothing to show; the report says why
                    pass
        context.close()


@pytest.fixture
def page(open_page):
    """A watched desktop page (1280x800) in its own context."""
    return open_page(viewport={"width": 1280, "height": 800})


def _wait_healthy(base: str, proc: subprocess.Popen) -> None:
    """Wait for /healthz to answer 200; fail with the server's log if it exits or takes too long."""
    try:
        wait_for_healthz(base, proc, SERVER_START_S)
    except AssertionError as exc:
        log = (ARTIFACTS / "server.log").read_text(errors="replace")[-3000:]
        pytest.fail(f"python -m dashboard did not become healthy ({exc}):\n{log}")
