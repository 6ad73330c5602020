"""What the database tells Prometheus: each committed move of an idea (by its target state, with the time the idea
spent in the state it left), and, read at scrape time, the outbox by status and kind and its oldest due row."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from prometheus_client import Counter, Histogram
from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from domain.events import Aggregate, Event, EventType
from domain.panels import Delivery
from notifications import kinds
from notifications.outbox import OutboxStatus, RecipientKind
from persistence.tables import EventRow, MemberRow, OutboxRow

log = logging.getLogger(__name__)

TRANSITIONS = Counter(
    "raati_idea_transitions_total", "Committed moves of an idea, by the state it moved to.", ["to_state"]
)
_HOUR, _DAY = 3600.0, 86400.0
TIME_IN_STATE = Histogram(
    "raati_idea_time_in_state_seconds",
    "For each committed move: how long the idea had been in the state it left.",
    ["from_state", "to_state"],
    buckets=(60, _HOUR, 6 * _HOUR, _DAY, 3 * _DAY, 7 * _DAY, 14 * _DAY, 30 * _DAY, 60 * _DAY, 90 * _DAY, 365 * _DAY),
)


@dataclass(frozen=True)
class Move:
    from_state: str
    to_state: str
    seconds: float | None  # how long the idea had been in ``from_state``; None if that could not be read


def measure_moves(session: Session, events: Iterable[Event]) -> list[Move]:
    """The moves among a transaction's ``events``, each with the time spent in the state it left, read from the log
    inside the same transaction before its commit (one small indexed query per move, no transaction of its own)."""
    moves = []
    for event in events:
        if event.type != EventType.MOVED or event.aggregate is not Aggregate.IDEA or event.aggregate_id is None:
            continue
        seconds = None
        try:
            entered = session.scalar(
                select(EventRow.at)
                .where(
                    EventRow.aggregate == Aggregate.IDEA.value,
                    EventRow.aggregate_id == event.aggregate_id,
                    EventRow.seq < event.seq,
                    or_(EventRow.to_state == event.from_state, EventRow.seq == 1),
                )
                .order_by(EventRow.seq.desc())
                .limit(1)
            )
            if entered is not None:
                seconds = max((_utc(event.at) - _utc(entered)).total_seconds(), 0.0)
        except Exception as error:  # the move itself goes on; only its latency goes unmeasured
            log.warning("time in state not measured: %s", type(error).__name__)
        moves.append(Move(str(event.from_state), str(event.to_state), seconds))
    return moves


def count_moves(moves: Iterable[Move]) -> None:
    """After the commit: only committed moves are counted."""
    for move in moves:
        TRANSITIONS.labels(to_state=move.to_state).inc()
        if move.seconds is not None:
            TIME_IN_STATE.labels(from_state=move.from_state, to_state=move.to_state).observe(move.seconds)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class OutboxStats:
    """The outbox at one moment: rows per (status, kind), and how long its oldest due row has waited (0 if none)."""

    rows: dict[tuple[str, str], int]
    oldest_due_seconds: float


def outbox_stats(engine: Engine, *, now: datetime, coalesce: timedelta) -> OutboxStats:
    """A row is due from its ``next_attempt_at``; a member's idea update not yet in an email waits out the
    coalescing window first (so it is due from ``created_at + coalesce``), and a digest member's waits for the
    digest by design: it is not counted as late."""
    with Session(engine) as session:
        rows = {
            (str(status), str(kind)): int(count)
            for status, kind, count in session.execute(
                select(OutboxRow.status, OutboxRow.kind, func.count()).group_by(OutboxRow.status, OutboxRow.kind)
            )
        }
        pending = OutboxRow.status == OutboxStatus.PENDING.value
        coalescing = and_(OutboxRow.kind == kinds.IDEA_UPDATE, OutboxRow.email_id.is_(None))
        single = session.scalar(
            select(func.min(OutboxRow.next_attempt_at)).where(pending, OutboxRow.next_attempt_at <= now, ~coalescing)
        )
        grouped = session.scalar(
            select(func.min(OutboxRow.created_at))
            .join(MemberRow, MemberRow.id == OutboxRow.recipient_id)
            .where(pending, coalescing, OutboxRow.recipient_kind == RecipientKind.MEMBER.value)
            .where(MemberRow.delivery == Delivery.IMMEDIATE, OutboxRow.created_at <= now - coalesce)
        )
    due = [_utc(single)] if single is not None else []
    if grouped is not None:
        due.append(_utc(grouped) + coalesce)
    oldest = max((_utc(now) - min(due)).total_seconds(), 0.0) if due else 0.0
    return OutboxStats(rows=rows, oldest_due_seconds=oldest)
