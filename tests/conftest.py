"""Shared fixtures: real databases (a SQLite file and PostgreSQL), units of work, a clock.

The Prefect settings must be in the environment before anything imports Prefect.
"""

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from persistence.engine import make_engine, make_session_factory
from persistence.migrate import upgrade
from persistence.unit_of_work import SqlAlchemyUnitOfWork

DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def postgres_server_url() -> str:
    return os.environ.get("RAATI_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_required() -> bool:
    return os.environ.get("RAATI_TEST_REQUIRE_POSTGRES", "") == "1"


class FixedClock:
    """The tests' one clock: it stands still until a test sets or advances it (``advance(hours=2)`` or
    ``advance(timedelta(hours=2))``); a fresh one reads 2025-03-03 09:00 UTC."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


# --- Which tests are slow ---------------------------------------------------------------
#
# `make test-fast` runs `pytest -m "not slow"`: what a developer runs while working, in well under half a minute.
# A test is slow by construction when it runs on PostgreSQL (the `postgresql` mark of the database fixtures) or
# uses one of these fixtures; any other test that takes more than a second is marked `slow` by hand (per test,
# or `pytestmark = pytest.mark.slow` for a module), and the end of a run names those that are not.

SLOW_FIXTURES = {
    "browser": "a real Chromium driven by Playwright",
    "web_url": "the web app under a real uvicorn, as the browser tests use it",
    "prefect_harness": "a Prefect server in a subprocess",
    "raati_script": "the installed raati command in a subprocess",
    "raati": "the raati command in this process (Typer builds its commands anew each run: 0.2 s a run)",
    "served": "schemathesis against a real uvicorn",
}
SLOW_SECONDS = 1.0


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("postgresql") or fixtures & SLOW_FIXTURES.keys():
            item.add_marker(pytest.mark.slow)


_unmarked_durations: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "slow" not in report.keywords:
        _unmarked_durations[report.nodeid] = _unmarked_durations.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    late = sorted(((t, n) for n, t in _unmarked_durations.items() if t > SLOW_SECONDS), reverse=True)
    if late:
        terminalreporter.section("tests not marked slow that took over a second")
        for seconds, nodeid in late:
            terminalreporter.write_line(f"{seconds:5.1f}s {nodeid}")


# --- SQLite: migrate one template file per session, copy it for each test -------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    # Fold the WAL into the main file so that copying the file copies everything.
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


# --- PostgreSQL: one dedicated database per session, truncated between tests ----------


class _PostgresDatabase:
    def __init__(self, url: URL, admin: Engine) -> None:
        self.url = url
        self.admin = admin
        self.url_string = url.render_as_string(hide_password=False)
        self._tables: list[str] | None = None

    @contextmanager
    def scratch_database(self) -> Iterator[str]:
        """A second, completely empty database on the same server, dropped afterwards."""
        name = f"{self.url.database}_scratch_{uuid.uuid4().hex[:6]}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield self.url.set(database=name).render_as_string(hide_password=False)
        finally:
            with self.admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def truncate(self) -> None:
        engine = make_engine(self.url_string)
        try:
            with engine.begin() as connection:
                if self._tables is None:
                    rows = connection.execute(
                        text(
                            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                            " AND tablename <> 'alembic_version'"
                        )
                    )
                    self._tables = [row[0] for row in rows]
                if self._tables:
                    names = ", ".join(f'"{name}"' for name in self._tables)
                    # The event log refuses TRUNCATE (migration 0010); a test database is emptied as a replica
                    # would be, with user triggers off for this transaction only.
                    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
                    connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            engine.dispose()


def _admin_engine(server_url: URL) -> Engine:
    return create_engine(server_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[_PostgresDatabase]:
    raw = postgres_server_url()
    server_url = make_url(raw)
    if server_url.drivername == "postgresql":
        server_url = server_url.set(drivername="postgresql+psycopg")
    admin = _admin_engine(server_url)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {raw}: set RAATI_TEST_POSTGRES_URL ({error.orig})"
        if postgres_required():
            pytest.fail(reason + " [RAATI_TEST_REQUIRE_POSTGRES=1]", pytrace=False)
        pytest.skip(reason)

    name = f"raati_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    database = _PostgresDatabase(server_url.set(database=name), admin)
    try:
        engine = make_engine(database.url_string)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        yield database
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- The fixtures tests use ------------------------------------------------------------


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, migrated database with no rows: a SQLite file or PostgreSQL."""
    return fresh_database_url(request, request.param, tmp_path)


def fresh_database_url(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str:
    """For fixtures of their own: a fresh, migrated database with no rows, ``kind`` "sqlite" or "postgresql"."""
    if kind == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "raati.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    database: _PostgresDatabase = request.getfixturevalue("_postgres_database")
    database.truncate()
    return database.url_string


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], SqlAlchemyUnitOfWork]:
    session_factory = make_session_factory(engine)

    def new_unit_of_work() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    return new_unit_of_work


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running the ``raati`` command in a subprocess against ``database_url``."""
    env = dict(os.environ)
    env["RAATI_DATABASE_URL"] = database_url
    env["RAATI_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
    ]
)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all (not migrated): a SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    database: _PostgresDatabase = request.getfixturevalue("_postgres_database")
    with database.scratch_database() as url:
        yield url
