"""Real aiosmtpd servers on 127.0.0.1 for the transport tests: recording and fault-injecting handlers,
a self-signed certificate, a port where nothing listens and one that never answers."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cli.devtools.mailsink import LoopbackController
from notifications.settings import SmtpSettings


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_self_signed_certificate(directory: Path) -> Certificate:
    """A certificate for 127.0.0.1 and localhost, signed by itself (so it is its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Raati test SMTP")])
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
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return Certificate(cert_path, key_path)


class RecordingHandler:
    """Accepts everything; remembers each message, each connection (by peer) and the EHLO names."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[bytes] = []
        self.peers: set[tuple[str, int]] = set()
        self.ehlo_names: set[str] = set()
        self.data_commands = 0

    def refusal(self, address: str) -> str | None:
        """A reply to refuse ``address`` with, or None to accept it."""
        return None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.lock:
            self.peers.add(tuple(session.peer[:2]))
            self.ehlo_names.add(session.host_name)
        refusal = self.refusal(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.data_commands += 1
            number = self.data_commands
        fault = self.fault(server, number)
        if fault is not None:
            return fault
        with self.lock:
            self.messages.append(envelope.original_content)
        return "250 OK queued"

    def fault(self, server: Any, number: int) -> str | None:
        """Overridden to fail the ``number``-th DATA (counted from 1 over all connections)."""
        return None

    def subjects(self) -> list[str]:
        from email import message_from_bytes, policy

        return [str(message_from_bytes(raw, policy=policy.default)["Subject"]) for raw in self.messages]


class RefusingHandler(RecordingHandler):
    """Refuses the given addresses with the given replies, e.g. ``{"x@example.fi": "550 5.1.1 ..."}``."""

    def __init__(self, refusals: dict[str, str]) -> None:
        super().__init__()
        self.refusals = refusals

    def refusal(self, address: str) -> str | None:
        return self.refusals.get(address)


class GreylistingHandler(RecordingHandler):
    """Answers 451 to the first attempt for each recipient, accepts later ones."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def refusal(self, address: str) -> str | None:
        with self.lock:
            if address in self.seen:
                return None
            self.seen.add(address)
        return "451 4.7.1 greylisted, try again later"


class DroppingHandler(RecordingHandler):
    """Closes the connection, without storing it, when the ``drop_at``-th message's DATA arrives."""

    def __init__(self, drop_at: int) -> None:
        super().__init__()
        self.drop_at = drop_at

    def fault(self, server: Any, number: int) -> str | None:
        if number == self.drop_at:
            server.transport.close()
            return "421 4.3.0 going away"
        return None


class StallingHandler(RecordingHandler):
    """Accepts the envelope, then never answers the message content (for ``seconds``)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.data_commands += 1
        await asyncio.sleep(self.seconds)
        return "451 4.3.0 too late"


def password_checker(username: str, password: str) -> Any:
    """An aiosmtpd authenticator that accepts exactly one login."""

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data == (username.encode(), password.encode())
        return AuthResult(success=ok, handled=False)  # handled=True would mean "already answered"

    return authenticate


@contextmanager
def smtp_server(handler: Any, **kwargs: Any) -> Iterator[LoopbackController]:
    """A real aiosmtpd server on 127.0.0.1 and a free port (``.port``)."""
    controller = LoopbackController(handler, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def unused_port() -> int:
    """A port where, right after this returns, nothing listens."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections (in the kernel's backlog) but never says a word."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield int(sock.getsockname()[1])


def make_message(number: int, *, to: str | None = None, subject: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Raati <raati@raati.localhost>"
    message["To"] = to or f"member{number}@example.fi"
    message["Subject"] = subject or f"Test message {number}"
    message["Message-ID"] = f"<test-{number}@raati.localhost>"
    message.set_content(f"Body of message {number}.\n")
    return message


def client_settings(port: int, **overrides: Any) -> SmtpSettings:
    """Settings for the transport under test: this host, a short timeout, two connections."""
    values: dict[str, Any] = {"host": "127.0.0.1", "port": port, "timeout": 3.0, "connections": 2}
    return SmtpSettings(**(values | overrides))
