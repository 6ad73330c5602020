"""SQLAlchemy repositories: translate between table rows and domain objects."""

from __future__ import annotations

import builtins
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar, cast

from sqlalchemy import Row, Table, bindparam, case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.errors import InvalidValue, NotFound, VersionConflict
from domain.events import Aggregate, Event, EventType
from domain.ideas import OPEN_STATES, Idea, IdeaState
from domain.meetings import DevelopmentTask, Material, Meeting, MeetingStatus, TaskCategory, TaskKind
from domain.panels import Delivery, Member, Panel, Service, StaffUser
from domain.values import Language, Role
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind
from persistence.tables import (
    CoordinatorPanelRow,
    DevelopmentTaskRow,
    EventRow,
    IdeaRow,
    MeetingRow,
    MemberRow,
    OutboxRow,
    PanelRow,
    ServiceRow,
    StaffUserRow,
)


def _as_id(ref: str) -> int | None:
    text = ref.strip()
    # ASCII digits only ("²".isdigit() is true), and within the id column's range; else it is a name.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


# The reads of every idea change (the API's hot path), built once with bound parameters: building a select costs
# about as much CPU as running it (measured 0.25 -> 0.14 ms per query on PostgreSQL).
_IDEA_BY_ID = select(_table(IdeaRow)).where(_table(IdeaRow).c.id == bindparam("idea_id"))
# PostgreSQL waits for a concurrent writer's commit and hands over the row as it then is; SQLite has no row
# locks and needs none (BEGIN IMMEDIATE already runs one writer at a time), and SQLAlchemy leaves the clause out.
_IDEA_BY_ID_FOR_UPDATE = _IDEA_BY_ID.with_for_update()
_MEMBERS_OF_PANEL = (
    select(_table(MemberRow))
    .where(_table(MemberRow).c.panel_id == bindparam("panel_id"))
    .order_by(_table(MemberRow).c.id)
)
_OWNERS_OF_SERVICE = (
    select(_table(StaffUserRow))
    .where(
        _table(StaffUserRow).c.service_id == bindparam("service_id"),
        _table(StaffUserRow).c.role == Role.SERVICE_OWNER.value,
    )
    .order_by(_table(StaffUserRow).c.id)
)
_EVENTS_OF_AGGREGATE = (
    select(_table(EventRow))
    .where(
        _table(EventRow).c.aggregate == bindparam("aggregate"),
        _table(EventRow).c.aggregate_id == bindparam("aggregate_id"),
    )
    .order_by(_table(EventRow).c.seq)
)
_GUARDED_IDEA_UPDATE = (
    update(_table(IdeaRow))
    .where(_table(IdeaRow).c.id == bindparam("idea_id"), _table(IdeaRow).c.version == bindparam("loaded_version"))
    .values(state=bindparam("state"), version=bindparam("version"), service_id=bindparam("service_id"))
)
_INSERT_EVENT = insert(_table(EventRow))

_BY_ID = {model: select(model).where(_table(model).c.id == bindparam("row_id")) for model in (PanelRow, ServiceRow)}
RowT = TypeVar("RowT", PanelRow, ServiceRow)


def _get(session: Session, model: type[RowT], row_id: int) -> RowT | None:
    """``session.get`` (the identity map first) with a statement built once: panels and services are read on every
    idea change; ``session.get`` builds its query anew each time."""
    held = session.identity_map.get(session.identity_key(model, row_id))
    if held is not None:
        return cast(RowT, held)
    return cast("RowT | None", session.scalars(_BY_ID[model], {"row_id": row_id}).one_or_none())


class SqlAlchemyPanels:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The session's identity map holds rows weakly; holding them here lets a second by_id in the same
        # transaction (an idea change reads its panel twice) come from the map instead of the database.
        self._held: builtins.list[PanelRow] = []

    def add(self, panel: Panel) -> Panel:
        row = PanelRow(name=panel.name, lead_days=panel.lead_days, summary_due_days=panel.summary_due_days)
        self.session.add(row)
        self.session.flush()
        panel.id = row.id
        return panel

    def get(self, ref: str) -> Panel:
        panel_id = _as_id(ref)
        if panel_id is not None:
            return self.by_id(panel_id)
        row = self.session.scalar(select(PanelRow).where(func.lower(PanelRow.name) == ref.strip().lower()))
        if row is None:
            raise NotFound("panel", ref)
        return self._panel(row)

    def by_id(self, panel_id: int) -> Panel:
        row = _get(self.session, PanelRow, panel_id)
        if row is None:
            raise NotFound("panel", panel_id)
        self._held.append(row)
        return self._panel(row)

    def list(self) -> list[Panel]:
        return [self._panel(r) for r in self.session.scalars(select(PanelRow).order_by(PanelRow.id))]

    @staticmethod
    def _panel(row: PanelRow) -> Panel:
        return Panel(
            id=row.id,
            name=row.name,
            lead_days=row.lead_days,
            summary_due_days=row.summary_due_days,
            stale_days=row.stale_days,
            progress_note_days=row.progress_note_days,
        )


