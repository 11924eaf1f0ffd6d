"""Fixtures of the page tests."""
from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice (Debian's libreoffice-calc-nogui), which turns the exports into PDFs; missing:
    skipped outside CI with the command that installs it, a failure in CI (.ci/run installs it)."""
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("CI must turn the exports into PDFs: soffice is missing (.ci/run installs it)")
        pytest.skip("soffice is missing: apt-get install libreoffice-calc-nogui to run this test")
    return found
