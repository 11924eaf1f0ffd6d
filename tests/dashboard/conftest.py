"""Fixtures of the dashboard tests: settings and the app on a private copy of the small source."""
from __future__ import annotations


import pytest

from dashboard.app import create_app
from models.db import open_engine
from tests.support import settings_for


@pytest.fixture
def auth_settings(source_copy, tmp_path, secret_key):
    """Settings on a private copy of the small source (sign-in writes sessions and last_login_at)."""
    return settings_for(source_copy, tmp_path / "warehouse", OA_SECRET_KEY=secret_key)


@pytest.fixture
def app(auth_settings):
    """The Dash app built by create_app on the private copy."""
    app = create_app(auth_settings)
    yield app
    app.server.extensions["oa_auth"].engine.dispose()


@pytest.fixture
def db(source_copy):
    """An engine on the same private copy, to look at (or age) what the app wrote."""
    engine = open_engine(source_copy)
    yield engine
    engine.dispose()

