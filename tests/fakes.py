"""In-memory fakes of the ports in application/ports/, mirroring the repositories in persistence/.

The fake unit of work keeps two copies of the data: what is committed, and the working
copy of the open transaction. ``__enter__`` starts from a deep copy of the committed data,
``commit`` publishes the working copy, ``rollback`` (and leaving the ``with`` block, as
the SQLAlchemy unit of work does) throws uncommitted writes away. Repositories hand out
copies, so changing a returned object changes nothing until it is saved. Unique
constraints of the tables raise ``FakeIntegrityError``, as the database would.
"""

from __future__ import annotations

import builtins
import copy
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import Self

from domain.errors import InvalidValue, NotFound, VersionConflict
from domain.events import Aggregate, Event
from domain.ideas import Idea, IdeaState
from domain.meeting_files import MeetingFile
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind
from tests.fakes_access import (
    AccessData,
    FakeApiTokens,
    FakeAuditLog,
    FakeSignInLinks,
    FakeSignInRequests,
    FakeStaffSessions,
)
from tests.fakes_materials import FakeMeetingFiles
from tests.fakes_meeting_room import FakeMeetingRoom, MeetingRoomData
from tests.fakes_participation import FakeAttendance, FakeGroundRules, FakeTopicWishes, ParticipationData
from tests.fakes_surveys import FakeSurveys, SurveyData


class FakeIntegrityError(Exception):
    """What the database raises when a unique constraint is broken."""


@dataclass
class _Data:
    """Everything the fake database holds: one dict per table, keyed by id."""

    panels: dict[int, Panel] = field(default_factory=dict)
    services: dict[int, Service] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    users: dict[int, StaffUser] = field(default_factory=dict)
    meetings: dict[int, Meeting] = field(default_factory=dict)
    ideas: dict[int, Idea] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    outbox: dict[str, OutboxMessage] = field(default_factory=dict)
    surveys: SurveyData = field(default_factory=SurveyData)
    access: AccessData = field(default_factory=AccessData)
    participation: ParticipationData = field(default_factory=ParticipationData)
    meeting_files: dict[int, MeetingFile] = field(default_factory=dict)
    meeting_room: MeetingRoomData = field(default_factory=MeetingRoomData)
    last_id: dict[str, int] = field(default_factory=dict)

    def clone(self) -> _Data:
        """A deep copy; events are immutable (and hold mapping proxies, which cannot be deep-copied)."""
        events, self.events = self.events, []
        try:
            twin = copy.deepcopy(self)
        finally:
            self.events = events
        twin.events = list(events)
        return twin

    def next_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]


def _as_id(ref: str) -> int | None:
    text = ref.strip()
    # ASCII digits only ("²".isdigit() is true), and within the id column's range; else it is a name.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _data(self) -> _Data:
        return self._uow.data

    def _refers(self, column: str, table: Mapping[int, object], ref: int | None) -> None:
        """A foreign key: the row referred to must exist (None refers to nothing)."""
        if ref is not None and ref not in table:
            raise FakeIntegrityError(f"{column} {ref}")


class FakePanels(_Repository):
    def add(self, panel: Panel) -> Panel:
        if any(p.name == panel.name for p in self._data.panels.values()):
            raise FakeIntegrityError(f"panels.name {panel.name!r}")
        panel.id = self._data.next_id("panels")
        self._data.panels[panel.id] = copy.deepcopy(panel)
        return panel

    def get(self, ref: str) -> Panel:
        panel_id = _as_id(ref)
        if panel_id is not None:
            return self.by_id(panel_id)
        wanted = ref.strip().lower()
        for panel in self._data.panels.values():
            if panel.name.lower() == wanted:
                return copy.deepcopy(panel)
        raise NotFound("panel", ref)

    def by_id(self, panel_id: int) -> Panel:
        if panel_id not in self._data.panels:
            raise NotFound("panel", panel_id)
        return copy.deepcopy(self._data.panels[panel_id])

    def list(self) -> list[Panel]:
        return [copy.deepcopy(p) for _, p in sorted(self._data.panels.items())]

    def save(self, panel: Panel) -> None:
        if panel.id not in self._data.panels:
            raise NotFound("panel", panel.id)
        if any(p.name == panel.name and p.id != panel.id for p in self._data.panels.values()):
            raise FakeIntegrityError(f"panels.name {panel.name!r}")
        self._data.panels[panel.id] = copy.deepcopy(panel)


