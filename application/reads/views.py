"""Read models: what callers see of ideas (with their timelines), panels, services, members, meetings and the outbox.

The one read path for the command line, the API and the pages: every read takes the actor and asks
``application.access.permissions`` what it may read (the command line's operator may read everything).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from application.access import permissions
from application.commands import IdeaFilter
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.ideas import Idea, event_translations, parse_state
from domain.meetings import Meeting
from domain.panels import Member, Panel, Service, StaffUser
from notifications.outbox import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    type: str
    from_state: str | None
    to_state: str | None
    actor: str
    text: str | None
    at: str
    # The text in Swedish and English ({"sv": {"text": …}}), for moves and notes that were given them.
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, event: Event) -> TimelineEntry:
        return cls(
            seq=event.seq,
            type=event.type,
            from_state=event.from_state,
            to_state=event.to_state,
            actor=event.actor,
            text=event.text,
            at=event.at.isoformat(),
            translations=event_translations(event).as_json(),
        )


@dataclass(frozen=True)
class IdeaView:
    id: int
    title: str
    text: str
    state: str
    version: int
    panel: int
    panel_name: str
    service: int | None
    service_name: str | None
    meeting: int
    allowed_next: list[str]
    timeline: list[TimelineEntry]
    # How many notifications the change that returned this view queued (0 for reads).
    queued_notifications: int = 0
    # The title and text in Swedish and English: {"sv": {"title": …, "text": …}, "en": {…}}.
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def idea_view(uow: UnitOfWork, idea: Idea, *, with_timeline: bool = True) -> IdeaView:
    """The idea as shown, in an open unit of work (its reader's right already checked, or the change's)."""
    panel = uow.panels.by_id(idea.panel_id)
    service = uow.services.by_id(idea.service_id) if idea.service_id else None
    events = uow.events.for_aggregate(Aggregate.IDEA, idea.stored_id) if with_timeline else []
    return IdeaView(
        id=idea.stored_id,
        title=idea.title,
        text=idea.text,
        state=idea.state.value,
        version=idea.version,
        panel=idea.panel_id,
        panel_name=panel.name,
        service=idea.service_id,
        service_name=service.name if service else None,
        meeting=idea.meeting_id,
        allowed_next=sorted(s.value for s in idea.allowed_next),
        timeline=[TimelineEntry.of(e) for e in events],
        translations=idea.translations.as_json(),
    )


def readable_idea(uow: UnitOfWork, idea_id: int, *, actor: Actor) -> Idea:
    """The idea, in an open unit of work, if the actor may read it."""
    idea = uow.ideas.get(idea_id)
    permissions.require_may_read_idea(actor, idea)
    return idea


def show_idea(idea_id: int, *, actor: Actor, uow: UnitOfWork) -> IdeaView:
    with uow:
        return idea_view(uow, readable_idea(uow, idea_id, actor=actor))


def list_ideas(
    query: IdeaFilter, *, actor: Actor, uow: UnitOfWork, limit: int | None = None, offset: int = 0
) -> list[IdeaView]:
    """Ideas matching the filter within the actor's reach, oldest first; a filter outside it is refused."""
    state = parse_state(query.state) if query.state else None
    with uow:
        panel = uow.panels.get(query.panel) if query.panel else None
        service = uow.services.get(query.service, panel_id=panel.id if panel else None) if query.service else None
        reach = permissions.idea_reach(actor, panel=panel, service=service)
        if reach is None:
            return []
        found = uow.ideas.list(
            panel_id=panel.id if panel else None,
            panel_ids=reach.panel_ids,
            service_id=reach.service_id,
            state=state,
            limit=limit,
            offset=offset,
        )
        return [idea_view(uow, idea, with_timeline=False) for idea in found]


def list_panels(*, actor: Actor, uow: UnitOfWork) -> list[Panel]:
    with uow:
        allowed = permissions.readable_panels(actor, uow=uow)
        return [p for p in uow.panels.list() if allowed is None or p.id in allowed]


def list_services(panel: str, *, actor: Actor, uow: UnitOfWork) -> list[tuple[Service, list[StaffUser]]]:
    """A panel's services, each with its owners."""
    with uow:
        panel_id = permissions.services_panel(actor, panel, uow=uow)
        return [(s, uow.users.owners_of(s.stored_id)) for s in uow.services.for_panel(panel_id)]


def list_members(panel: str | None, *, actor: Actor, uow: UnitOfWork) -> list[Member]:
    """Members' names and addresses: for the panel's coordinators only."""
    with uow:
        wanted = permissions.member_panels(actor, panel, uow=uow)
        return [m for panel_id in _panel_ids(uow, wanted) for m in uow.members.for_panel(panel_id)]


