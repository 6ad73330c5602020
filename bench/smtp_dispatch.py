"""How fast the dispatcher drains the outbox over SMTP, against the naive way and the physical ceiling.

Run from the repository root (about 6 minutes; most of it is the naive baseline over STARTTLS):

    .venv/bin/python bench/smtp_dispatch.py                 # 2,000 notifications, STARTTLS, then plain SMTP
    .venv/bin/python bench/smtp_dispatch.py --no-tls-only   # only the plain-SMTP run
    .venv/bin/python bench/smtp_dispatch.py --database-url postgresql+psycopg://USER@127.0.0.1:5432/SCRATCH_DB

A local aiosmtpd server that accepts and discards every message runs in a separate process (on a
2-core machine the server's CPU work must not share the benchmark's event loop and GIL). With
STARTTLS the server requires it and presents a self-signed certificate made here, which the client
verifies. A fresh database (SQLite in a temporary folder, or ``--database-url``, which must have no
pending outbox rows; the script adds panels to it) gets a panel with ``--count`` members through the
real use cases, and the outbox rows of one declined idea from the real policy: ``--count`` pending
``idea_update`` notifications, each its own email (the coalescing window is 0). Then, in one run:

  (a) naive baseline: ``aiosmtplib.send()`` for each pre-rendered message, one after another: a new
      connection (and with STARTTLS a new TLS context and handshake) per message;
  (b) physical ceiling: raw aiosmtplib sends of the same pre-rendered bytes over as many reused
      connections as the dispatcher uses (``RAATI_SMTP_CONNECTIONS``, or ``--connections``);
  (c) the dispatcher end to end: ``application.delivery.dispatch`` with the real SmtpTransport,
      MailComposer and SqlAlchemyDeliveryQueue as ``wiring`` builds them (claim, render, send, mark
      sent), starting from the database with nothing prepared.

(b) and (c) run ``--rounds`` times, each round on fresh rows; the best round of each counts, as the
machine may be busy with other work. Targets (issue 3): c >= 10 x a and c >= 0.6 x b with STARTTLS.
The plain run prints the same figures; without TLS a new connection is cheap, so c >= 10 x a cannot
hold there and is shown for information.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import email.utils
import gc
import ipaddress
import multiprocessing
import os
import platform
import secrets
import ssl
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiosmtplib
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import wiring  # noqa: E402
from application.commands import AddService, AddUser, CreatePanel, ImportMembers, MemberRow  # noqa: E402
from application.delivery import COALESCING_KINDS, dispatch  # noqa: E402
from application.people.roster import add_service, add_user, create_panel, import_members  # noqa: E402
from domain.events import Aggregate, Event  # noqa: E402
from domain.ideas import Idea, IdeaState  # noqa: E402
from domain.values import Role  # noqa: E402
from notifications import policy  # noqa: E402
from notifications.outbox import OutboxStatus  # noqa: E402
from notifications.queue import plan_emails  # noqa: E402
from notifications.settings import SmtpSettings  # noqa: E402

LOCAL_HOSTNAME = "raati.localhost"
TARGET_VS_NAIVE = 10.0
TARGET_VS_CEILING = 0.6
FIRST_NAMES = ("Aino", "Eero", "Leena", "Matti", "Sirkka", "Pekka", "Karin", "Johan", "Ulla", "Amina", "David", "Tuula")
LAST_NAMES = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Lindqvist", "Björklund", "Sjöberg", "Hassan", "Laine")
LANGUAGES = ("fi", "fi", "fi", "fi", "sv", "sv", "en")  # roughly the pilot panel's mix


# --- the SMTP server, in its own process ---------------------------------------------------------------


def _serve(conn: Connection, cert: str | None, key: str | None) -> None:
    """Child process: an aiosmtpd server on 127.0.0.1 that discards mail; answers "count" and "stop"."""
    from aiosmtpd.smtp import SMTP

    class Discard:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.received += 1
            return "250 2.0.0 OK discarded"

    async def main() -> None:
        context = None
        if cert and key:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
        handler = Discard()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(
                handler, hostname="bench.localhost", tls_context=context, require_starttls=context is not None
            ),
            host="127.0.0.1",
            port=0,
            backlog=256,
        )
        conn.send(server.sockets[0].getsockname()[1])
        while await asyncio.to_thread(conn.recv) == "count":
            conn.send(handler.received)
        server.close()

    asyncio.run(main())


class ServerProcess:
    def __init__(self, cert: Path | None, key: Path | None) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, str(cert) if cert else None, str(key) if key else None), daemon=True
        )
        self.process.start()
        if not self._conn.poll(30):
            raise RuntimeError("the SMTP server process did not start")
        self.port: int = self._conn.recv()

    def received(self) -> int:
        self._conn.send("count")
        return int(self._conn.recv())

    def stop(self) -> None:
        self._conn.send("stop")
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Raati benchmark SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


# --- the data: real use cases on a fresh database ------------------------------------------------------


class StepClock:
    """A clock the set-up moves by hand, so the story happened in the past and everything is due now."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current


