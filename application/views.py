"""Read models: what callers see of an idea (with its timeline) and of lists of ideas."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from application.commands import IdeaFilter
from application.ports import UnitOfWork
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.ideas import Idea, parse_state
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def idea_view(uow: UnitOfWork, idea: Idea, *, with_timeline: bool = True) -> IdeaView:
    assert idea.id is not None
    panel = uow.panels.by_id(idea.panel_id)
    service = uow.services.by_id(idea.service_id) if idea.service_id else None
    events = uow.events.for_aggregate(Aggregate.IDEA, idea.id) if with_timeline else []
    return IdeaView(
        id=idea.id,
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
    )


def show_idea(idea_id: int, *, uow: UnitOfWork) -> IdeaView:
    with uow:
        return idea_view(uow, uow.ideas.get(idea_id))


def list_ideas(query: IdeaFilter, *, uow: UnitOfWork) -> list[IdeaView]:
    state = parse_state(query.state) if query.state else None
    with uow:
        panel = uow.panels.get(query.panel) if query.panel else None
        service = uow.services.get(query.service, panel_id=panel.id if panel else None) if query.service else None
        ideas = uow.ideas.list(
            panel_id=panel.id if panel else None,
            service_id=service.id if service else None,
            state=state,
        )
        return [idea_view(uow, idea, with_timeline=False) for idea in ideas]


def list_panels(*, uow: UnitOfWork) -> list[Panel]:
    with uow:
        return uow.panels.list()


def list_services(panel: str, *, uow: UnitOfWork) -> list[tuple[Service, list[StaffUser]]]:
    with uow:
        found = uow.panels.get(panel)
        return [(s, uow.users.owners_of(s.id or 0)) for s in uow.services.for_panel(found.id or 0)]


def list_members(panel: str, *, uow: UnitOfWork) -> list[Member]:
    with uow:
        return uow.members.for_panel(uow.panels.get(panel).id or 0)


def get_member(member_id: int, *, uow: UnitOfWork) -> Member:
    with uow:
        return uow.members.get(member_id)


def get_meeting(meeting_id: int, *, uow: UnitOfWork) -> Meeting:
    with uow:
        return uow.meetings.get(meeting_id)


def list_meetings(panel: str, *, uow: UnitOfWork) -> list[Meeting]:
    with uow:
        return uow.meetings.for_panel(uow.panels.get(panel).id or 0)


def list_outbox(status: str | None, *, uow: UnitOfWork) -> list[OutboxMessage]:
    wanted = None
    if status:
        try:
            wanted = OutboxStatus(status.strip().lower())
        except ValueError:
            allowed = ", ".join(s.value for s in OutboxStatus)
            raise InvalidValue("status", f"{status!r} is not one of {allowed}") from None
    with uow:
        return uow.outbox.list(status=wanted)
