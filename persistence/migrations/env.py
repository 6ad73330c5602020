"""Alembic environment: uses the engine Raati hands over, or the configured database URL."""

from __future__ import annotations

from alembic import context

from persistence.engine import make_engine
from persistence.settings import DatabaseSettings
from persistence.tables import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(DatabaseSettings().url)

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.driver_connection if sqlite else None
    if raw is not None:
        # SQLite rebuilds a table to alter it ("batch" mode); with foreign keys enforced the
        # DROP of the old copy fails. Outside any transaction, as SQLite requires.
        raw.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")