def populate(count: int, tag: str) -> None:
    """A panel with a service and ``count`` members (real use cases), then one declined idea's notifications.

    The outbox rows come from the real policy (``notifications.policy.for_idea_event``) and go in through
    the outbox repository: ``count`` pending ``idea_update`` rows, one per member.
    """
    clock = StepClock(dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    coordinator = f"koordinaattori+{tag}@raati.example.org"
    owner = f"omaolo+{tag}@raati.example.org"
    panel = create_panel(CreatePanel(name=f"Itä-Helsingin asiakasraati {tag}"), uow=wiring.uow(), clock=clock)
    ref = str(panel.id)
    add_user(AddUser(email=coordinator, role=Role.COORDINATOR, panel=ref), uow=wiring.uow(), clock=clock)
    service, _ = add_service(
        AddService(name="Omaolo-verkkopalvelu", panel=ref, owners=(owner,), actor=coordinator),
        uow=wiring.uow(),
        clock=clock,
    )
    rows = tuple(
        MemberRow(
            line=i + 2,
            name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i // len(FIRST_NAMES) % len(LAST_NAMES)]}",
            email=f"asukas{i:05d}+{tag}@asukas.example.org",
            language=LANGUAGES[i % len(LANGUAGES)],
        )
        for i in range(count)
    )
    import_members(ImportMembers(panel=ref, rows=rows, actor=coordinator), uow=wiring.uow(), clock=clock)
    clock.current += dt.timedelta(days=16)
    idea = Idea(
        id=1,
        panel_id=panel.id or 0,
        meeting_id=1,
        title="Ohjeet samalle sivulle kolmella kielellä",
        text="Ruotsin- ja englanninkielinen ohje samaan näkymään, niin koko perhe voi lukea saman ohjeen.",
        service_id=service.id,
        state=IdeaState.DECLINED,
        version=3,
    )
    declined = Event(
        aggregate=Aggregate.IDEA,
        aggregate_id=idea.id,
        seq=3,
        type="moved",
        actor=owner,
        at=clock.now(),
        from_state=IdeaState.SENT_TO_SERVICE.value,
        to_state=IdeaState.DECLINED.value,
        text="Omaolo on valtakunnallinen palvelu, eikä Helsinki voi muuttaa sen kieliversioiden rakennetta. "
        "Veimme toiveen palvelun kehittäjille, ja kerromme raadille, jos asia etenee.",
    )
    with wiring.uow() as uow:
        members = uow.members.active_in_panel(panel.id or 0)
        messages = policy.for_idea_event(
            idea, declined, panel=panel, service=service, members=members, owners=[], now=clock.now()
        )
        uow.outbox.add(messages)
        uow.commit()


@dataclass(frozen=True)
class Prepared:
    sender: str
    recipient: str
    data: bytes


def prerender() -> list[Prepared]:
    """The pending rows as the dispatcher would send them, serialised once, for (a) and (b)."""
    composer = wiring.composer()
    sender = email.utils.parseaddr(wiring.smtp_settings().sender)[1]
    with wiring.uow() as uow:
        rows = uow.outbox.list(status=OutboxStatus.PENDING)
    prepared = []
    now = dt.datetime.now(dt.UTC)
    for planned in plan_emails(rows, digest_recipients=frozenset(), coalescing_kinds=COALESCING_KINDS, now=now):
        message = composer.compose(planned.kind, planned.rows, key=planned.id, date=planned.at)
        prepared.append(Prepared(sender, planned.rows[0].email, message.as_bytes()))
    return prepared


# --- the three measurements ------------------------------------------------------------------------------


def client(settings: SmtpSettings, tls_context: ssl.SSLContext | None) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.host,
        port=settings.port,
        start_tls=tls_context is not None,
        tls_context=tls_context,
        validate_certs=True,
        timeout=settings.timeout,
        local_hostname=LOCAL_HOSTNAME,
    )


async def naive(messages: list[Prepared], settings: SmtpSettings, cert: Path | None) -> float:
    """(a) ``aiosmtplib.send()`` for every message, one after another: the library's one-call API, which
    opens a new connection (and with STARTTLS builds a TLS context and does a handshake) each time."""
    started = time.perf_counter()
    for m in messages:
        await aiosmtplib.send(
            m.data,
            sender=m.sender,
            recipients=[m.recipient],
            hostname=settings.host,
            port=settings.port,
            start_tls=cert is not None,
            cert_bundle=str(cert) if cert is not None else None,
            timeout=settings.timeout,
            local_hostname=LOCAL_HOSTNAME,
        )
    return time.perf_counter() - started


