"""Alembic environment: migrate the connection handed over by models.db, or the URL."""
from alembic import context
from sqlalchemy import create_engine

from models.base import Base, import_all

import_all()
target_metadata = Base.metadata
config = context.config


def run() -> None:
    """Run migrations online against the given connection or a new engine."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(conn) -> None:
    context.configure(connection=conn, target_metadata=target_metadata,
                      render_as_batch=conn.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
