"""Running Alembic from code: ``raati db upgrade`` and the automatic upgrade of a fresh database.

Alembic is imported only when a migration runs: checking that a database is current is
one query, which keeps every ``raati`` command quick to start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaOutOfDate(Exception):
    """The database has an older schema; the operator must run ``raati db upgrade``."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__(f"database schema is at revision {current}, the code needs {head}: run 'raati db upgrade'")


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision: migrations are numbered ``NNNN_name.py`` with ``revision = "NNNN"``."""
    return max(p.name.partition("_")[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``revision``; returns the revisions before and after."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(_config(engine), revision)
    return before, current_revision(engine) or ""


def ensure_schema(engine: Engine, *, upgrade_existing: bool = False) -> None:
    """Upgrade an empty database (or, if asked, an older one); refuse one behind the code otherwise."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    fresh = current is None and not inspect(engine).get_table_names()
    if fresh or (upgrade_existing and current is not None):
        upgrade(engine)
        return
    raise SchemaOutOfDate(current, head)
