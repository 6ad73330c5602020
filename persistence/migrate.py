"""Running Alembic from code: ``raati db upgrade`` and the automatic upgrade of a fresh database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaOutOfDate(Exception):
    """The database has an older schema; the operator must run ``raati db upgrade``."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__(
            f"database schema is at revision {current}, the code needs {head}: run 'raati db upgrade'"
        )


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade to ``revision``; returns the revisions before and after."""
    before = current_revision(engine)
    command.upgrade(_config(engine), revision)
    return before, current_revision(engine) or ""


def ensure_schema(engine: Engine) -> None:
    """Upgrade an empty database; refuse one whose schema is behind the code."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and not inspect(engine).get_table_names():
        upgrade(engine)
        return
    raise SchemaOutOfDate(current, head)
