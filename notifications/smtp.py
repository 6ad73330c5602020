"""The SMTP transport: the only module that imports aiosmtplib.

A batch goes out over at most ``settings.connections`` connections, each reused for many
messages. Every SMTP failure becomes a ``SendResult``: *transient* (try again later) or
*permanent* (will never go through as it is). What no retry can fix — an untrusted
certificate, a rejected login, a server that demands TLS we were not told to use — raises
``SmtpConfigurationError`` instead, with what to change.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import re
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from email.headerregistry import AddressHeader
from email.message import EmailMessage

import aiosmtplib

from notifications.message import wire_bytes
from notifications.metrics import count_result
from notifications.settings import SmtpSettings, TlsMode
from notifications.transport import SendOutcome, SendResult, SmtpConfigurationError

__all__ = ["SendOutcome", "SendResult", "SmtpConfigurationError", "SmtpTransport", "check_connection"]

# A worker whose connection fails this many times in a row stops; the rest of the batch
# is left to the other workers or reported transient, so a sick server cannot hold a batch.
_FAILURES_BEFORE_GIVING_UP = 2
_DETAIL_LENGTH = 200
# TLS errors that mean "the connection went away", not "the TLS settings are wrong".
_TLS_DISCONNECTS = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)
_CONNECTION_ERRORS = (ConnectionError, TimeoutError, OSError, aiosmtplib.SMTPTimeoutError)
_PLAIN_ADDRESS = re.compile(r"[^\s<>@,;:\\\"()\[\]]+@[A-Za-z0-9.-]+\Z")


def _reply(code: int, message: str) -> str:
    return _short(f"{code} {message}")


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _DETAIL_LENGTH else line[: _DETAIL_LENGTH - 1] + "…"


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _configuration_error(exc: BaseException, settings: SmtpSettings) -> SmtpConfigurationError | None:
    """The configuration problem behind ``exc``, or None if it is worth retrying."""
    server = f"{settings.host}:{settings.port}"
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return SmtpConfigurationError(
                f"The SMTP server {server} presented a certificate that is not trusted "
                f"({cause.verify_message or cause}). Set RAATI_SMTP_CA_FILE to the PEM file of the CA "
                "that signed it, or give the server a certificate from a trusted CA for this host name."
            )
        if isinstance(cause, ssl.SSLError) and not isinstance(cause, _TLS_DISCONNECTS):
            return SmtpConfigurationError(
                f"The TLS handshake with the SMTP server {server} failed ({cause}). Check RAATI_SMTP_TLS "
                "(tls = implicit TLS, usually port 465; starttls, usually port 587; none) and RAATI_SMTP_PORT."
            )
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError) and exc.code >= 500:
        return SmtpConfigurationError(
            f"The SMTP server {server} rejected the login of {settings.username!r} "
            f"({_reply(exc.code, exc.message)}). Check RAATI_SMTP_USERNAME and RAATI_SMTP_PASSWORD."
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code == 530:
        return SmtpConfigurationError(
            f"The SMTP server {server} requires TLS or a login before it accepts mail "
            f"({_reply(exc.code, exc.message)}). Set RAATI_SMTP_TLS=starttls (or tls), and "
            "RAATI_SMTP_USERNAME and RAATI_SMTP_PASSWORD if it wants a login."
        )
    if isinstance(exc, aiosmtplib.SMTPHeloError) and exc.code >= 500:
        return SmtpConfigurationError(
            f"The SMTP server {server} refused our EHLO name {settings.local_hostname!r} "
            f"({_reply(exc.code, exc.message)}). Set RAATI_SMTP_LOCAL_HOSTNAME to a name it accepts."
        )
    if isinstance(exc, aiosmtplib.SMTPSenderRefused) and exc.code >= 500 and exc.code != 552:
        return SmtpConfigurationError(
            f"The SMTP server {server} refused the sender {exc.sender!r} ({_reply(exc.code, exc.message)}). "
            "Check RAATI_SMTP_SENDER and whether this relay lets us send as that address."
        )
    if type(exc) is aiosmtplib.SMTPException or isinstance(exc, ValueError):
        # Raised by aiosmtplib itself while connecting: no STARTTLS or AUTH on offer, bad options.
        return SmtpConfigurationError(
            f"Cannot use the SMTP server {server} with these settings: {exc}. "
            "Check RAATI_SMTP_TLS, RAATI_SMTP_USERNAME and RAATI_SMTP_LOCAL_HOSTNAME."
        )
    return None


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext | None:
    if settings.tls is TlsMode.NONE:
        return None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)  # verifies the certificate and the host name
    if settings.ca_file is not None:
        try:
            context.load_verify_locations(cafile=settings.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise SmtpConfigurationError(
                f"RAATI_SMTP_CA_FILE={settings.ca_file} cannot be used as CA certificates: {exc}"
            ) from exc
    return context


async def _connect(settings: SmtpSettings, tls_context: ssl.SSLContext | None) -> aiosmtplib.SMTP:
    """An open, ready connection; raises SmtpConfigurationError or a ConnectionError/TimeoutError."""
    smtp = aiosmtplib.SMTP(
        hostname=settings.host,
        port=settings.port,
        use_tls=settings.tls is TlsMode.TLS,
        start_tls=settings.tls is TlsMode.STARTTLS,
        validate_certs=True,
        tls_context=tls_context,
        timeout=settings.timeout,
        local_hostname=settings.local_hostname,
        username=settings.username,
        password=settings.password.get_secret_value() if settings.password is not None else None,
    )
    try:
        await smtp.connect()
    except Exception as exc:
        smtp.close()
        problem = _configuration_error(exc, settings)
        if problem is not None:
            raise problem from exc
        raise
    return smtp


async def _close(smtp: aiosmtplib.SMTP) -> None:
    if smtp.is_connected:
        with contextlib.suppress(aiosmtplib.SMTPException, *_CONNECTION_ERRORS):
            await smtp.quit()
    smtp.close()


async def _send_one(
    smtp: aiosmtplib.SMTP, key: str, message: EmailMessage, *, sender: str | None, settings: SmtpSettings
) -> SendResult:
    recipient = _bare_recipient(message)
    data = _flatten(message) if sender is not None and recipient is not None else None
    try:
        if sender is not None and recipient is not None and data is not None:
            refused, reply = await smtp.sendmail(sender, [recipient], data)
        else:
            refused, reply = await smtp.send_message(message, sender=sender)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        first = exc.recipients[0]
        return _by_code(smtp, key, first.code, first.message)
    except aiosmtplib.SMTPResponseException as exc:
        problem = _configuration_error(exc, settings)
        if problem is not None:
            raise problem from exc
        return _by_code(smtp, key, exc.code, exc.message)
    except _CONNECTION_ERRORS as exc:
        smtp.close()
        return SendResult(key, SendOutcome.TRANSIENT, _short(f"connection lost: {exc}"))
    except (aiosmtplib.SMTPNotSupported, ValueError) as exc:
        # The message itself cannot be sent as it is (no recipient, a non-ASCII address the server won't take).
        return SendResult(key, SendOutcome.PERMANENT, _short(str(exc)))
    except aiosmtplib.SMTPException as exc:
        smtp.close()
        return SendResult(key, SendOutcome.TRANSIENT, _short(f"SMTP error: {exc}"))
    if refused:
        worst = next(iter(refused.values()))
        return SendResult(
            key, SendOutcome.PERMANENT, _short(f"{worst.code} {worst.message} ({len(refused)} recipient(s) refused)")
        )
    return SendResult(key, SendOutcome.SENT, _short(f"250 {reply}"))


def _flatten(message: EmailMessage) -> bytes | None:
    """Raati's own messages flattened cheaply (the same bytes as send_message's generator); None for others."""
    try:
        return wire_bytes(message)
    except ValueError:  # a message of another shape, or with 8-bit content: aiosmtplib flattens it
        return None


def _bare_recipient(message: EmailMessage) -> str | None:
    """The To address when it is a plain ASCII address (as Raati's mail has); None leaves it to aiosmtplib."""
    to = message.get("To")
    if isinstance(to, AddressHeader) and len(to.addresses) == 1:
        to = to.addresses[0].addr_spec
    return to if isinstance(to, str) and to.isascii() and _PLAIN_ADDRESS.match(to) else None


def _by_code(smtp: aiosmtplib.SMTP, key: str, code: int, message: str) -> SendResult:
    if code == 421:  # the server is closing the connection
        smtp.close()
    outcome = SendOutcome.PERMANENT if code >= 500 else SendOutcome.TRANSIENT
    return SendResult(key, outcome, _reply(code, message))


@dataclass
class _Batch:
    queue: asyncio.Queue[tuple[int, str, EmailMessage]]
    results: list[SendResult | None]
    on_result: Callable[[SendResult], None] | None
    may_send: Callable[[str], bool] | None = None
    fatal: BaseException | None = None
    connect_error: str = ""

    def record(self, index: int, result: SendResult) -> None:
        self.results[index] = result
        count_result(result)  # Prometheus (notifications/metrics.py)
        if self.on_result is not None:
            self.on_result(result)


class SmtpTransport:
    """Sends batches of messages over a few reused SMTP connections.

    Inside ``async with transport.session():`` the connections stay open from one batch to the
    next (a dispatcher sends batch after batch); outside one, each ``send_all`` closes its own.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._sender = email.utils.parseaddr(settings.sender)[1] or None
        # Built once: loading the system's CA certificates costs about 20 ms, once per batch otherwise.
        self._tls: ssl.SSLContext | None = None
        self._idle: list[aiosmtplib.SMTP] | None = None

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[None]:
        """Keep connections open between ``send_all`` calls; closes them (QUIT) at the end."""
        if self._idle is not None:  # nested: the outer session owns the connections
            yield
            return
        self._idle = []
        try:
            yield
        finally:
            idle, self._idle = self._idle, None
            await asyncio.gather(*(_close(smtp) for smtp in idle), return_exceptions=True)

    async def _context(self) -> ssl.SSLContext | None:
        if self.settings.tls is TlsMode.NONE:
            return None
        if self._tls is None:
            self._tls = await asyncio.to_thread(_tls_context, self.settings)
        return self._tls

    def _reuse(self) -> aiosmtplib.SMTP | None:
        while self._idle:
            smtp = self._idle.pop()
            if smtp.is_connected:
                return smtp
            smtp.close()
        return None

    async def send_all(
        self,
        messages: Sequence[tuple[str, EmailMessage]],
        on_result: Callable[[SendResult], None] | None = None,
        may_send: Callable[[str], bool] | None = None,
    ) -> list[SendResult]:
        """Send every message; ``on_result`` hears each result as it comes; results are in input order.

        ``may_send(key)`` is asked just before each message goes out; False reports it WITHHELD, unsent.
        """
        if not messages:
            return []
        tls_context = await self._context()
        batch = _Batch(queue=asyncio.Queue(), results=[None] * len(messages), on_result=on_result, may_send=may_send)
        for index, (key, message) in enumerate(messages):
            batch.queue.put_nowait((index, key, message))
        workers = min(self.settings.connections, len(messages))
        await asyncio.gather(*(self._work(batch, tls_context) for _ in range(workers)))
        if batch.fatal is not None:
            raise batch.fatal
        while not batch.queue.empty():  # every worker gave up: the server cannot be reached
            index, key, _ = batch.queue.get_nowait()
            batch.record(index, SendResult(key, SendOutcome.TRANSIENT, _short(f"not sent: {batch.connect_error}")))
        return [result for result in batch.results if result is not None]

    async def _work(self, batch: _Batch, tls_context: ssl.SSLContext | None) -> None:
        smtp = self._reuse()
        reused = smtp is not None
        failures = 0
        try:
            while batch.fatal is None and not batch.queue.empty():
                item = batch.queue.get_nowait()
                if smtp is None or not smtp.is_connected:
                    reused = False
                    try:
                        smtp = await _connect(self.settings, tls_context)
                    except _CONNECTION_ERRORS as exc:
                        # Not attempted: another worker may still send it, or it is reported transient.
                        batch.queue.put_nowait(item)
                        batch.connect_error = f"cannot connect to {self.settings.host}:{self.settings.port}: {exc}"
                        return
                index, key, message = item
                if batch.may_send is not None and not batch.may_send(key):
                    batch.record(index, SendResult(key, SendOutcome.WITHHELD, "not sent: the claim on it was lost"))
                    continue
                result = await _send_one(smtp, key, message, sender=self._sender, settings=self.settings)
                if reused and not smtp.is_connected and result.outcome is SendOutcome.TRANSIENT:
                    # The server closed the kept connection while it was idle: not the message's fault.
                    batch.queue.put_nowait(item)
                    reused = False
                    continue
                reused = False
                failures = 0 if smtp.is_connected else failures + 1
                batch.record(index, result)
                if failures >= _FAILURES_BEFORE_GIVING_UP:
                    batch.connect_error = f"the connection failed {failures} times in a row ({result.detail})"
                    return
        except Exception as exc:  # a configuration error, or on_result failed: stop the whole batch
            if batch.fatal is None:
                batch.fatal = exc
        finally:
            if smtp is not None:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    smtp.close()  # no polite QUIT when the caller has given up
                elif self._idle is not None and smtp.is_connected and batch.fatal is None:
                    self._idle.append(smtp)  # the session's next batch goes on over it
                else:
                    await _close(smtp)


async def check_connection(settings: SmtpSettings) -> None:
    """Connect, log in and try a sender as a dispatch would; raise what stands in the way."""
    tls_context = await asyncio.to_thread(_tls_context, settings)
    server = f"{settings.host}:{settings.port}"
    try:
        smtp = await _connect(settings, tls_context)
    except (aiosmtplib.SMTPTimeoutError, TimeoutError) as exc:
        raise ConnectionError(f"The SMTP server {server} did not answer within {settings.timeout:g} s: {exc}") from exc
    except _CONNECTION_ERRORS as exc:
        raise ConnectionError(f"Cannot connect to the SMTP server {server}: {exc}") from exc
    try:
        sender = email.utils.parseaddr(settings.sender)[1]
        await smtp.mail(sender)
        await smtp.rset()
    except aiosmtplib.SMTPResponseException as exc:
        problem = _configuration_error(exc, settings)
        if problem is not None:
            raise problem from exc
        raise ConnectionError(f"The SMTP server {server} answered {_reply(exc.code, exc.message)}") from exc
    except _CONNECTION_ERRORS as exc:
        raise ConnectionError(f"The SMTP server {server} dropped the connection: {exc}") from exc
    finally:
        await _close(smtp)