def get_member(member_id: int, *, actor: Actor, uow: UnitOfWork) -> Member:
    with uow:
        member = uow.members.get(member_id)
        permissions.require_may_read_member(actor, member)
        return member


def list_meetings(panel: str | None, *, actor: Actor, uow: UnitOfWork) -> list[Meeting]:
    """The meetings of the panel named, or of every panel the actor may read, by start time."""
    with uow:
        wanted = permissions.meeting_panels(actor, panel, uow=uow)
        meetings = [m for panel_id in _panel_ids(uow, wanted) for m in uow.meetings.for_panel(panel_id)]
        return sorted(meetings, key=lambda m: (m.starts_at, m.stored_id))


def get_meeting(meeting_id: int, *, actor: Actor, uow: UnitOfWork) -> Meeting:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        permissions.require_may_read_meeting(actor, meeting, uow=uow)
        return meeting


def list_outbox(status: str | None, *, actor: Actor, uow: UnitOfWork) -> list[OutboxMessage]:
    """Outbox rows of the actor's panels, oldest first, addresses hidden from whoever may not read them."""
    wanted = None
    if status:
        try:
            wanted = OutboxStatus(status.strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in OutboxStatus)
            raise InvalidValue("status", f"{status!r} is not one of {allowed}") from None
    with uow:
        panel_ids = permissions.outbox_panels(actor, None, uow=uow)
        rows = uow.outbox.list(status=wanted)
        return [permissions.outbox_row(actor, m) for m in rows if panel_ids is None or m.panel_id in panel_ids]


# How many failure reasons outbox health names: the most frequent.
FAILURE_REASONS_SHOWN = 5


@dataclass(frozen=True)
class OutboxHealth:
    """Delivery health as its reader may read it (addresses hidden unless allowed, in the reasons too)."""

    counts: dict[OutboxStatus, int]
    oldest_pending_at: datetime | None
    oldest_pending_age: timedelta | None
    failed: list[OutboxMessage]  # the newest failed rows, as many as asked for
    failure_reasons: list[tuple[str, int]]  # the most frequent, with their counts

    @property
    def pending(self) -> int:
        return self.counts.get(OutboxStatus.PENDING, 0)

    @property
    def failed_count(self) -> int:
        return self.counts.get(OutboxStatus.FAILED, 0)

    @property
    def oldest_pending_age_hours(self) -> float | None:
        if self.oldest_pending_age is None:
            return None
        return round(max(self.oldest_pending_age / timedelta(hours=1), 0.0), 1)


def outbox_health(
    panel: str | None, *, actor: Actor, uow: UnitOfWork, clock: Clock, failed_limit: int = 100
) -> OutboxHealth:
    """Counts per status, the oldest undelivered row, the newest failed rows and the most frequent reasons."""
    with uow:
        panel_ids = permissions.outbox_panels(actor, panel, uow=uow)
        return outbox_health_of(uow, panel_ids, reader=actor, now=clock.now(), failed_limit=failed_limit)


def outbox_health_of(
    uow: UnitOfWork, panel_ids: frozenset[int] | None, *, reader: Actor, now: datetime, failed_limit: int
) -> OutboxHealth:
    """Outbox health of these panels (None: of all), in an open unit of work, for a reader already allowed it.

    Reasons that differ only in an address hidden from the reader are one reason, their counts added."""
    oldest = uow.outbox.oldest_pending_at(panel_ids=panel_ids)
    failed = uow.outbox.newest_failed(panel_ids=panel_ids, limit=failed_limit) if failed_limit else []
    reasons: dict[str, int] = {}
    for text, count in uow.outbox.failure_reasons(panel_ids=panel_ids):
        shown = permissions.failure_reason(reader, text) or ""
        reasons[shown] = reasons.get(shown, 0) + count
    return OutboxHealth(
        counts=uow.outbox.count_by_status(panel_ids=panel_ids),
        oldest_pending_at=oldest,
        oldest_pending_age=now - oldest if oldest is not None else None,
        failed=[permissions.outbox_row(reader, m) for m in failed],
        failure_reasons=sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:FAILURE_REASONS_SHOWN],
    )


def _panel_ids(uow: UnitOfWork, panel_ids: frozenset[int] | None) -> list[int]:
    """The panels asked for in id order; None means every panel."""
    return sorted(panel_ids) if panel_ids is not None else [p.stored_id for p in uow.panels.list()]