async def naive_shared_context(messages: list[Prepared], settings: SmtpSettings, tls_context: ssl.SSLContext) -> float:
    """(a') For information: a new connection per message, but one TLS context built once and reused."""
    started = time.perf_counter()
    for m in messages:
        async with client(settings, tls_context) as smtp:
            await smtp.sendmail(m.sender, [m.recipient], m.data)
    return time.perf_counter() - started


async def ceiling(messages: list[Prepared], settings: SmtpSettings, tls_context: ssl.SSLContext | None) -> float:
    """(b) Pre-rendered bytes over ``settings.connections`` reused connections: nothing but SMTP."""
    todo = iter(messages)

    async def worker() -> None:
        async with client(settings, tls_context) as smtp:
            for m in todo:
                await smtp.sendmail(m.sender, [m.recipient], m.data)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(settings.connections, len(messages)))))
    return time.perf_counter() - started


async def dispatcher(count: int) -> tuple[float, int, int]:
    """(c) The real thing, as ``raati outbox dispatch`` wires it; returns seconds, rows sent, batches."""
    started = time.perf_counter()
    report = await dispatch(
        queue=wiring.queue(),
        transport=wiring.transport(),
        composer=wiring.composer(),
        clock=wiring.clock(),
        rules=wiring.dispatch_rules(),
        jitter=wiring.jitter,
    )
    seconds = time.perf_counter() - started
    if report.errors:
        raise RuntimeError(f"the dispatcher reported errors: {report.errors}")
    return seconds, report.sent, report.batches


# --- one run (STARTTLS or plain) ---------------------------------------------------------------------


@dataclass
class Result:
    mode: str
    count: int
    connections: int
    naive_count: int
    a: float = 0.0  # seconds
    a_shared: float | None = None
    b: list[float] = field(default_factory=list)  # seconds, one per round
    c: list[float] = field(default_factory=list)
    batches: int = 0


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    wiring.reset()
    try:
        yield
    finally:
        wiring.reset()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def pending_rows() -> int:
    return wiring.queue().counts().get(OutboxStatus.PENDING.value, 0)


def run(mode: str, args: argparse.Namespace, work: Path) -> Result:
    tls = mode == "starttls"
    folder = work / mode
    folder.mkdir()
    cert, key = make_certificate(folder) if tls else (None, None)
    url = args.database_url or f"sqlite:///{(folder / 'raati.sqlite3').as_posix()}"
    values = {
        "RAATI_DATA_DIR": str(folder),
        "RAATI_DATABASE_URL": url,
        "RAATI_SECRET_KEY": secrets.token_hex(32),
        "RAATI_BASE_URL": "https://raati.example.fi",
        "RAATI_MAIL_DOMAIN": "raati.example.fi",
        "RAATI_COALESCE_SECONDS": "0",
        "RAATI_SMTP_HOST": "127.0.0.1",
        "RAATI_SMTP_TLS": "starttls" if tls else "none",
        "RAATI_SMTP_LOCAL_HOSTNAME": LOCAL_HOSTNAME,
        "RAATI_SMTP_SENDER": "Raati <raati@raati.example.fi>",
    }
    if cert is not None:
        values["RAATI_SMTP_CA_FILE"] = str(cert)
    if args.connections:
        values["RAATI_SMTP_CONNECTIONS"] = str(args.connections)
    server = ServerProcess(cert, key)
    try:
        values["RAATI_SMTP_PORT"] = str(server.port)
        with environment(values):
            if pending_rows():
                raise SystemExit(f"{url} already has {pending_rows()} pending outbox row(s); use an empty database")
            settings = wiring.smtp_settings()
            tls_context = None
            if cert is not None:
                tls_context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(cert))
            result = Result(mode, args.count, settings.connections, min(args.naive_count or args.count, args.count))
            for number in range(1, args.rounds + 1):
                populate(args.count, tag=f"{mode}-{number}-{secrets.token_hex(3)}")
                messages = prerender()
                if len(messages) != args.count:
                    raise RuntimeError(f"expected {args.count} emails, prepared {len(messages)}")
                if number == 1:
                    naive_messages = messages[: result.naive_count]
                    print(f"  (a) naive: {len(naive_messages)} messages, one connection each …", flush=True)
                    result.a = asyncio.run(naive(naive_messages, settings, cert))
                    if tls_context is not None:
                        print("  (a') the same with one TLS context for all …", flush=True)
                        result.a_shared = asyncio.run(naive_shared_context(naive_messages, settings, tls_context))
                print(f"  round {number}: (b) ceiling …", end=" ", flush=True)
                result.b.append(asyncio.run(ceiling(messages, settings, tls_context)))
                del messages  # the dispatcher starts from the database with nothing prepared: no messages,
                wiring.renderer.cache_clear()  # and templates not yet compiled, as a fresh `raati outbox dispatch`
                gc.collect()
                before = server.received()
                print("(c) dispatcher …", end=" ", flush=True)
                seconds, sent, result.batches = asyncio.run(dispatcher(args.count))
                result.c.append(seconds)
                arrived = server.received() - before
                if sent != args.count or arrived != args.count or pending_rows():
                    raise RuntimeError(
                        f"dispatcher: {sent} rows marked sent, {arrived} messages arrived, {args.count} were due, "
                        f"{pending_rows()} still pending"
                    )
                print(f"b {rate(args.count, result.b[-1]):.1f} msg/s, c {rate(args.count, seconds):.1f} msg/s")
            return result
    finally:
        server.stop()


