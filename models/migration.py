"""Alembic wiring: the config for an engine, and regeneration of the initial revision."""
from __future__ import annotations

import sys
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config pointing at migrations/ (and at engine's URL if given)."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False)
                            .replace("%", "%%"))
    return cfg


def regenerate_initial() -> None:
    """Rewrite 0001_initial from the models (allowed only while no release has shipped)."""
    import tempfile

    from alembic import command

    from models.base import import_all
    from models.db import open_engine
    import_all()
    for old in (ROOT / "migrations" / "versions").glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/empty.db")
        cfg = alembic_config(engine)
        command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
        engine.dispose()


if __name__ == "__main__" and sys.argv[1:] == ["regenerate"]:
    regenerate_initial()
