"""The event log in SQLAlchemy: append-only, one sequence per aggregate."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from types import MappingProxyType

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from domain.events import Aggregate, Event
from persistence.tables import EventRow, table_of

_EVENTS_OF_AGGREGATE = (
    select(table_of(EventRow))
    .where(
        table_of(EventRow).c.aggregate == bindparam("aggregate"),
        table_of(EventRow).c.aggregate_id == bindparam("aggregate_id"),
    )
    .order_by(table_of(EventRow).c.seq)
)

_INSERT_EVENT = insert(table_of(EventRow))


class SqlAlchemyEventLog:
    def __init__(self, session: Session) -> None:
        self.session = session
        # What this transaction appended, for listeners after the commit.
        self.appended: builtins.list[Event] = []

    def append(self, events: Iterable[Event]) -> None:
        batch = builtins.list(events)
        rows = []
        for event in batch:
            if event.aggregate_id is None:
                raise ValueError("an event must name its aggregate's id before it is stored")
            rows.append(
                {
                    "aggregate": event.aggregate.value,
                    "aggregate_id": event.aggregate_id,
                    "seq": event.seq,
                    "type": event.type,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "actor": event.actor,
                    "text": event.text,
                    "data": dict(event.data),
                    "at": event.at,
                }
            )
        self.session.flush()  # what the ORM holds first (a new aggregate's row), then the events
        if rows:
            # A Core insert: the log is append-only and nothing reads the rows back as objects. One row (an idea
            # change) as a plain execute: an executemany pipeline costs more for a single row.
            self.session.execute(_INSERT_EVENT, rows[0] if len(rows) == 1 else rows)
        self.appended.extend(batch)

    def announce(self, events: Iterable[Event]) -> None:
        """For the listeners after the commit only: not stored."""
        self.appended.extend(events)

    def next_seq(self, aggregate: Aggregate, aggregate_id: int) -> int:
        query = select(func.max(EventRow.seq)).where(
            EventRow.aggregate == aggregate.value, EventRow.aggregate_id == aggregate_id
        )
        return (self.session.scalar(query) or 0) + 1

    def for_aggregate(self, aggregate: Aggregate, aggregate_id: int) -> list[Event]:
        # An idea's timeline is read on every change: a statement built once, Core rows.
        query, params = _EVENTS_OF_AGGREGATE, {"aggregate": aggregate.value, "aggregate_id": aggregate_id}
        return [
            Event(
                aggregate=Aggregate(r.aggregate),
                aggregate_id=r.aggregate_id,
                seq=r.seq,
                type=r.type,
                actor=r.actor,
                at=r.at,
                from_state=r.from_state,
                to_state=r.to_state,
                text=r.text,
                data=MappingProxyType(dict(r.data or {})),
            )
            for r in self.session.execute(query, params)
        ]
