"""Create, reset and open operational databases."""
from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from models.base import Base, import_all, make_engine


def create_schema(engine: Engine) -> None:
    """Bring an empty or older database to the current schema with Alembic."""
    from alembic import command
    from alembic.config import Config

    from models.migration import alembic_config
    cfg: Config = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def reset_schema(engine: Engine) -> None:
    """Drop every table of the models (and Alembic's version table), then create them again."""
    import_all()
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        if inspect(conn).has_table("alembic_version"):
            conn.execute(text("DROP TABLE alembic_version"))
    create_schema(engine)


def open_engine(url: str) -> Engine:
    """An engine with the project's connection settings."""
    return make_engine(url)
