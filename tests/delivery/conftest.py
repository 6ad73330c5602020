"""Fixtures for the delivery fault tests: the real dispatcher, real aiosmtpd servers, real data.

Every test drives ``application.delivery.dispatch`` with the real SMTP transport, composer and
SQL delivery queue; the data comes from the real use cases (the ``world`` panel, plus crowds of
imported members when a test needs many emails).
"""

from __future__ import annotations

import asyncio
import email
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from application.commands import ImportMembers, MemberRow, MoveIdea
from application.delivery import DispatchReport, DispatchRules, dispatch
from application.ideas.changes import move_idea
from application.people.roster import import_members
from cli import context
from cli.main import app
from domain.delivery import RetryRules
from notifications.composer import MailComposer
from notifications.links import LinkSigner
from notifications.outbox import OutboxMessage
from notifications.render import Renderer
from notifications.smtp import SmtpTransport
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from persistence.tables import OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.cli.harness import Run
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, SERVICE, World, world  # noqa: F401  (the fixture)
from tests.smtp.servers import (
    DroppingHandler,
    GreylistingHandler,
    RecordingHandler,
    RefusingHandler,
    client_settings,
)

SECRET_KEY = "delivery-tests-signing-key-0123456789"
MAIL_DOMAIN = "raati.test"
BASE_URL = "https://raati.example.fi"
COALESCE = timedelta(minutes=10)
DIGEST = timedelta(days=7)
# With the fixed jitter of 0.5 the first retry comes 0.75 × RETRY_BASE after the failure.
RETRY_BASE = timedelta(seconds=60)
RULES = DispatchRules(
    batch_size=50,
    lease=timedelta(seconds=30),
    coalesce=COALESCE,
    digest=DIGEST,
    retry=RetryRules(base=RETRY_BASE, cap=timedelta(minutes=10), max_attempts=5, max_age=timedelta(days=2)),
)
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def clock() -> FixedClock:
    """The test clock starts an hour before the real time, so the real-clock processes (the
    command line, the subprocess dispatchers) see the rows it writes as due and young."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1))


@pytest.fixture
def signer() -> LinkSigner:
    return LinkSigner(SECRET_KEY.encode())


# --- What the SMTP servers received -------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it: the envelope and the bytes."""

    rcpt_tos: tuple[str, ...]
    raw: bytes

    @cached_property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    @property
    def to(self) -> str:
        (recipient,) = self.rcpt_tos
        return recipient

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip().strip("<>")

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None
        return str(part.get_content())

    @property
    def raw_headers(self) -> str:
        return self.raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")

    def unsubscribe_url(self) -> str:
        header = str(self.message["List-Unsubscribe"])
        match = re.search(r"<(https?://[^>]+)>", header)
        assert match, f"no web link in List-Unsubscribe: {header!r}"
        return match.group(1)


class Captures:
    """Mixed in before a tests.smtp handler: keeps the envelope and bytes of every accepted message."""

    lock: threading.Lock

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received: list[Received] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply: str = await super().handle_DATA(server, session, envelope)  # type: ignore[misc]
        if reply.startswith("250"):
            with self.lock:
                self.received.append(Received(tuple(envelope.rcpt_tos), bytes(envelope.original_content)))
        return reply

    def by_recipient(self) -> dict[str, list[Received]]:
        with self.lock:
            mails = list(self.received)
        grouped: dict[str, list[Received]] = {}
        for mail in mails:
            for recipient in mail.rcpt_tos:
                grouped.setdefault(recipient, []).append(mail)
        return grouped

    def count(self) -> int:
        with self.lock:
            return len(self.received)


class Inbox(Captures, RecordingHandler):
    """Accepts everything."""


class RefusingInbox(Captures, RefusingHandler):
    """Refuses the given recipients with the given replies."""


class GreylistingInbox(Captures, GreylistingHandler):
    """451 to the first attempt for each recipient."""


class DroppingInbox(Captures, DroppingHandler):
    """Drops the connection at the ``drop_at``-th message."""


