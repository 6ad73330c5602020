"""Read models: what callers see of an idea (with its timeline) and of lists of ideas."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from application.commands import IdeaFilter
from application.ports import UnitOfWork
from domain.events import Aggregate, Event
from domain.ideas import Idea, parse_state


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
        service = (
            uow.services.get(query.service, panel_id=panel.id if panel else None) if query.service else None
        )
        ideas = uow.ideas.list(
            panel_id=panel.id if panel else None,
            service_id=service.id if service else None,
            state=state,
        )
        return [idea_view(uow, idea, with_timeline=False) for idea in ideas]
