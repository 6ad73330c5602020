"""The outbox as a delivery queue: claim due rows under a lease, then mark what became of them.

Several dispatchers may run at once. PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``;
SQLite serialises writers (``BEGIN IMMEDIATE``). On both, a claim is a lease: a
dispatcher that dies leaves rows whose lease runs out and which are then claimed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from notifications.outbox import OutboxStatus, RecipientKind
from notifications.queue import Claim, ClaimRequest, QueueStats
from persistence.repositories import outbox_message
from persistence.tables import MemberRow, OutboxRow

PENDING = OutboxStatus.PENDING.value
_Query = TypeVar("_Query", bound=Select)  # type: ignore[type-arg]
_OUTBOX = cast(Table, OutboxRow.__table__)
# One sent row, only if this dispatcher still holds it (Core, so that a list of parameters is an executemany).
_MARK_ONE_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.claim_token == bindparam("token"))
    .values(
        status=OutboxStatus.SENT.value,
        attempts=_OUTBOX.c.attempts + 1,
        claimed_until=None,
        claim_token=None,
        sent_at=bindparam("sent_at"),
        sent_as=bindparam("sent_as"),
        last_error=None,
    )
)


class SqlAlchemyDeliveryQueue:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    # --- claiming ---------------------------------------------------------------------

    def claim(self, request: ClaimRequest) -> Claim:
        now = request.now
        with self._sessions.begin() as session:
            lease_free = or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)
            pending = and_(OutboxRow.status == PENDING, lease_free)
            coalescing = OutboxRow.kind.in_(request.coalescing_kinds)
            singles = select(OutboxRow.id).where(pending, ~coalescing, OutboxRow.next_attempt_at <= now)
            ids = list(session.scalars(self._lock(session, singles.order_by(OutboxRow.next_attempt_at))
                                       .limit(request.limit)))  # fmt: skip
            digest: set[int] = set()
            room = request.limit - len(ids)
            for delivery, window in (("immediate", request.coalesce), ("digest", request.digest)):
                if room <= 0:
                    break
                # Candidates beyond ``room``: on PostgreSQL another dispatcher may be claiming some of
                # them right now (their rows are skipped below), and the others must still be taken.
                candidates = list(
                    session.scalars(
                        select(OutboxRow.recipient_id)
                        .join(MemberRow, MemberRow.id == OutboxRow.recipient_id)
                        .where(pending, coalescing, OutboxRow.recipient_kind == RecipientKind.MEMBER.value)
                        .where(MemberRow.delivery == delivery)
                        .group_by(OutboxRow.recipient_id)
                        .having(func.min(OutboxRow.created_at) <= now - window)
                        .having(func.max(OutboxRow.next_attempt_at) <= now)
                        .order_by(func.min(OutboxRow.created_at))
                        .limit(room * 4)
                    )
                )
                if not candidates:
                    continue
                grouped = select(OutboxRow.id, OutboxRow.recipient_id).where(
                    pending,
                    coalescing,
                    OutboxRow.recipient_kind == RecipientKind.MEMBER.value,
                    OutboxRow.recipient_id.in_(candidates),
                )
                locked: dict[int, list[str]] = {}
                for row_id, recipient in session.execute(self._lock(session, grouped)):
                    locked.setdefault(recipient, []).append(row_id)
                taken = [r for r in candidates if r in locked][:room]
                for recipient in taken:
                    ids.extend(locked[recipient])
                if delivery == "digest":
                    digest.update(taken)
                room -= len(taken)
            if not ids:
                return Claim(rows=[], digest_recipients=frozenset())
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids))
                .values(claimed_until=now + request.lease, claim_token=request.token)
                .execution_options(synchronize_session=False)
            )
            rows = session.scalars(
                select(OutboxRow).where(OutboxRow.claim_token == request.token).order_by(OutboxRow.created_at)
            )
            return Claim(rows=[outbox_message(r) for r in rows], digest_recipients=frozenset(digest))

    @staticmethod
    def _lock(session: Session, query: _Query) -> _Query:
        if session.get_bind().dialect.name == "postgresql":
            return query.with_for_update(skip_locked=True, of=OutboxRow)
        return query

    # --- outcomes -----------------------------------------------------------------------

    def mark_sent(self, ids: Sequence[str], *, token: str, at: datetime, sent_as: str) -> int:
        return self._finish(ids, token, status=OutboxStatus.SENT, sent_at=at, sent_as=sent_as, last_error=None)

    def mark_many_sent(self, emails: Sequence[tuple[Sequence[str], str]], *, token: str, at: datetime) -> int:
        """``mark_sent`` for several emails (each its rows and its Message-ID) in one transaction.

        One statement executed for every row (``executemany``): its compiled form is cached, so a
        flush costs one round of parameters, not one statement per email.
        """
        params = [
            {"row_id": row_id, "token": token, "sent_at": at, "sent_as": message_id}
            for ids, message_id in emails
            for row_id in ids
        ]
        if not params:
            return 0
        with self._sessions.begin() as session:
            result = session.connection().execute(_MARK_ONE_SENT, params)
            return int(result.rowcount)

    def mark_retry(self, ids: Sequence[str], *, token: str, next_attempt_at: datetime, error: str) -> int:
        return self._finish(ids, token, status=OutboxStatus.PENDING, next_attempt_at=next_attempt_at, last_error=error)

    def mark_failed(self, ids: Sequence[str], *, token: str, error: str) -> int:
        return self._finish(ids, token, status=OutboxStatus.FAILED, last_error=error)

    def release(self, ids: Sequence[str], *, token: str) -> int:
        """Give rows back unattempted (for example when a dispatcher is stopped)."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(ids)), OutboxRow.claim_token == token)
                .values(claimed_until=None, claim_token=None)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def _finish(self, ids: Sequence[str], token: str, *, status: OutboxStatus, **values: Any) -> int:
        """Record an attempt's outcome, only for rows this dispatcher still holds."""
        if not ids:
            return 0
        with self._sessions.begin() as session:
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(ids)), OutboxRow.claim_token == token)
                .values(
                    status=status.value,
                    attempts=OutboxRow.attempts + 1,
                    claimed_until=None,
                    claim_token=None,
                    **values,
                )
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    # --- operators' view ------------------------------------------------------------------

    def stats(self, *, failed_limit: int = 50) -> QueueStats:
        with self._sessions() as session:
            counts = dict(session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all())
            oldest = session.scalar(select(func.min(OutboxRow.created_at)).where(OutboxRow.status == PENDING))
            failed = session.scalars(
                select(OutboxRow)
                .where(OutboxRow.status == OutboxStatus.FAILED.value)
                .order_by(OutboxRow.created_at.desc())
                .limit(failed_limit)
            )
            return QueueStats(
                counts={s.value: int(counts.get(s.value, 0)) for s in OutboxStatus},
                oldest_pending=oldest,
                failed=[outbox_message(r) for r in failed],
            )

    def retry_failed(self, ids: Sequence[str] | None, *, now: datetime) -> int:
        """Put failed rows back in the queue (all of them when ``ids`` is None), attempts reset."""
        with self._sessions.begin() as session:
            # A row whose body was removed (retention, erasure) has nothing left to send.
            failed = (OutboxRow.status == OutboxStatus.FAILED.value, OutboxRow.purged_at.is_(None))
            query = update(OutboxRow).where(*failed)
            if ids is not None:
                query = query.where(OutboxRow.id.in_(list(ids)))
            result = session.execute(
                query.values(
                    status=PENDING, attempts=0, next_attempt_at=now, claimed_until=None, claim_token=None
                ).execution_options(synchronize_session=False)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def next_due(self, *, now: datetime, coalesce: timedelta) -> datetime | None:
        """When the next pending row becomes due (ignoring digests), or None if none is waiting.

        The event-woken dispatcher uses it to wait out a short coalescing window instead of
        leaving the rows to the next scheduled run.
        """
        with self._sessions() as session:
            lease_free = or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)
            waiting = and_(OutboxRow.status == PENDING, lease_free)
            single = session.scalar(
                select(func.min(OutboxRow.next_attempt_at)).where(waiting, OutboxRow.kind != "idea_update")
            )
            grouped = session.scalar(
                select(func.min(OutboxRow.created_at))
                .join(MemberRow, MemberRow.id == OutboxRow.recipient_id)
                .where(waiting, OutboxRow.kind == "idea_update", MemberRow.delivery == "immediate")
            )
            candidates = [t for t in (single, grouped + coalesce if grouped else None) if t is not None]
            return min(candidates) if candidates else None