class SqlAlchemyServices:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._held: builtins.list[ServiceRow] = []

    def add(self, service: Service) -> Service:
        row = ServiceRow(panel_id=service.panel_id, name=service.name)
        self.session.add(row)
        self.session.flush()
        service.id = row.id
        return service

    def get(self, ref: str, *, panel_id: int | None) -> Service:
        service_id = _as_id(ref)
        if service_id is not None:
            service = self.by_id(service_id)
            if panel_id is not None and service.panel_id != panel_id:
                raise InvalidValue("service", f"service {service_id} does not take part in panel {panel_id}")
            return service
        query = select(ServiceRow).where(func.lower(ServiceRow.name) == ref.strip().lower())
        if panel_id is not None:
            query = query.where(ServiceRow.panel_id == panel_id)
        rows = list(self.session.scalars(query))
        if not rows:
            raise NotFound("service", ref)
        if len(rows) > 1:
            raise InvalidValue("service", f"{ref!r} is in several panels; give --panel or the service id")
        return self._service(rows[0])

    def by_id(self, service_id: int) -> Service:
        row = _get(self.session, ServiceRow, service_id)
        if row is None:
            raise NotFound("service", service_id)
        self._held.append(row)  # as in SqlAlchemyPanels.by_id
        return self._service(row)

    def for_panel(self, panel_id: int) -> list[Service]:
        query = select(ServiceRow).where(ServiceRow.panel_id == panel_id).order_by(ServiceRow.id)
        return [self._service(r) for r in self.session.scalars(query)]

    @staticmethod
    def _service(row: ServiceRow) -> Service:
        return Service(id=row.id, panel_id=row.panel_id, name=row.name)


class SqlAlchemyMembers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, member: Member) -> Member:
        row = MemberRow(
            panel_id=member.panel_id,
            name=member.name,
            email=member.email,
            language=member.language.value,
            delivery=member.delivery.value,
            active=member.active,
        )
        self.session.add(row)
        self.session.flush()
        member.id = row.id
        return member

    def get(self, member_id: int) -> Member:
        row = self.session.get(MemberRow, member_id)
        if row is None:
            raise NotFound("member", member_id)
        return self._member(row)

    def save(self, member: Member) -> None:
        row = self.session.get(MemberRow, member.id)
        if row is None:
            raise NotFound("member", member.id)
        row.language = member.language.value
        row.delivery = member.delivery.value
        row.active = member.active
        row.unsubscribed = member.unsubscribed
        self.session.flush()

    def emails_in_panel(self, panel_id: int) -> set[str]:
        query = select(MemberRow.email).where(MemberRow.panel_id == panel_id)
        return {address.casefold() for address in self.session.scalars(query)}

    def active_in_panel(self, panel_id: int) -> list[Member]:
        return [m for m in self.for_panel(panel_id) if m.active]

    def for_panel(self, panel_id: int) -> list[Member]:
        # Read on every idea change (the recipients): a statement built once, Core rows (no identity map).
        return [self._member(r) for r in self.session.execute(_MEMBERS_OF_PANEL, {"panel_id": panel_id})]

    @staticmethod
    def _member(row: MemberRow | Row[Any]) -> Member:
        return Member(
            id=row.id,
            panel_id=row.panel_id,
            name=row.name,
            email=row.email,
            language=Language(row.language),
            delivery=Delivery(row.delivery),
            active=row.active,
            unsubscribed=row.unsubscribed,
        )


