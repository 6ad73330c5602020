"""Whether the database answers and holds the schema the code expects: what the web app's /readyz reports.

The check has its own engine with a short connect timeout, so a probe against an unreachable server gives up in
seconds instead of hanging a request thread; it never creates a database or migrates one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from persistence.engine import make_engine
from persistence.migrate import head_revision

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class DatabaseReadiness:
    """``problem`` is None when ready, else ``unreachable`` or ``schema-out-of-date``; ``detail`` says it in words."""

    problem: str | None
    detail: str
    revision: str | None
    head: str

    @property
    def ready(self) -> bool:
        return self.problem is None


def readiness_engine(url: str) -> Engine:
    """An engine for the check alone: one connection at most, a connect timeout of a few seconds."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Plain pysqlite (none of the app's write-lock tuning): a SELECT here takes no lock a writer waits for.
        return create_engine(parsed, poolclass=NullPool, connect_args={"timeout": CONNECT_TIMEOUT_SECONDS})
    return make_engine(
        url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=CONNECT_TIMEOUT_SECONDS,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


def database_readiness(engine: Engine) -> DatabaseReadiness:
    """Ask the database for ``SELECT 1`` and its Alembic revision; compare it with the newest migration."""
    head = head_revision()
    database = engine.url.database
    file = engine.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:")
    if file and database and not Path(database).exists():
        # Connecting would create an empty file: say what is missing instead.
        return DatabaseReadiness("unreachable", "the database file does not exist", None, head)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = None
            if inspect(connection).has_table("alembic_version"):
                revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as error:
        # The driver's words go to the log (they may name the host, never the password); the probe gets a summary.
        log.warning("readiness: the database did not answer: %s", getattr(error, "orig", None) or type(error).__name__)
        return DatabaseReadiness("unreachable", "the database did not answer", None, head)
    if revision != head:
        at = f"at revision {revision}" if revision else "without Raati's tables"
        detail = f"the database schema is {at}, the code expects {head}: run 'raati db upgrade'"
        return DatabaseReadiness("schema-out-of-date", detail, revision, head)
    return DatabaseReadiness(None, "ok", revision, head)