class FakeServices(_Repository):
    def add(self, service: Service) -> Service:
        if service.panel_id not in self._data.panels:
            raise FakeIntegrityError(f"services.panel_id {service.panel_id}")
        if any(s.panel_id == service.panel_id and s.name == service.name for s in self._data.services.values()):
            raise FakeIntegrityError(f"services (panel_id, name) {service.name!r}")
        service.id = self._data.next_id("services")
        self._data.services[service.id] = copy.deepcopy(service)
        return service

    def get(self, ref: str, *, panel_id: int | None) -> Service:
        service_id = _as_id(ref)
        if service_id is not None:
            service = self.by_id(service_id)
            if panel_id is not None and service.panel_id != panel_id:
                raise InvalidValue("service", f"service {service_id} does not take part in panel {panel_id}")
            return service
        wanted = ref.strip().lower()
        rows = [
            s
            for _, s in sorted(self._data.services.items())
            if s.name.lower() == wanted and (panel_id is None or s.panel_id == panel_id)
        ]
        if not rows:
            raise NotFound("service", ref)
        if len(rows) > 1:
            raise InvalidValue("service", f"{ref!r} is in several panels; give --panel or the service id")
        return copy.deepcopy(rows[0])

    def by_id(self, service_id: int) -> Service:
        if service_id not in self._data.services:
            raise NotFound("service", service_id)
        return copy.deepcopy(self._data.services[service_id])

    def for_panel(self, panel_id: int) -> list[Service]:
        return [copy.deepcopy(s) for _, s in sorted(self._data.services.items()) if s.panel_id == panel_id]


class FakeMembers(_Repository):
    def add(self, member: Member) -> Member:
        if member.panel_id not in self._data.panels:
            raise FakeIntegrityError(f"members.panel_id {member.panel_id}")
        if any(m.panel_id == member.panel_id and m.email == member.email for m in self._data.members.values()):
            raise FakeIntegrityError(f"members (panel_id, email) {member.email!r}")
        member.id = self._data.next_id("members")
        # Like SqlAlchemyMembers.add: a new member is subscribed (unsubscribing is a save).
        self._data.members[member.id] = copy.deepcopy(replace(member, unsubscribed=False))
        return member

    def get(self, member_id: int) -> Member:
        if member_id not in self._data.members:
            raise NotFound("member", member_id)
        return copy.deepcopy(self._data.members[member_id])

    def save(self, member: Member) -> None:
        if member.id not in self._data.members:
            raise NotFound("member", member.id)
        # Like SqlAlchemyMembers.save: only the member's choices change, never their name or address.
        stored = self._data.members[member.id]
        stored.language, stored.delivery = member.language, member.delivery
        stored.active, stored.unsubscribed = member.active, member.unsubscribed
        stored.greeting_name = member.greeting_name

    def emails_in_panel(self, panel_id: int) -> set[str]:
        return {m.email.casefold() for m in self._data.members.values() if m.panel_id == panel_id}

    def active_in_panel(self, panel_id: int) -> list[Member]:
        return [m for m in self.for_panel(panel_id) if m.active]

    def for_panel(self, panel_id: int) -> list[Member]:
        return [copy.deepcopy(m) for _, m in sorted(self._data.members.items()) if m.panel_id == panel_id]

    def set_active(self, member_id: int, active: bool) -> None:
        """Test helper (no use case deactivates members yet)."""
        self._data.members[member_id].active = active


