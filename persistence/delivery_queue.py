"""The outbox as a delivery queue: claim due rows under a lease, then mark what became of them.

Several dispatchers may run at once. PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``;
SQLite serialises writers (``BEGIN IMMEDIATE``). On both, a claim is a lease: a
dispatcher that dies leaves rows whose lease runs out and which are then claimed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.panels import Delivery
from notifications import kinds
from notifications.outbox import OutboxStatus, RecipientKind
from notifications.queue import Claim, ClaimRequest, plan_emails, recorded_emails
from persistence.outbox import outbox_message, requeue_failed
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
# A newly claimed row: its lease, and the email it goes out in (recorded in the claiming transaction).
_CLAIM_INTO_EMAIL = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row_id"))
    .values(
        claimed_until=bindparam("until"),
        claim_token=bindparam("token"),
        email_id=bindparam("e_id"),
        email_kind=bindparam("e_kind"),
        email_at=bindparam("e_at"),
    )
)


class SqlAlchemyDeliveryQueue:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    # --- claiming ---------------------------------------------------------------------

    def claim(self, request: ClaimRequest) -> Claim:
        """Take the next due emails under a lease; rows new to an email are grouped and recorded here.

        One transaction: the emails are recorded on their rows before anything can be sent, so a repeat of
        any of them is the same email. Emails recorded before come back whole or not at all.
        """
        now = request.now
        with self._sessions.begin() as session:
            lease_free = or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)
            pending = and_(OutboxRow.status == PENDING, lease_free)
            new = OutboxRow.email_id.is_(None)
            ids = self._recorded(session, pending, now=now, limit=request.limit)
            coalescing = OutboxRow.kind.in_(request.coalescing_kinds)
            singles = select(OutboxRow.id).where(pending, new, ~coalescing, OutboxRow.next_attempt_at <= now)
            ids.extend(session.scalars(self._lock(session, singles.order_by(OutboxRow.next_attempt_at))
                                       .limit(max(request.limit - len(ids), 0))))  # fmt: skip
            digest: set[int] = set()
            room = request.limit - len(ids)
            for delivery, window in ((Delivery.IMMEDIATE, request.coalesce), (Delivery.DIGEST, request.digest)):
                if room <= 0:
                    break
                # Candidates beyond ``room``: on PostgreSQL another dispatcher may be claiming some of
                # them right now (their rows are skipped below), and the others must still be taken.
                candidates = list(
                    session.scalars(
                        select(OutboxRow.recipient_id)
                        .join(MemberRow, MemberRow.id == OutboxRow.recipient_id)
                        .where(pending, new, coalescing, OutboxRow.recipient_kind == RecipientKind.MEMBER.value)
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
                    new,
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
                if delivery is Delivery.DIGEST:
                    digest.update(taken)
                room -= len(taken)
            if not ids:
                return Claim(emails=[])
            rows = [
                outbox_message(r)
                for r in session.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids)).order_by(OutboxRow.created_at))
            ]
            until = now + request.lease
            again = [r.id for r in rows if r.email_id is not None]
            if again:
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(again))
                    .values(claimed_until=until, claim_token=request.token)
                    .execution_options(synchronize_session=False)
                )
            planned = plan_emails(
                [r for r in rows if r.email_id is None],
                digest_recipients=frozenset(digest),
                coalescing_kinds=request.coalescing_kinds,
                now=now,
            )
            if planned:  # the claim and the email of each new row, one statement for all (executemany)
                session.connection().execute(
                    _CLAIM_INTO_EMAIL,
                    [
                        {
                            "row_id": row.id,
                            "until": until,
                            "token": request.token,
                            "e_id": email.id,
                            "e_kind": email.kind,
                            "e_at": email.at,
                        }
                        for email in planned
                        for row in email.rows
                    ],
                )
            return Claim(emails=recorded_emails([r for r in rows if r.email_id is not None]) + planned)

    def _recorded(self, session: Session, pending: ColumnElement[bool], *, now: datetime, limit: int) -> list[str]:
        """The rows of due emails recorded before (sent when a dispatcher died, or waiting to be retried).

        Whole emails only: on PostgreSQL another dispatcher may hold some rows of one (they are skipped),
        and then none of its rows is taken. At least one email, however many rows it has.
        """
        recorded = and_(pending, OutboxRow.email_id.is_not(None))
        due = (
            select(OutboxRow.email_id)
            .where(recorded)
            .group_by(OutboxRow.email_id)
            .having(func.max(OutboxRow.next_attempt_at) <= now)
            .order_by(func.min(OutboxRow.next_attempt_at))
            .limit(limit)
        )
        emails = [email for email in session.scalars(due) if email is not None]
        if not emails:
            return []
        rows = select(OutboxRow.id, OutboxRow.email_id).where(recorded, OutboxRow.email_id.in_(emails))
        locked: dict[str, list[str]] = {}
        for row_id, email in session.execute(self._lock(session, rows)):
            if email is not None:
                locked.setdefault(email, []).append(row_id)
        totals: dict[str | None, int] = dict(
            session.execute(
                select(OutboxRow.email_id, func.count())
                .where(OutboxRow.status == PENDING, OutboxRow.email_id.in_(list(locked)))
                .group_by(OutboxRow.email_id)
            ).all()
        )
        ids: list[str] = []
        for email in emails:
            whole = locked.get(email, [])
            if not whole or len(whole) != totals.get(email):
                continue
            if ids and len(ids) + len(whole) > limit:
                break
            ids.extend(whole)
        return ids

    @staticmethod
    def _lock(session: Session, query: _Query) -> _Query:
        if session.get_bind().dialect.name == "postgresql":
            return query.with_for_update(skip_locked=True, of=OutboxRow)
        return query

    def renew(self, token: str, *, until: datetime) -> set[str]:
        """Extend the lease on the rows this dispatcher still holds unsent; the ids of those rows.

        A row missing from the answer has an outcome already, or was taken over after its lease ran out.
        """
        with self._sessions.begin() as session:
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.claim_token == token, OutboxRow.status == PENDING)
                .values(claimed_until=until)
                .returning(OutboxRow.id)
                .execution_options(synchronize_session=False)
            )
            return set(result.scalars())

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

    def counts(self) -> dict[str, int]:
        """Rows per status (every status, zero included)."""
        with self._sessions() as session:
            counts = dict(session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all())
            return {s.value: int(counts.get(s.value, 0)) for s in OutboxStatus}

    def retry_failed(self, ids: Sequence[str] | None, *, now: datetime) -> int:
        """Put failed rows back in the queue (all of them when ``ids`` is None), attempts reset: see
        ``persistence.outbox.requeue_failed``, the one implementation the outbox page uses too."""
        with self._sessions.begin() as session:
            return requeue_failed(session, ids, panel_ids=None, now=now)

    def next_due(self, *, now: datetime, coalesce: timedelta) -> datetime | None:
        """When the next pending row becomes due (ignoring digests), or None if none is waiting.

        The event-woken dispatcher uses it to wait out a short coalescing window instead of
        leaving the rows to the next scheduled run.
        """
        with self._sessions() as session:
            lease_free = or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)
            waiting = and_(OutboxRow.status == PENDING, lease_free)
            coalescing = and_(OutboxRow.kind == kinds.IDEA_UPDATE, OutboxRow.email_id.is_(None))
            single = session.scalar(select(func.min(OutboxRow.next_attempt_at)).where(waiting, ~coalescing))
            grouped = session.scalar(
                select(func.min(OutboxRow.created_at))
                .join(MemberRow, MemberRow.id == OutboxRow.recipient_id)
                .where(waiting, coalescing, MemberRow.delivery == Delivery.IMMEDIATE)
            )
            candidates = [t for t in (single, grouped + coalesce if grouped else None) if t is not None]
            return min(candidates) if candidates else None
