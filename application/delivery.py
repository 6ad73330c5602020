"""Draining the outbox: claim due rows, group them into emails, send, and record each outcome.

A result is recorded as soon as its send completes (in small batches), so a dispatcher
killed mid-batch can only repeat the emails that were in flight; those carry the same
Message-ID as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from application.delivery_ports import DeliveryQueue, Transport
from application.ports import Clock
from domain.delivery import RetryRules, next_attempt
from notifications.outbox import OutboxMessage
from notifications.queue import ClaimRequest
from notifications.transport import SendOutcome, SendResult

COALESCING_KINDS = ("idea_update",)


@dataclass(frozen=True)
class Envelope:
    """One email: a single row, or every pending idea update for one member."""

    key: str
    kind: str
    rows: tuple[OutboxMessage, ...]

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rows]


class Composer(Protocol):
    """Renders an envelope into a MIME message; the Message-ID follows from the envelope's key."""

    def compose(self, kind: str, rows: Sequence[OutboxMessage], *, key: str) -> EmailMessage: ...
    def message_id(self, key: str) -> str: ...


@dataclass(frozen=True)
class DispatchRules:
    batch_size: int
    lease: timedelta
    coalesce: timedelta
    digest: timedelta
    retry: RetryRules
    # Outcomes are written at least this often, so a kill repeats little.
    mark_every: int = 20
    mark_interval: float = 0.05


@dataclass
class DispatchReport:
    emails: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost_leases: int = 0
    batches: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def note_error(self, detail: str) -> None:
        reason = detail[:120]
        self.errors[reason] = self.errors.get(reason, 0) + 1


def envelopes(rows: Sequence[OutboxMessage], digest_recipients: frozenset[int]) -> list[Envelope]:
    """Group claimed rows into emails; a coalesced email is keyed by its oldest row."""
    grouped: dict[tuple[str, int], list[OutboxMessage]] = {}
    result: list[Envelope] = []
    for row in sorted(rows, key=lambda r: (r.created_at, r.id)):
        if row.kind in COALESCING_KINDS:
            grouped.setdefault((row.recipient_kind.value, row.recipient_id), []).append(row)
        else:
            result.append(Envelope(key=row.id, kind=row.kind, rows=(row,)))
    for (_, recipient), members_rows in grouped.items():
        kind = "digest" if recipient in digest_recipients else members_rows[0].kind
        result.append(Envelope(key=members_rows[0].id, kind=kind, rows=tuple(members_rows)))
    return result