def report(result: Result) -> bool:
    a = rate(result.naive_count, result.a)
    b = rate(result.count, min(result.b))
    c = rate(result.count, min(result.c))
    title = "STARTTLS (required by the server; self-signed certificate, verified)" if result.mode == "starttls" else (
        "Plain SMTP (no TLS)"
    )  # fmt: skip
    n = result.connections
    rounds = len(result.c)
    print(f"\n{title}; best of {rounds} round(s) for (b) and (c)")
    print(f"  (a)  naive, aiosmtplib.send() per message    {a:8.1f} msg/s  ({result.naive_count} in {result.a:.1f} s)")
    if result.a_shared is not None:
        shared = rate(result.naive_count, result.a_shared)
        print(f"  (a') naive, but one TLS context for all      {shared:8.1f} msg/s  (information)")
    print(f"  (b)  ceiling, raw aiosmtplib, {n} connections {b:8.1f} msg/s  ({result.count} in {min(result.b):.2f} s)")
    print(f"  (c)  dispatcher end to end, {n} connections  {c:8.1f} msg/s  ({result.count} in {min(result.c):.2f} s, "
          f"{result.batches} batches)")  # fmt: skip
    binding = result.mode == "starttls"
    ok_a, ok_b = c >= TARGET_VS_NAIVE * a, c >= TARGET_VS_CEILING * b
    note = "" if binding else "  (information: the targets are set for STARTTLS)"
    print(f"  c/a = {c / a:6.2f}×   target ≥ {TARGET_VS_NAIVE:g}×    {'PASS' if ok_a else 'FAIL'}{note}")
    print(f"  c/b = {c / b:6.3f}   target ≥ {TARGET_VS_CEILING:g}    {'PASS' if ok_b else 'FAIL'}{note}")
    if result.a_shared is not None:
        print(f"  c/a' = {c / rate(result.naive_count, result.a_shared):5.2f}×  (information)")
    if rounds > 1:
        medians = [rate(result.count, statistics.median(times)) for times in (result.b, result.c)]
        print(f"  medians: b {medians[0]:.1f} msg/s, c {medians[1]:.1f} msg/s, c/b {medians[1] / medians[0]:.2f}")
    return (ok_a and ok_b) or not binding


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=2000, help="pending notifications (and emails); default 2000")
    parser.add_argument(
        "--connections", type=int, default=0, help="SMTP connections for (b) and (c); default RAATI_SMTP_CONNECTIONS"
    )
    parser.add_argument("--no-tls-only", action="store_true", help="only the plain-SMTP run")
    parser.add_argument("--database-url", help="use this database (it must have no pending outbox rows)")
    parser.add_argument("--naive-count", type=int, default=0, help="messages for (a); default --count")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (b) and (c), the best counts; default 3")
    args = parser.parse_args()
    modes = ["none"] if args.no_tls_only else ["starttls", "none"]
    database = "SQLite in a temporary folder" if not args.database_url else args.database_url.split("://")[0]
    print(
        f"Raati SMTP dispatch benchmark: {args.count} notifications, database {database}\n"
        f"Machine: {os.cpu_count()} CPU cores, {platform.python_implementation()} {platform.python_version()}, "
        f"aiosmtplib {aiosmtplib.__version__}.\n"
        "The aiosmtpd server (accepts and discards) runs in a separate process, so its CPU work does not\n"
        "share the benchmark's event loop and GIL; on 2 cores client and server each get roughly one."
    )
    passed = True
    with tempfile.TemporaryDirectory(prefix="raati-bench-") as work:
        for mode in modes:
            print(f"\n[{'STARTTLS' if mode == 'starttls' else 'plain SMTP'}]", flush=True)
            passed = report(run(mode, args, Path(work))) and passed
    print("\nOverall:", "PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
