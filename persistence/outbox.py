"""The outbox in SQLAlchemy: rows written with the change that caused them (COPY on PostgreSQL), read back
for health and status."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind
from persistence.tables import OutboxRow


class SqlAlchemyOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        rows = [_outbox_values(m) for m in messages]
        connection = self.session.connection()  # the unit of work's transaction
        if connection.dialect.name == "postgresql":
            self.session.flush()  # what the ORM holds goes first (a new panel the rows would refer to)
            _copy_outbox(connection.connection.driver_connection, rows)
            return
        # One Core executemany (a compiled statement from the cache, the rows in one pipeline): cheaper than
        # ORM objects and a flush, and than a multi-VALUES statement compiled anew for every row count.
        self.session.execute(insert(cast(Table, OutboxRow.__table__)), rows)

    def add_new(self, messages: Sequence[OutboxMessage]) -> int:
        """Add the rows whose ids are not in the outbox yet; returns how many were new.

        Ids are derived from (kind, item, period, recipient), so a flow that runs twice for
        the same moment queues nothing twice: the primary key refuses the second copy, also
        when two runs race (INSERT … ON CONFLICT DO NOTHING).
        """
        if not messages:
            return 0
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(OutboxRow)
            .values([_outbox_values(m) for m in messages])
            .on_conflict_do_nothing(index_elements=["id"])
            # Count the inserted ids: SQLAlchemy reports an INSERT's rowcount as -1 on psycopg.
            .returning(OutboxRow.id)
        )
        inserted = len(self.session.execute(statement).all())
        self.session.flush()
        return inserted

    def cancel_pending_for(self, recipient_kind: RecipientKind, recipient_id: int, *, reason: str) -> int:
        """Cancel the recipient's undelivered rows (for example when a member unsubscribes)."""
        result = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.recipient_kind == recipient_kind.value,
                OutboxRow.recipient_id == recipient_id,
                OutboxRow.status == OutboxStatus.PENDING.value,
            )
            .values(status=OutboxStatus.CANCELLED.value, last_error=reason, claimed_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count_by_status(self, *, panel_ids: Collection[int] | None = None) -> dict[OutboxStatus, int]:
        query = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        if panel_ids is not None:
            query = query.where(OutboxRow.panel_id.in_(sorted(panel_ids)))
        counts = dict.fromkeys(OutboxStatus, 0)
        for status, count in self.session.execute(query):
            counts[OutboxStatus(status)] = int(count)
        return counts

    def oldest_pending_at(self, *, panel_ids: Collection[int] | None = None) -> datetime | None:
        query = select(func.min(OutboxRow.created_at)).where(OutboxRow.status == OutboxStatus.PENDING.value)
        if panel_ids is not None:
            query = query.where(OutboxRow.panel_id.in_(sorted(panel_ids)))
        return self.session.scalar(query)

    def language_of(self, message_id: str) -> str | None:
        return self.session.scalar(select(OutboxRow.language).where(OutboxRow.id == message_id))

    def newest_failed(self, *, panel_ids: Collection[int] | None = None, limit: int) -> list[OutboxMessage]:
        query = (
            select(OutboxRow)
            .where(OutboxRow.status == OutboxStatus.FAILED.value)
            .order_by(OutboxRow.created_at.desc(), OutboxRow.recipient_kind, OutboxRow.email)
            .limit(limit)
        )
        if panel_ids is not None:
            query = query.where(OutboxRow.panel_id.in_(sorted(panel_ids)))
        return [outbox_message(r) for r in self.session.scalars(query)]

    def failure_reasons(self, *, panel_ids: Collection[int] | None = None) -> list[tuple[str, int]]:
        reason = func.coalesce(OutboxRow.last_error, "")
        query = (
            select(reason, func.count())
            .where(OutboxRow.status == OutboxStatus.FAILED.value)
            .group_by(reason)
            .order_by(func.count().desc(), reason)
        )
        if panel_ids is not None:
            query = query.where(OutboxRow.panel_id.in_(sorted(panel_ids)))
        return [(text, int(count)) for text, count in self.session.execute(query)]

    def list(self, *, status: OutboxStatus | None = None) -> list[OutboxMessage]:
        query = select(OutboxRow).order_by(OutboxRow.created_at, OutboxRow.recipient_kind, OutboxRow.email)
        if status is not None:
            query = query.where(OutboxRow.status == status.value)
        return [outbox_message(r) for r in self.session.scalars(query)]

    def retry_failed(self, ids: Sequence[str] | None, *, panel_ids: Collection[int] | None, now: datetime) -> int:
        return requeue_failed(self.session, ids, panel_ids=panel_ids, now=now)


def requeue_failed(
    session: Session, ids: Sequence[str] | None, *, panel_ids: Collection[int] | None, now: datetime
) -> int:
    """Put failed rows back in the queue (all of them when ``ids`` is None; of these panels when ``panel_ids`` is
    given), attempts reset. A row goes back with every other row of its email, so the retry is the same email.

    The one implementation behind ``raati outbox retry``, the outbox page and the delivery queue's retry."""
    if ids is not None and not ids:
        return 0
    # A row whose body was removed (retention, erasure) has nothing left to send.
    failed = (OutboxRow.status == OutboxStatus.FAILED.value, OutboxRow.purged_at.is_(None))
    query = update(OutboxRow).where(*failed)
    if panel_ids is not None:
        query = query.where(OutboxRow.panel_id.in_(sorted(panel_ids)))
    if ids is not None:
        emails = select(OutboxRow.email_id).where(OutboxRow.id.in_(list(ids)), OutboxRow.email_id.is_not(None))
        query = query.where(or_(OutboxRow.id.in_(list(ids)), OutboxRow.email_id.in_(emails)))
    result = session.execute(
        query.values(
            status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=now, claimed_until=None, claim_token=None
        ).execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def outbox_message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        kind=row.kind,
        recipient_kind=RecipientKind(row.recipient_kind),
        recipient_id=row.recipient_id,
        email=row.email,
        language=row.language,
        payload=dict(row.payload),
        created_at=row.created_at,
        panel_id=row.panel_id,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        sent_at=row.sent_at,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        sent_as=row.sent_as,
        email_id=row.email_id,
        email_kind=row.email_kind,
        email_at=row.email_at,
    )


_OUTBOX_COPY = (
    "COPY outbox (id, kind, recipient_kind, recipient_id, email, language, payload, panel_id, status, attempts, "
    "created_at, next_attempt_at) FROM STDIN"
)


def _copy_outbox(driver_connection: Any, rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL: the rows of a change (one per member) by COPY on the transaction's own connection, so they
    commit or roll back with it; measured 0.5 -> 0.3 ms of CPU for 15 rows against an executemany, and one
    statement for the server instead of fifteen. No column types apply here: the UTC rule is checked by hand."""
    with driver_connection.cursor() as cursor, cursor.copy(_OUTBOX_COPY) as copy:
        for row in rows:
            if row["created_at"].tzinfo is None or row["next_attempt_at"].tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            copy.write_row((
                row["id"], row["kind"], row["recipient_kind"], row["recipient_id"], row["email"], row["language"],
                json.dumps(row["payload"]), row["panel_id"], row["status"], row["attempts"], row["created_at"],
                row["next_attempt_at"],
            ))  # fmt: skip


def _outbox_values(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "recipient_kind": m.recipient_kind.value,
        "recipient_id": m.recipient_id,
        "email": m.email,
        "language": m.language,
        "payload": m.payload,
        "panel_id": m.panel_id,
        "status": m.status.value,
        "attempts": m.attempts,
        "created_at": m.created_at,
        "next_attempt_at": m.next_attempt_at or m.created_at,
    }