class FakeUsers(_Repository):
    def add(self, user: StaffUser) -> StaffUser:
        if any(u.email == user.email for u in self._data.users.values()):
            raise FakeIntegrityError(f"staff_users.email {user.email!r}")
        self._check_references(user)
        user.id = self._data.next_id("users")
        self._data.users[user.id] = copy.deepcopy(user)
        return user

    def save(self, user: StaffUser) -> None:
        if user.id not in self._data.users:
            raise NotFound("user", user.email)
        self._check_references(user)
        stored = self._data.users[user.id]
        stored.role = user.role
        stored.service_id = user.service_id
        stored.panel_ids = set(user.panel_ids)
        stored.language = user.language
        stored.greeting_name = user.greeting_name
        stored.active = user.active

    def _check_references(self, user: StaffUser) -> None:
        self._refers("staff_users.service_id", self._data.services, user.service_id)
        for panel_id in user.panel_ids:
            self._refers("coordinator_panels.panel_id", self._data.panels, panel_id)

    def by_id(self, user_id: int) -> StaffUser | None:
        user = self._data.users.get(user_id)
        return copy.deepcopy(user) if user is not None else None

    def by_email(self, email: str) -> StaffUser | None:
        for user in self._data.users.values():
            if user.email.lower() == email.lower():
                return copy.deepcopy(user)
        return None

    def coordinators_of(self, panel_id: int) -> list[StaffUser]:
        return [
            copy.deepcopy(u)
            for _, u in sorted(self._data.users.items())
            if u.role is Role.COORDINATOR and panel_id in u.panel_ids
        ]

    def owners_of(self, service_id: int) -> list[StaffUser]:
        return [
            copy.deepcopy(u)
            for _, u in sorted(self._data.users.items())
            if u.service_id == service_id and u.role is Role.SERVICE_OWNER
        ]


class FakeMeetings(_Repository):
    def add(self, meeting: Meeting) -> Meeting:
        self._refers("meetings.panel_id", self._data.panels, meeting.panel_id)
        self._refers("meetings.leading_service_id", self._data.services, meeting.leading_service_id)
        meeting.id = self._data.next_id("meetings")
        self._data.meetings[meeting.id] = copy.deepcopy(meeting)
        return meeting

    def get(self, meeting_id: int) -> Meeting:
        if meeting_id not in self._data.meetings:
            raise NotFound("meeting", meeting_id)
        return copy.deepcopy(self._data.meetings[meeting_id])

    def for_panel(self, panel_id: int) -> list[Meeting]:
        found = [m for m in self._data.meetings.values() if m.panel_id == panel_id]
        return [copy.deepcopy(m) for m in sorted(found, key=lambda m: m.starts_at)]

    def save(self, meeting: Meeting) -> None:
        if meeting.id not in self._data.meetings:
            raise NotFound("meeting", meeting.id)
        self._data.meetings[meeting.id] = copy.deepcopy(meeting)

    def unfinished(self) -> list[Meeting]:
        done = (MeetingStatus.SUMMARY_SENT, MeetingStatus.CANCELLED)
        found = [m for m in self._data.meetings.values() if m.status not in done]
        return [copy.deepcopy(m) for m in sorted(found, key=lambda m: m.starts_at)]


class FakeEventLog(_Repository):
    def append(self, events: Iterable[Event]) -> None:
        for event in events:
            if event.aggregate_id is None:
                raise ValueError("an event must name its aggregate's id before it is stored")
            key = (event.aggregate, event.aggregate_id, event.seq)
            if any((e.aggregate, e.aggregate_id, e.seq) == key for e in self._data.events):
                raise FakeIntegrityError(f"uq_events_aggregate_seq {key}")
            self._data.events.append(replace(event, data=MappingProxyType(dict(event.data))))

    def announce(self, events: Iterable[Event]) -> None:
        """Published after the commit, never stored: the fake keeps them for tests (``announced``)."""
        self._uow.announced.extend(events)

    def next_seq(self, aggregate: Aggregate, aggregate_id: int) -> int:
        seqs = [e.seq for e in self._data.events if (e.aggregate, e.aggregate_id) == (aggregate, aggregate_id)]
        return max(seqs, default=0) + 1

    def for_aggregate(self, aggregate: Aggregate, aggregate_id: int) -> list[Event]:
        found = [e for e in self._data.events if (e.aggregate, e.aggregate_id) == (aggregate, aggregate_id)]
        return sorted(found, key=lambda e: e.seq)

    def all(self) -> list[Event]:
        """Test helper: the whole log in the order it was written."""
        return list(self._data.events)


