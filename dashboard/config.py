"""Settings of every layer, read once from OA_ environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MODULES = (
    "portal", "office", "mail", "contract", "attendance", "hr", "appraisal",
    "training", "uniform", "identity", "asset", "cabinet", "ops",
)


def _default_data_dir() -> str:
    return str(Path(__file__).resolve().parent.parent / "var")


def _flag(value: str) -> bool:
    """A yes/no setting: 0, false, no and off (any case) are no, anything else yes."""
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """All OA_ settings; each field has a default and a line in the README."""

    # Operational database (SQLAlchemy URL) that every module uses unless it has its own.
    database_url: str = ""
    # Per-module source URLs (OA_SOURCE_<MODULE>_URL); a missing module falls back to database_url.
    source_urls: dict[str, str] = field(default_factory=dict)
    # Folder of the published DuckDB warehouse, the ETL lock and the ETL run log.
    warehouse_dir: str = ""
    # Minutes re-read before the watermark on an incremental run, to catch late commits.
    etl_lookback_minutes: int = 10
    # Bad rows of one table tolerated (quarantined) before the run fails as structural.
    etl_max_bad_rows: int = 1000
    # Share of one table's rows that may be bad before the run fails as structural.
    etl_max_bad_share: float = 0.01
    # Extraction path: auto (ADBC for SQLite and PostgreSQL, SQLAlchemy otherwise) or sqlalchemy.
    etl_extract_path: str = "auto"
    # Rows per extraction chunk (keyset pagination on id).
    etl_chunk_rows: int = 250_000
    # Flask session signing key; the app refuses to start without a strong one (32+ characters).
    secret_key: str = ""
    # Cookies only over HTTPS; `make serve`/`make demo` turn it off for plain http on 127.0.0.1.
    cookie_secure: bool = True
    # Minutes without a request after which a signed-in session ends.
    session_idle_minutes: int = 120
    # Hours after sign-in after which a session ends however active it is.
    session_max_hours: int = 12
    # Consecutive wrong passwords that lock an account (state 锁定) until an administrator unlocks it.
    login_max_failures: int = 5
    # Hours after which an item in a document-exchange cabinet counts as overdue for pickup.
    cabinet_overdue_hours: int = 24
    # Hours after which the "数据截至" badge warns that the data is stale (a daily ETL plus margin).
    stale_hours: int = 26
    # Host and port of `python -m dashboard`.
    host: str = "127.0.0.1"
    port: int = 8050
    # Cap of the 优秀 share in annual appraisal (METRICS.md appraisal.excellent_share).
    excellent_cap: float = 0.20
    # Cap of the 好 share in quarterly 平时考核.
    quarterly_good_cap: float = 0.40
    # Statutory retirement age of men and of women (cadres) before the gradual rise of 2025
    # (hr.retiring_12m adds the months of that rise by birth month).
    retire_age_male: int = 60
    retire_age_female: int = 55
    # PostgreSQL URL for the PostgreSQL tests (CI sets it; tests never skip when it is set).
    test_pg_url: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Build settings from OA_ variables of env (default: os.environ)."""
        env = dict(os.environ if env is None else env)
        data_dir = env.get("OA_DATA_DIR", _default_data_dir())
        database_url = env.get("OA_DATABASE_URL", f"sqlite:///{data_dir}/oa.db")
        sources = {
            m: env[f"OA_SOURCE_{m.upper()}_URL"]
            for m in MODULES if env.get(f"OA_SOURCE_{m.upper()}_URL")
        }
        kwargs = dict(
            database_url=database_url,
            source_urls=sources,
            warehouse_dir=env.get("OA_WAREHOUSE_DIR", f"{data_dir}/warehouse"),
            secret_key=env.get("OA_SECRET_KEY", ""),
            test_pg_url=env.get("OA_TEST_PG_URL", ""),
        )
        for name in ("etl_lookback_minutes", "etl_max_bad_rows", "etl_chunk_rows", "port",
                     "session_idle_minutes", "session_max_hours", "login_max_failures",
                     "stale_hours", "cabinet_overdue_hours", "retire_age_male", "retire_age_female"):
            if f"OA_{name.upper()}" in env:
                kwargs[name] = int(env[f"OA_{name.upper()}"])
        for name in ("etl_max_bad_share", "excellent_cap", "quarterly_good_cap"):
            if f"OA_{name.upper()}" in env:
                kwargs[name] = float(env[f"OA_{name.upper()}"])
        if "OA_ETL_EXTRACT_PATH" in env:
            kwargs["etl_extract_path"] = env["OA_ETL_EXTRACT_PATH"]
        if "OA_HOST" in env:
            kwargs["host"] = env["OA_HOST"]
        if "OA_COOKIE_SECURE" in env:
            kwargs["cookie_secure"] = _flag(env["OA_COOKIE_SECURE"])
        return cls(**kwargs)

    def source_url(self, module: str) -> str:
        """The SQLAlchemy URL the ETL extracts module from."""
        return self.source_urls.get(module, self.database_url)
