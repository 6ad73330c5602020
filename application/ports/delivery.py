"""What the dispatcher needs from outside: a queue to claim from, a composer to render, a transport to send with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from notifications.outbox import OutboxMessage
from notifications.queue import Claim, ClaimRequest
from notifications.transport import SendResult


class DeliveryQueue(Protocol):
    def claim(self, request: ClaimRequest) -> Claim: ...
    def renew(self, token: str, *, until: datetime) -> set[str]: ...
    def mark_sent(self, ids: Sequence[str], *, token: str, at: datetime, sent_as: str) -> int: ...
    def mark_many_sent(self, emails: Sequence[tuple[Sequence[str], str]], *, token: str, at: datetime) -> int: ...
    def mark_retry(self, ids: Sequence[str], *, token: str, next_attempt_at: datetime, error: str) -> int: ...
    def mark_failed(self, ids: Sequence[str], *, token: str, error: str) -> int: ...
    def release(self, ids: Sequence[str], *, token: str) -> int: ...
    def counts(self) -> dict[str, int]: ...
    def retry_failed(self, ids: Sequence[str] | None, *, now: datetime) -> int: ...


class Composer(Protocol):
    """Renders an email into a MIME message; the Message-ID follows from the email's id (``key``)."""

    def compose(
        self, kind: str, rows: Sequence[OutboxMessage], *, key: str, date: datetime | None = None
    ) -> EmailMessage: ...
    def message_id(self, key: str) -> str: ...


class Transport(Protocol):
    def session(self) -> AbstractAsyncContextManager[None]:
        """Connections may stay open between ``send_all`` calls made inside it."""
        ...

    async def send_all(
        self,
        messages: Sequence[tuple[str, EmailMessage]],
        on_result: Callable[[SendResult], None] | None = None,
        may_send: Callable[[str], bool] | None = None,
    ) -> list[SendResult]:
        """``may_send(key)`` is asked just before each message is sent; False reports it WITHHELD, unsent."""
        ...