class FakeIdeas(_Repository):
    def __init__(self, uow: FakeUnitOfWork, events: FakeEventLog) -> None:
        super().__init__(uow)
        self._events = events

    def add(self, idea: Idea) -> Idea:
        self._refers("ideas.panel_id", self._data.panels, idea.panel_id)
        self._refers("ideas.meeting_id", self._data.meetings, idea.meeting_id)
        self._refers("ideas.service_id", self._data.services, idea.service_id)
        idea.id = self._data.next_id("ideas")
        self._data.ideas[idea.id] = self._row(idea)
        self._flush_events(idea)
        return idea

    def get(self, idea_id: int, *, for_update: bool = False) -> Idea:
        # One fake transaction at a time: nothing to hold the idea against.
        if idea_id not in self._data.ideas:
            raise NotFound("idea", idea_id)
        return copy.deepcopy(self._data.ideas[idea_id])

    def save(self, idea: Idea) -> None:
        loaded_version = idea.version - len(idea.new_events)
        stored = self._data.ideas.get(idea.id) if idea.id is not None else None
        if stored is None or stored.version != loaded_version:
            raise VersionConflict("idea", idea.id, loaded_version, stored.version if stored else None)
        self._refers("ideas.service_id", self._data.services, idea.service_id)
        # Like the UPDATE in SqlAlchemyIdeas.save: only state, version and service change.
        stored.state = idea.state
        stored.version = idea.version
        stored.service_id = idea.service_id
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
        found = [
            copy.deepcopy(i)
            for _, i in sorted(self._data.ideas.items())
            if (panel_id is None or i.panel_id == panel_id)
            and (panel_ids is None or i.panel_id in panel_ids)
            and (service_id is None or i.service_id == service_id)
            and (state is None or i.state is state)
        ]
        return found[offset:] if limit is None else found[offset : offset + limit]

    def open_with_activity(self) -> builtins.list[tuple[Idea, datetime, datetime]]:
        result = []
        for idea_id, idea in sorted(self._data.ideas.items()):
            if idea.state in (IdeaState.IMPLEMENTED, IdeaState.DECLINED):
                continue
            events = [e for e in self._data.events if e.aggregate is Aggregate.IDEA and e.aggregate_id == idea_id]
            entered = max(e.at for e in events if e.type in ("raised", "moved"))
            result.append((copy.deepcopy(idea), entered, max(e.at for e in events)))
        return result

    def _flush_events(self, idea: Idea) -> None:
        self._events.append(replace(e, aggregate_id=idea.id) for e in idea.new_events)
        idea.new_events.clear()

    @staticmethod
    def _row(idea: Idea) -> Idea:
        return copy.deepcopy(replace(idea, new_events=[]))


