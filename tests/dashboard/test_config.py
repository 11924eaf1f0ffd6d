"""Settings: every field documented in the README, environment parsed as documented."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from dashboard.config import MODULES, Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    """Each Settings field has its OA_ variable in the README's table."""
    names = {"source_urls": "OA_SOURCE_<MODULE>_URL"}
    missing = [f.name for f in dataclasses.fields(Settings)
               if f"`{names.get(f.name, 'OA_' + f.name.upper())}`" not in README]
    assert missing == []


def test_module_sources_fall_back_to_the_database_url():
    """OA_SOURCE_<MODULE>_URL overrides one module; the others use OA_DATABASE_URL."""
    s = Settings.from_env({"OA_DATABASE_URL": "sqlite:///a.db",
                           "OA_SOURCE_CONTRACT_URL": "postgresql://x/contracts",
                           "OA_ETL_MAX_BAD_ROWS": "7", "OA_EXCELLENT_CAP": "0.25"})
    assert s.source_url("contract") == "postgresql://x/contracts"
    assert {s.source_url(m) for m in MODULES if m != "contract"} == {"sqlite:///a.db"}
    assert s.etl_max_bad_rows == 7 and s.excellent_cap == 0.25


def test_auth_settings_have_safe_defaults_and_parse():
    """Secure cookies unless OA_COOKIE_SECURE says 0/false/no/off; timeouts and lockout are integers."""
    assert Settings.from_env({}).cookie_secure is True
    for off in ("0", "false", "No", "OFF"):
        assert Settings.from_env({"OA_COOKIE_SECURE": off}).cookie_secure is False
    s = Settings.from_env({"OA_COOKIE_SECURE": "1", "OA_SESSION_IDLE_MINUTES": "30",
                           "OA_SESSION_MAX_HOURS": "8", "OA_LOGIN_MAX_FAILURES": "3"})
    assert (s.cookie_secure, s.session_idle_minutes, s.session_max_hours, s.login_max_failures) == (
        True, 30, 8, 3)
    d = Settings()
    assert (d.session_idle_minutes, d.session_max_hours, d.login_max_failures) == (120, 12, 5)
