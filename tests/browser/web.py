"""Helpers of the browser tests: watch a page for problems, sign in, measure, take screenshots."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from models.demo.identity import DEMO_PASSWORD


@dataclass
class Problems:
    """What went wrong in the browser: console errors, uncaught exceptions, failed Dash requests."""

    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    dash: list[str] = field(default_factory=list)
    # Requests to other hosts: blocked (the tests never leave the machine), kept apart from the
    # rest so the one test of them can say what the app still fetches from outside.
    external: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        """Every console error, uncaught exception and failed Dash request seen so far."""
        return ([f"console: {m}" for m in self.console]
                + [f"exception: {m}" for m in self.exceptions]
                + [f"dash: {m}" for m in self.dash])

    def summary(self) -> str:
        """The problems, each once with its count: the message of a failed assertion."""
        seen = Counter(self.all())
        lines = [f"{n} x {problem}" if n > 1 else problem for problem, n in seen.items()]
        return "\n".join(lines + ["(tracebacks: test-artifacts/browser/server.log)"])

    def clear(self) -> None:
        """Forget what was seen (after a check that provoked problems on purpose)."""
        for seen in (self.console, self.exceptions, self.dash, self.external):
            seen.clear()


def watch(context, page, problems: Problems, origin: str) -> None:
    """Block other hosts; record console errors, uncaught exceptions, Dash answers >= 400."""
    def route(route) -> None:
        problems.external.append(route.request.url)
        route.abort("blockedbyclient")
    context.route(lambda url: not url.startswith(origin + "/"), route)

    def on_console(msg) -> None:
        # A blocked request to another host is listed in external, not again as a console error.
        url = msg.location.get("url")
        if msg.type == "error" and url not in problems.external:
            problems.console.append(f"{msg.text} ({url})" if url else msg.text)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.exceptions.append(str(exc)))

    def on_response(response) -> None:
        # /_dash-update-component is every callback; /_dash-layout and -dependencies build the app.
        if urlsplit(response.url).path.startswith("/_dash-") and response.status >= 400:
            problems.dash.append(f"{response.status} {response.request.method} {response.url}")
    page.on("response", on_response)


def wait_for_dash(page) -> None:
    """Wait until Dash has rendered the routed page and no callback is pending."""
    # Dash titles the tab "Updating..." while a callback runs; the router fills _pages_content.
    page.wait_for_function("""() => {
        const content = document.getElementById('_pages_content');
        return content !== null && content.childElementCount > 0
            && !document.title.startsWith('Updating');
    }""")
    page.wait_for_load_state("networkidle")


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the /login form as a person would; on success wait for the Dash page."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    if urlsplit(page.url).path != "/login":
        wait_for_dash(page)


def horizontal_overflow(page) -> int:
    """CSS pixels by which the document is wider than the viewport (0: no horizontal scroll)."""
    return page.evaluate("() => document.documentElement.scrollWidth"
                         " - document.documentElement.clientWidth")


def artefact_name(nodeid_name: str) -> str:
    """A file-name-safe form of a test's name (test_x[city_leader] -> test_x-city_leader)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", nodeid_name).strip("-")


class Screenshots:
    """screenshot(page, label=""): a full-page PNG named after the test, in the given folder."""

    def __init__(self, folder: Path, test_name: str) -> None:
        self.folder, self.base = folder, artefact_name(test_name)
        self.taken: list[Path] = []

    def __call__(self, page, label: str = "") -> Path:
        suffix = f"-{artefact_name(label)}" if label else ""
        path = self.folder / f"{self.base}{suffix}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path