class FakeOutbox(_Repository):
    def add(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            if message.id in self._data.outbox:
                raise FakeIntegrityError(f"outbox.id {message.id}")
            # As SqlAlchemyOutbox.add writes it: a new row is due when it is created unless told otherwise.
            due = message.next_attempt_at or message.created_at
            self._data.outbox[message.id] = copy.deepcopy(replace(message, next_attempt_at=due))

    def add_new(self, messages: Sequence[OutboxMessage]) -> int:
        fresh = [m for m in messages if m.id not in self._data.outbox]
        self.add(fresh)
        return len(fresh)

    def cancel_pending_for(self, recipient_kind: RecipientKind, recipient_id: int, *, reason: str) -> int:
        cancelled = 0
        for key, m in self._data.outbox.items():
            if (m.recipient_kind, m.recipient_id, m.status) == (recipient_kind, recipient_id, OutboxStatus.PENDING):
                self._data.outbox[key] = replace(m, status=OutboxStatus.CANCELLED, last_error=reason)
                cancelled += 1
        return cancelled

    def count_by_status(self, *, panel_ids: Collection[int] | None = None) -> dict[OutboxStatus, int]:
        counts = dict.fromkeys(OutboxStatus, 0)
        for m in self._data.outbox.values():
            if panel_ids is None or m.panel_id in panel_ids:
                counts[m.status] += 1
        return counts

    def language_of(self, message_id: str) -> str | None:
        found = self._data.outbox.get(message_id)
        return found.language if found is not None else None

    def oldest_pending_at(self, *, panel_ids: Collection[int] | None = None) -> datetime | None:
        pending = [
            m.created_at
            for m in self._data.outbox.values()
            if m.status is OutboxStatus.PENDING and (panel_ids is None or m.panel_id in panel_ids)
        ]
        return min(pending, default=None)

    def newest_failed(self, *, panel_ids: Collection[int] | None = None, limit: int) -> list[OutboxMessage]:
        rows = [m for m in self.list(status=OutboxStatus.FAILED) if panel_ids is None or m.panel_id in panel_ids]
        return sorted(rows, key=lambda m: m.created_at, reverse=True)[:limit]

    def failure_reasons(self, *, panel_ids: Collection[int] | None = None) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for m in self.newest_failed(panel_ids=panel_ids, limit=len(self._data.outbox)):
            counts[m.last_error or ""] = counts.get(m.last_error or "", 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def list(self, *, status: OutboxStatus | None = None) -> list[OutboxMessage]:
        rows = [m for m in self._data.outbox.values() if status is None or m.status is status]
        rows.sort(key=lambda m: (m.created_at, m.recipient_kind.value, m.email))
        return [copy.deepcopy(m) for m in rows]

    def retry_failed(self, ids: Sequence[str] | None, *, panel_ids: Collection[int] | None, now: datetime) -> int:
        wanted = None if ids is None else set(ids)
        if wanted is not None:  # the other rows of the same email go back with it
            emails = {m.email_id for m in self._data.outbox.values() if m.id in wanted and m.email_id}
            wanted |= {m.id for m in self._data.outbox.values() if m.email_id in emails}
        count = 0
        for key, m in self._data.outbox.items():
            if m.status is not OutboxStatus.FAILED or (panel_ids is not None and m.panel_id not in panel_ids):
                continue
            if wanted is None or m.id in wanted:
                self._data.outbox[key] = replace(m, status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
                count += 1
        return count


class FakeUnitOfWork:
    """One fake transaction at a time; ``committed`` tells whether the last one committed."""

    def __init__(self) -> None:
        self._committed_data = _Data()
        self.data = _Data()
        self.committed = False
        self.commits = 0
        self.announced: list[Event] = []
        self.panels = FakePanels(self)
        self.services = FakeServices(self)
        self.members = FakeMembers(self)
        self.users = FakeUsers(self)
        self.meetings = FakeMeetings(self)
        self.meeting_files = FakeMeetingFiles(self)
        self.meeting_room = FakeMeetingRoom(self)
        self.events = FakeEventLog(self)
        self.ideas = FakeIdeas(self, self.events)
        self.outbox = FakeOutbox(self)
        self.surveys = FakeSurveys(self)
        self.ground_rules = FakeGroundRules(self)
        self.topic_wishes = FakeTopicWishes(self)
        self.attendance = FakeAttendance(self)
        self.tokens = FakeApiTokens(self, FakeIntegrityError)
        self.staff_sessions = FakeStaffSessions(self, FakeIntegrityError)
        self.sign_in_links = FakeSignInLinks(self, FakeIntegrityError)
        self.sign_in_requests = FakeSignInRequests(self, FakeIntegrityError)
        self.audit = FakeAuditLog(self, FakeIntegrityError)

    def __enter__(self) -> Self:
        self.committed = False
        self.data = self._committed_data.clone()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # As in SqlAlchemyUnitOfWork: anything not committed explicitly is rolled back.
        self.rollback()

    def commit(self) -> None:
        self._committed_data = self.data.clone()
        self.committed = True
        self.commits += 1

    def rollback(self) -> None:
        self.data = self._committed_data.clone()