class SqlAlchemyUsers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: StaffUser) -> StaffUser:
        row = StaffUserRow(email=user.email, role=user.role.value, service_id=user.service_id)
        self.session.add(row)
        self.session.flush()
        user.id = row.id
        self._set_panels(user)
        return user

    def save(self, user: StaffUser) -> None:
        row = self.session.get(StaffUserRow, user.id)
        if row is None:
            raise NotFound("user", user.email)
        row.role = user.role.value
        row.service_id = user.service_id
        self._set_panels(user)

    def _set_panels(self, user: StaffUser) -> None:
        self.session.execute(delete(CoordinatorPanelRow).where(CoordinatorPanelRow.user_id == user.id))
        for panel_id in sorted(user.panel_ids):
            self.session.add(CoordinatorPanelRow(user_id=user.id, panel_id=panel_id))
        self.session.flush()

    def by_email(self, email: str) -> StaffUser | None:
        row = self.session.scalar(select(StaffUserRow).where(func.lower(StaffUserRow.email) == email.lower()))
        return self._user(row) if row else None

    def coordinators_of(self, panel_id: int) -> list[StaffUser]:
        query = (
            select(StaffUserRow)
            .join(CoordinatorPanelRow, CoordinatorPanelRow.user_id == StaffUserRow.id)
            .where(CoordinatorPanelRow.panel_id == panel_id, StaffUserRow.role == Role.COORDINATOR.value)
            .order_by(StaffUserRow.id)
        )
        return [self._user(r) for r in self.session.scalars(query)]

    def owners_of(self, service_id: int) -> list[StaffUser]:
        # Read on every idea change: a statement built once; owners have no panels, so no further query.
        return [self._user(r) for r in self.session.execute(_OWNERS_OF_SERVICE, {"service_id": service_id})]

    def _user(self, row: StaffUserRow | Row[Any]) -> StaffUser:
        panels: Iterable[int] = ()
        if row.role == Role.COORDINATOR.value:  # only coordinators have panels: no query for the others
            query = select(CoordinatorPanelRow.panel_id).where(CoordinatorPanelRow.user_id == row.id)
            panels = self.session.scalars(query)
        return StaffUser(
            id=row.id, email=row.email, role=Role(row.role), panel_ids=set(panels), service_id=row.service_id
        )


class SqlAlchemyMeetings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, meeting: Meeting) -> Meeting:
        row = MeetingRow(panel_id=meeting.panel_id)
        self._copy(meeting, row)
        self.session.add(row)
        self.session.flush()
        for position, task in enumerate(meeting.tasks):
            self.session.add(
                DevelopmentTaskRow(
                    meeting_id=row.id,
                    position=position,
                    kind=task.kind.value,
                    category=task.category.value,
                    text=task.text,
                )
            )
        self.session.flush()
        meeting.id = row.id
        return meeting

    def save(self, meeting: Meeting) -> None:
        row = self.session.get(MeetingRow, meeting.id)
        if row is None:
            raise NotFound("meeting", meeting.id)
        self._copy(meeting, row)
        self.session.flush()

    @staticmethod
    def _copy(meeting: Meeting, row: MeetingRow) -> None:
        row.starts_at = meeting.starts_at
        row.leading_service_id = meeting.leading_service_id
        row.place = meeting.place
        row.status = meeting.status.value
        row.title = meeting.title
        row.ends_at = meeting.ends_at
        row.online_url = meeting.online_url
        row.agenda = list(meeting.agenda)
        row.materials = [{"title": m.title, "url": m.url} for m in meeting.materials]
        row.late = meeting.late
        row.late_reason = meeting.late_reason
        row.prebrief_sent_at = meeting.prebrief_sent_at
        row.summary = meeting.summary
        row.next_steps = list(meeting.next_steps)
        row.summary_approved_at = meeting.summary_approved_at
        row.summary_approved_by = meeting.summary_approved_by
        row.summary_sent_at = meeting.summary_sent_at

    def get(self, meeting_id: int) -> Meeting:
        row = self.session.get(MeetingRow, meeting_id)
        if row is None:
            raise NotFound("meeting", meeting_id)
        return self._meeting(row)

    def for_panel(self, panel_id: int) -> list[Meeting]:
        query = select(MeetingRow).where(MeetingRow.panel_id == panel_id).order_by(MeetingRow.starts_at)
        return [self._meeting(r) for r in self.session.scalars(query)]

    def unfinished(self) -> list[Meeting]:
        """Meetings whose loop is not closed yet: no summary sent and not cancelled."""
        done = (MeetingStatus.SUMMARY_SENT.value, MeetingStatus.CANCELLED.value)
        query = select(MeetingRow).where(MeetingRow.status.not_in(done)).order_by(MeetingRow.starts_at)
        return [self._meeting(r) for r in self.session.scalars(query)]

    def _meeting(self, row: MeetingRow) -> Meeting:
        tasks = self.session.scalars(
            select(DevelopmentTaskRow)
            .where(DevelopmentTaskRow.meeting_id == row.id)
            .order_by(DevelopmentTaskRow.position)
        )
        return Meeting(
            id=row.id,
            panel_id=row.panel_id,
            starts_at=row.starts_at,
            leading_service_id=row.leading_service_id,
            tasks=[DevelopmentTask(t.text, TaskKind(t.kind), TaskCategory(t.category)) for t in tasks],
            place=row.place,
            status=MeetingStatus(row.status),
            title=row.title,
            ends_at=row.ends_at,
            online_url=row.online_url,
            agenda=list(row.agenda or []),
            materials=[Material(m["title"], m["url"]) for m in row.materials or []],
            late=row.late,
            late_reason=row.late_reason,
            prebrief_sent_at=row.prebrief_sent_at,
            summary=row.summary,
            next_steps=list(row.next_steps or []),
            summary_approved_at=row.summary_approved_at,
            summary_approved_by=row.summary_approved_by,
            summary_sent_at=row.summary_sent_at,
        )


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