class SlowInbox(Inbox):
    """Takes ``delay`` seconds over each message's content before it accepts it."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


class PickyInbox(Inbox):
    """Refuses some recipients for good (5xx) and greylists others once (451)."""

    def __init__(self, *, refuse: dict[str, str], greylist: set[str]) -> None:
        super().__init__()
        self.refuse = refuse
        self.greylist = set(greylist)

    def refusal(self, address: str) -> str | None:
        if address in self.refuse:
            return self.refuse[address]
        with self.lock:
            if address in self.greylist:
                self.greylist.discard(address)
                return "451 4.7.1 greylisted, try again later"
        return None


# --- The dispatcher, wired as in production but with the test clock -------------------------


@dataclass
class Postman:
    """Runs one real ``dispatch`` against an SMTP server on 127.0.0.1."""

    queue: SqlAlchemyDeliveryQueue
    signer: LinkSigner
    clock: FixedClock
    base_url: str = BASE_URL
    rules: DispatchRules = RULES
    reports: list[DispatchReport] = field(default_factory=list)

    def composer(self) -> MailComposer:
        return MailComposer(
            renderer=Renderer(base_url=self.base_url),
            signer=self.signer,
            sender="Raati <raati@raati.test>",
            base_url=self.base_url,
            mail_domain=MAIL_DOMAIN,
            clock=self.clock,
        )

    def at(self, base_url: str) -> Postman:
        return replace(self, base_url=base_url, reports=[])

    def deliver(self, port: int, *, connections: int = 2, rules: DispatchRules | None = None) -> DispatchReport:
        report = asyncio.run(
            dispatch(
                queue=self.queue,
                transport=SmtpTransport(client_settings(port, connections=connections)),
                composer=self.composer(),
                clock=self.clock,
                rules=rules or self.rules,
                jitter=lambda: 0.5,
            )
        )
        self.reports.append(report)
        return report


@pytest.fixture
def postman(engine: Engine, signer: LinkSigner, clock: FixedClock) -> Postman:
    return Postman(queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)), signer=signer, clock=clock)


# --- Making changes that write outbox rows, and reading the rows ----------------------------


def move(
    uow_factory: UowFactory,
    clock: FixedClock,
    idea_id: int,
    to: str,
    *,
    note: str | None = None,
    actor: str | None = None,
) -> int:
    """Move an idea through the real use case; returns how many outbox rows it queued."""
    view = move_idea(
        MoveIdea(
            idea_id=idea_id,
            to=to,
            note=note,
            service=SERVICE if to == "sent_to_service" else None,
            actor=actor,
        ),
        uow=uow_factory(),
        clock=clock,
    )
    return view.queued_notifications


def crowd(uow_factory: UowFactory, clock: FixedClock, count: int) -> list[str]:
    """Import ``count`` more members into the world's panel; returns their addresses."""
    languages = ("fi", "sv", "en")
    rows = tuple(
        MemberRow(line=n + 1, name=f"Jäsen {n}", email=f"member{n:04d}@example.org", language=languages[n % 3])
        for n in range(count)
    )
    result = import_members(ImportMembers(panel=PANEL, rows=rows), uow=uow_factory(), clock=clock)
    return [m.email for m in result.imported]


def outbox(uow_factory: UowFactory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return uow.outbox.list()


def outbox_rows(engine: Engine) -> list[OutboxRow]:
    """The raw rows, with the claim columns the domain view leaves out."""
    with make_session_factory(engine)() as session:
        return list(session.scalars(select(OutboxRow)))


# --- The command line, in this process ------------------------------------------------------


RaatiCli = Callable[..., Run]


@pytest.fixture
def delivery_env(cli_env: dict[str, str]) -> dict[str, str]:
    """The environment of a ``raati`` run against the test database: no coalescing delay, the tests' key."""
    return cli_env | {
        "RAATI_SECRET_KEY": SECRET_KEY,
        "RAATI_MAIL_DOMAIN": MAIL_DOMAIN,
        "RAATI_COALESCE_SECONDS": "0",
        "RAATI_SMTP_HOST": "127.0.0.1",
        "RAATI_SMTP_TIMEOUT": "5",
    }


@pytest.fixture
def raati(delivery_env: dict[str, str]) -> Iterator[RaatiCli]:
    """``raati(*args, env={...})`` runs the command in this process against the test database."""
    runner = CliRunner()
    context.reset()

    def invoke(*args: str, env: dict[str, str] | None = None) -> Run:
        context.reset()
        result = runner.invoke(app, list(args), env=delivery_env | (env or {}), catch_exceptions=False)
        context.reset()
        return Run(result.exit_code, result.stdout, result.stderr)

    yield invoke
    context.reset()


def token_of(url: str) -> tuple[int, str]:
    """The member id and the token of a signed member link."""
    parts = urlsplit(url)
    match = re.fullmatch(r"/m/(\d+)/unsubscribe", parts.path)
    assert match, url
    return int(match.group(1)), parse_qs(parts.query)["token"][0]