class _Recorder:
    """Writes send outcomes back to the queue in small, frequent transactions."""

    def __init__(
        self,
        *,
        queue: DeliveryQueue,
        token: str,
        clock: Clock,
        rules: DispatchRules,
        by_key: dict[str, Envelope],
        composer: Composer,
        jitter: Callable[[], float],
        report: DispatchReport,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.queue, self.token, self.clock, self.rules = queue, token, clock, rules
        self.by_key, self.composer, self.jitter, self.report = by_key, composer, jitter, report
        self.progress = progress
        self.pending: list[SendResult] = []
        self.recorded: set[str] = set()  # keys of the emails with an outcome
        self.last_flush = time.monotonic()

    def add(self, result: SendResult) -> None:
        self.pending.append(result)
        self.recorded.add(result.key)
        due = time.monotonic() - self.last_flush >= self.rules.mark_interval
        if len(self.pending) >= self.rules.mark_every or due:
            self.flush()

    def flush(self) -> None:
        results, self.pending = self.pending, []
        self.last_flush = time.monotonic()
        if not results:
            return
        now = self.clock.now()
        sent = [self.by_key[r.key] for r in results if r.outcome is SendOutcome.SENT]
        if sent:  # every sent email of this flush in one transaction
            emails = [(envelope.ids, self.composer.message_id(envelope.key)) for envelope in sent]
            done = self.queue.mark_many_sent(emails, token=self.token, at=now)
            self.report.emails += len(sent)
            self.report.sent += done
            self.report.lost_leases += sum(len(envelope.rows) for envelope in sent) - done
        for result in results:
            if result.outcome is not SendOutcome.SENT:
                self._record_unsent(result, now)
        if self.progress:
            for result in results:
                self.progress(len(self.by_key[result.key].rows))

    def _record_unsent(self, result: SendResult, now: datetime) -> None:
        envelope = self.by_key[result.key]
        ids = envelope.ids
        self.report.note_error(result.detail)
        retry_at = None
        if result.outcome is SendOutcome.TRANSIENT:
            oldest = min(r.created_at for r in envelope.rows)
            attempts = max(r.attempts for r in envelope.rows) + 1
            retry_at = next_attempt(
                attempts=attempts, created_at=oldest, now=now, rules=self.rules.retry, jitter=self.jitter()
            )
        if retry_at is not None:
            self.report.retried += self.queue.mark_retry(
                ids, token=self.token, next_attempt_at=retry_at, error=result.detail
            )
        else:
            reason = result.detail if result.outcome is SendOutcome.PERMANENT else f"gave up: {result.detail}"
            self.report.failed += self.queue.mark_failed(ids, token=self.token, error=reason)


@dataclass
class _Prepared:
    """A claimed batch, rendered: what goes to the transport, and the envelope behind each message."""

    token: str
    by_key: dict[str, Envelope] = field(default_factory=dict)
    messages: list[tuple[str, EmailMessage]] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return [row_id for envelope in self.by_key.values() for row_id in envelope.ids]


# Rendering yields to the event loop this often, so that the batch on its way keeps its connections busy.
_YIELD_EVERY = 8


async def _prepare(
    *, queue: DeliveryQueue, composer: Composer, clock: Clock, rules: DispatchRules, report: DispatchReport
) -> _Prepared | None:
    """Claim the next due rows and render them into messages; None when nothing is due."""
    prepared = _Prepared(token=str(uuid.uuid4()))
    claim = queue.claim(
        ClaimRequest(
            now=clock.now(),
            limit=rules.batch_size,
            lease=rules.lease,
            coalesce=rules.coalesce,
            digest=rules.digest,
            token=prepared.token,
            coalescing_kinds=COALESCING_KINDS,
        )
    )
    if not claim.rows:
        return None
    report.batches += 1
    for number, envelope in enumerate(envelopes(claim.rows, claim.digest_recipients), start=1):
        try:
            message = composer.compose(envelope.kind, envelope.rows, key=envelope.key)
        except Exception as error:  # a message that cannot be rendered will never send
            detail = f"cannot render {envelope.kind}: {type(error).__name__}: {error}"
            report.note_error(detail)
            report.failed += queue.mark_failed(envelope.ids, token=prepared.token, error=detail)
            continue
        prepared.by_key[envelope.key] = envelope
        prepared.messages.append((envelope.key, message))
        if number % _YIELD_EVERY == 0:
            await asyncio.sleep(0)
    return prepared


async def dispatch(
    *,
    queue: DeliveryQueue,
    transport: Transport,
    composer: Composer,
    clock: Clock,
    rules: DispatchRules,
    jitter: Callable[[], float],
    max_batches: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DispatchReport:
    """Send everything that is due now, batch after batch, until nothing due is left.

    The next batch is claimed and rendered while the one before is being sent, over connections kept
    open for the whole run.
    """
    report = DispatchReport()
    async with transport.session():

        def more() -> bool:
            return max_batches is None or report.batches < max_batches

        def prepare() -> Coroutine[Any, Any, _Prepared | None]:
            return _prepare(queue=queue, composer=composer, clock=clock, rules=rules, report=report)

        batch = await prepare() if more() else None
        while batch is not None:
            recorder = _Recorder(
                queue=queue,
                token=batch.token,
                clock=clock,
                rules=rules,
                by_key=batch.by_key,
                composer=composer,
                jitter=jitter,
                report=report,
                progress=progress,
            )
            sending = asyncio.ensure_future(transport.send_all(batch.messages, on_result=recorder.add))
            upcoming: _Prepared | None = None
            try:
                if more():
                    upcoming = await prepare()
                await sending
            except BaseException:
                sending.cancel()  # the caller gave up, or the next batch could not be prepared
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await sending
                # What was claimed and has no outcome goes back at once, not when its lease runs out: after a
                # configuration error is fixed, or for another dispatcher.
                unsent = [i for key, env in batch.by_key.items() if key not in recorder.recorded for i in env.ids]
                queue.release(unsent, token=batch.token)
                if upcoming is not None:
                    queue.release(upcoming.ids, token=upcoming.token)
                raise
            finally:
                recorder.flush()
            batch = upcoming
    return report