class SqlAlchemyIdeas:
    def __init__(self, session: Session, events: SqlAlchemyEventLog) -> None:
        self.session = session
        self.events = events

    def add(self, idea: Idea) -> Idea:
        row = IdeaRow(
            panel_id=idea.panel_id,
            meeting_id=idea.meeting_id,
            service_id=idea.service_id,
            title=idea.title,
            text=idea.text,
            state=idea.state.value,
            version=idea.version,
        )
        self.session.add(row)
        self.session.flush()
        idea.id = row.id
        self._flush_events(idea)
        return idea

    def get(self, idea_id: int, *, for_update: bool = False) -> Idea:
        # A statement built once, a Core row: every change of an idea starts here (and saves by a Core UPDATE).
        query = _IDEA_BY_ID_FOR_UPDATE if for_update else _IDEA_BY_ID
        row = self.session.execute(query, {"idea_id": idea_id}).one_or_none()
        if row is None:
            raise NotFound("idea", idea_id)
        return self._idea(row)

    def save(self, idea: Idea) -> None:
        loaded_version = idea.version - len(idea.new_events)
        # The guard on the loaded version is what makes a concurrent mover lose cleanly.
        # Core (no ORM bookkeeping for a one-row guarded update), a statement built once.
        result = self.session.execute(
            _GUARDED_IDEA_UPDATE,
            {
                "idea_id": idea.id,
                "loaded_version": loaded_version,
                "state": idea.state.value,
                "version": idea.version,
                "service_id": idea.service_id,
            },
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            current = self.session.scalar(select(IdeaRow.version).where(IdeaRow.id == idea.id))
            raise VersionConflict("idea", idea.id, loaded_version, current)
        self._flush_events(idea)

    def list(
        self,
        *,
        panel_id: int | None = None,
        service_id: int | None = None,
        state: IdeaState | None = None,
        panel_ids: Collection[int] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Idea]:
        query = select(IdeaRow).order_by(IdeaRow.id)
        if panel_id is not None:
            query = query.where(IdeaRow.panel_id == panel_id)
        if panel_ids is not None:
            query = query.where(IdeaRow.panel_id.in_(sorted(panel_ids)))
        if service_id is not None:
            query = query.where(IdeaRow.service_id == service_id)
        if state is not None:
            query = query.where(IdeaRow.state == state.value)
        if offset:
            query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [self._idea(r) for r in self.session.scalars(query)]

    def open_with_activity(self) -> builtins.list[tuple[Idea, datetime, datetime]]:
        """Open ideas with the time they entered their state and the time of their last event."""
        entered = func.max(case((EventRow.type.in_((EventType.RAISED, EventType.MOVED)), EventRow.at)))
        activity = (
            select(EventRow.aggregate_id, entered.label("entered"), func.max(EventRow.at).label("last"))
            .where(EventRow.aggregate == Aggregate.IDEA.value)
            .group_by(EventRow.aggregate_id)
            .subquery()
        )
        query = (
            select(IdeaRow, activity.c.entered, activity.c.last)
            .join(activity, activity.c.aggregate_id == IdeaRow.id)
            .where(IdeaRow.state.in_(OPEN_STATES))
            .order_by(IdeaRow.id)
        )
        return [(self._idea(row), entered_at, last_at) for row, entered_at, last_at in self.session.execute(query)]

    def _flush_events(self, idea: Idea) -> None:
        self.events.append(replace(e, aggregate_id=idea.id) for e in idea.new_events)
        idea.new_events.clear()

    @staticmethod
    def _idea(row: IdeaRow | Row[Any]) -> Idea:
        return Idea(
            id=row.id,
            panel_id=row.panel_id,
            meeting_id=row.meeting_id,
            title=row.title,
            text=row.text,
            service_id=row.service_id,
            state=IdeaState(row.state),
            version=row.version,
        )


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
