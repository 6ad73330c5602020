"""The flows under Prefect: one ``prefect_test_harness`` per session, only for the tests that ask for it.

The harness starts a Prefect server in a subprocess (SQLite, migrated; 12–21 s on this machine),
so it is session-scoped and only the ``slow`` flow tests use it. Each test points the real
wiring at its own SQLite file and an aiosmtpd mail sink on 127.0.0.1 through ``RAATI_*``
variables, and stops the clock: the flows read ``wiring.clock()``, patched to the test clock.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

import wiring
from application.commands import AddUser
from application.people.roster import add_user
from cli.devtools.mailsink import MailSink
from domain.values import Role
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, World, world  # noqa: F401  (the fixture)

COORDINATOR = "koordinaattori@kaari.example"
# For the harness's server only: the task-run recorder is what locks its SQLite most (PREFECT-NOTES).
HARNESS_ENV = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false"}


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local Prefect server (``prefect server start`` on SQLite) for the tests of one module; its API URL."""
    from cli.devtools.prefect_server import LocalPrefectServer

    server = LocalPrefectServer(tmp_path_factory.mktemp("prefect"), port=0)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    saved = {name: os.environ.get(name) for name in HARNESS_ENV}
    os.environ.update(HARNESS_ENV)
    try:
        with prefect_test_harness(server_startup_timeout=90):
            yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def database_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """The flows run on a SQLite file here (the cadence rules are tested on both databases)."""
    path = tmp_path / "raati.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@dataclass
class Mailbox:
    """What the mail sink stored: one ``.eml`` file per accepted message."""

    folder: Path

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml"))

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for path in self.files()
        ]

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages()]

    def recipients(self) -> list[str]:
        return sorted(str(m["Delivered-To"]) for m in self.messages())


@dataclass
class Raati:
    """The running system's wiring, on this test's database, mail sink and clock."""

    world: World
    uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    clock: FixedClock
    mailbox: Mailbox


@pytest.fixture
def raati(
    prefect_harness: None,
    world: World,  # noqa: F811
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    clock: FixedClock,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Raati]:
    add_user(AddUser(email=COORDINATOR, role=Role.COORDINATOR, panel=PANEL), uow=uow_factory(), clock=clock)
    with MailSink(tmp_path / "mail", port=0) as sink:
        for name, value in {
            "RAATI_DATABASE_URL": database_url,
            "RAATI_DATA_DIR": str(tmp_path / "data"),
            "RAATI_SMTP_HOST": "127.0.0.1",
            "RAATI_SMTP_PORT": str(sink.port),
            "RAATI_SMTP_TIMEOUT": "5",
            "RAATI_COALESCE_SECONDS": "0",
            "RAATI_DISPATCH_LINGER_SECONDS": "0",
            "RAATI_DISPATCH_QUIET_SECONDS": "0",
            "RAATI_BATCH_SIZE": "4",
            "RAATI_MAIL_DOMAIN": "raati.test",
            "RAATI_SECRET_KEY": "flow-tests-signing-key-0123456789abcdef",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(wiring, "clock", lambda: clock)
        wiring.reset()
        try:
            yield Raati(world=world, uow_factory=uow_factory, clock=clock, mailbox=Mailbox(sink.directory))
        finally:
            wiring.reset()  # before monkeypatch restores the environment: nothing built here survives
