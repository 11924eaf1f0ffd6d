"""Shared fixtures: a seeded small source, the warehouse the real ETL builds from it, PostgreSQL."""
from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from etl.run import published_path, run
from models.db import open_engine
from models.demo.__main__ import seed
from tests.support import AS_OF, SEED, settings_for


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory) -> Path:
    """A small-scale demo source (SQLite file, seed 7, as of 2025-12-31); never modified."""
    path = tmp_path_factory.mktemp("source") / "oa.db"
    seed(f"sqlite:///{path}", "small", SEED, AS_OF)
    return path


@pytest.fixture(scope="session")
def source_url(seeded_file) -> str:
    """URL of the shared, read-only small source."""
    return f"sqlite:///{seeded_file}"


@pytest.fixture(scope="session")
def source_engine(source_url):
    """SQLAlchemy engine on the shared small source (read it, do not write it)."""
    engine = open_engine(source_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def warehouse_settings(source_url, tmp_path_factory) -> Settings:
    """Settings of the warehouse built by one full ETL run over the shared small source."""
    settings = settings_for(source_url, tmp_path_factory.mktemp("warehouse"))
    run(settings, full=True)
    return settings


@pytest.fixture(scope="session")
def warehouse(warehouse_settings):
    """A read-only DuckDB connection to the shared published warehouse."""
    con = duckdb.connect(str(published_path(warehouse_settings)), read_only=True)
    yield con
    con.close()


@pytest.fixture
def source_copy(seeded_file, tmp_path) -> str:
    """A private copy of the small source that a test may change; returns its URL."""
    path = tmp_path / "oa.db"
    shutil.copyfile(seeded_file, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL test database (OA_TEST_PG_URL); CI always sets it, so these tests run there."""
    url = os.environ.get("OA_TEST_PG_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("CI must run the PostgreSQL tests: set OA_TEST_PG_URL")
    if not url:
        pytest.skip("OA_TEST_PG_URL is not set: PostgreSQL tests need a server (CI sets it)")
    return url


@pytest.fixture(scope="session")
def secret_key() -> str:
    """A strong random key for every app the tests build."""
    return secrets.token_urlsafe(48)


@pytest.fixture
def data_app(source_copy, warehouse_settings, secret_key):
    """The app on a private copy of the small source and the warehouse the ETL built from it."""
    settings = settings_for(source_copy, Path(warehouse_settings.warehouse_dir), OA_SECRET_KEY=secret_key)
    app = create_app(settings)
    yield app
    app.server.extensions["oa_auth"].engine.dispose()
