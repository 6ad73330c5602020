"""Draining the outbox: claim due emails, send them, and record each outcome.

The queue records every email (its rows, kind and Date) when it claims them, so an email repeated
after a crash is the same email under the same Message-ID. A result is recorded as soon as its send
completes (in small batches), so a dispatcher killed mid-batch repeats only what was in flight. The
claims are renewed while their batches wait and send, and an email whose claim was lost is not sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from application.ports.delivery import Composer, DeliveryQueue, Transport
from application.ports.unit_of_work import Clock
from domain.delivery import RetryRules, next_attempt
from notifications import kinds
from notifications.queue import ClaimRequest, Email
from notifications.transport import SendOutcome, SendResult

COALESCING_KINDS = (kinds.IDEA_UPDATE,)


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


class _Recorder:
    """Writes send outcomes back to the queue in small, frequent transactions."""

    def __init__(
        self,
        *,
        batch: _Batch,
        queue: DeliveryQueue,
        clock: Clock,
        rules: DispatchRules,
        composer: Composer,
        jitter: Callable[[], float],
        report: DispatchReport,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.batch, self.token, self.by_key = batch, batch.token, batch.by_key
        self.queue, self.clock, self.rules = queue, clock, rules
        self.composer, self.jitter, self.report = composer, jitter, report
        self.progress = progress
        self.pending: list[SendResult] = []
        self.last_flush = time.monotonic()

    def add(self, result: SendResult) -> None:
        self.batch.done.add(result.key)
        if result.outcome is SendOutcome.WITHHELD:  # another dispatcher holds it now: nothing of ours to write
            self.report.lost_leases += len(self.by_key[result.key].rows)
            return
        self.pending.append(result)
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
            emails = [(email.row_ids, self.composer.message_id(email.id)) for email in sent]
            done = self.queue.mark_many_sent(emails, token=self.token, at=now)
            self.report.emails += len(sent)
            self.report.sent += done
            self.report.lost_leases += sum(len(email.rows) for email in sent) - done
        for result in results:
            if result.outcome is not SendOutcome.SENT:
                self._record_unsent(result, now)
        if self.progress:
            for result in results:
                self.progress(len(self.by_key[result.key].rows))

    def _record_unsent(self, result: SendResult, now: datetime) -> None:
        email = self.by_key[result.key]
        ids = email.row_ids
        self.report.note_error(result.detail)
        retry_at = None
        if result.outcome is SendOutcome.TRANSIENT:
            oldest = min(r.created_at for r in email.rows)
            attempts = max(r.attempts for r in email.rows) + 1
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


# A claim is renewed this many times per lease, and counted as holding for this share of a lease after a
# renewal: a send never starts on a claim that may already have run out.
_RENEWALS_PER_LEASE = 3
_TRUSTED_SHARE = 0.8


@dataclass
class _Batch:
    """A claimed batch, rendered: what goes to the transport, the email behind each message, and its claim."""

    token: str
    held_until: float  # time.monotonic() until which the claim surely holds
    by_key: dict[str, Email] = field(default_factory=dict)
    messages: list[tuple[str, EmailMessage]] = field(default_factory=list)
    lost: set[str] = field(default_factory=set)  # emails another dispatcher has taken over
    done: set[str] = field(default_factory=set)  # emails with an outcome (sent, refused, withheld)

    @property
    def ids(self) -> list[str]:
        return [row_id for email in self.by_key.values() for row_id in email.row_ids]

    def may_send(self, key: str) -> bool:
        """Asked before each send: only while the claim on this email is known to hold."""
        return key not in self.lost and time.monotonic() < self.held_until


def _trusted_until(started: float, lease: timedelta) -> float:
    return started + lease.total_seconds() * _TRUSTED_SHARE


async def _keep_claims(held: dict[str, _Batch], *, queue: DeliveryQueue, clock: Clock, lease: timedelta) -> None:
    """Renew the claim of every batch this dispatcher holds, and notice an email that was taken over."""
    while True:
        await asyncio.sleep(max(lease.total_seconds() / _RENEWALS_PER_LEASE, 0.01))
        for batch in list(held.values()):
            started = time.monotonic()
            try:
                still = queue.renew(batch.token, until=clock.now() + lease)
            except Exception:  # the database is out of reach: the claim runs out and the batch stops sending
                continue
            batch.held_until = _trusted_until(started, lease)
            for key, email in batch.by_key.items():
                if key not in batch.done and not still.issuperset(email.row_ids):
                    batch.lost.add(key)


# Rendering yields to the event loop this often, so that the batch on its way keeps its connections busy.
_YIELD_EVERY = 8


async def _prepare(
    *, queue: DeliveryQueue, composer: Composer, clock: Clock, rules: DispatchRules, report: DispatchReport
) -> _Batch | None:
    """Claim the next due emails and render them into messages; None when nothing is due."""
    token = str(uuid.uuid4())
    started = time.monotonic()
    claim = queue.claim(
        ClaimRequest(
            now=clock.now(),
            limit=rules.batch_size,
            lease=rules.lease,
            coalesce=rules.coalesce,
            digest=rules.digest,
            token=token,
            coalescing_kinds=COALESCING_KINDS,
        )
    )
    if not claim.emails:
        return None
    batch = _Batch(token=token, held_until=_trusted_until(started, rules.lease))
    report.batches += 1
    for number, email in enumerate(claim.emails, start=1):
        try:
            message = composer.compose(email.kind, email.rows, key=email.id, date=email.at)
        except Exception as error:  # a message that cannot be rendered will never send
            detail = f"cannot render {email.kind}: {type(error).__name__}: {error}"
            report.note_error(detail)
            report.failed += queue.mark_failed(email.row_ids, token=token, error=detail)
            continue
        batch.by_key[email.id] = email
        batch.messages.append((email.id, message))
        if number % _YIELD_EVERY == 0:
            await asyncio.sleep(0)
    return batch


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
    open for the whole run; the claims of both are renewed until their emails have an outcome.
    """
    report = DispatchReport()
    held: dict[str, _Batch] = {}

    def more() -> bool:
        return max_batches is None or report.batches < max_batches

    async def prepare() -> _Batch | None:
        batch = await _prepare(queue=queue, composer=composer, clock=clock, rules=rules, report=report)
        if batch is not None:
            held[batch.token] = batch
        return batch

    async with transport.session():
        keeper = asyncio.create_task(_keep_claims(held, queue=queue, clock=clock, lease=rules.lease))
        try:
            batch = await prepare() if more() else None
            while batch is not None:
                batch = await _send_batch(
                    batch,
                    next_batch=prepare if more() else None,
                    recorder=_Recorder(
                        batch=batch,
                        queue=queue,
                        clock=clock,
                        rules=rules,
                        composer=composer,
                        jitter=jitter,
                        report=report,
                        progress=progress,
                    ),
                    transport=transport,
                    queue=queue,
                    held=held,
                )
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
    return report


async def _send_batch(
    batch: _Batch,
    *,
    next_batch: Callable[[], Coroutine[Any, Any, _Batch | None]] | None,
    recorder: _Recorder,
    transport: Transport,
    queue: DeliveryQueue,
    held: dict[str, _Batch],
) -> _Batch | None:
    """Send one batch while the next is claimed and rendered; the next batch, if there is one."""

    sending = asyncio.ensure_future(transport.send_all(batch.messages, on_result=recorder.add, may_send=batch.may_send))
    upcoming: _Batch | None = None
    try:
        if next_batch is not None:
            upcoming = await next_batch()
        await sending
    except BaseException:
        sending.cancel()  # the caller gave up, or the next batch could not be prepared
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await sending
        # What was claimed and has no outcome goes back at once, not when its lease runs out: after a
        # configuration error is fixed, or for another dispatcher.
        unsent = [i for key, email in batch.by_key.items() if key not in batch.done for i in email.row_ids]
        queue.release(unsent, token=batch.token)
        if upcoming is not None:
            queue.release(upcoming.ids, token=upcoming.token)
            held.pop(upcoming.token, None)
        raise
    finally:
        recorder.flush()
        held.pop(batch.token, None)
    return upcoming
