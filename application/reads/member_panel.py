"""What a panel member reads on their own page (``/m/{member}/panel``, issue 16): the panel's ideas and what became
of each, its coming meetings and the summaries of past ones, the ground rules, the member's own topic wishes and the
panel's contact person. Nothing about other members, and no staff addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.participation.ground_rules import member_ground_rules
from application.participation.topic_wishes import member_topic_wishes
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.events import Aggregate, EventType
from domain.ideas import Idea, IdeaState, event_translations, parse_state
from domain.meeting_files import MeetingFile
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member, Panel
from domain.topic_wishes import TopicWish


@dataclass(frozen=True)
class MemberStep:
    """One step of an idea's way as members read it: raised, moved to a state (with the words written to the
    members, if any) or a progress note. No actor: who did it is staff's business."""

    at: datetime
    type: str  # "raised", "moved" or "noted"
    to_state: str | None
    text: str | None
    translations: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class MemberIdea:
    """An idea as members read it: its words, its state, its service, when it last changed and the latest words
    written to the members about it (the reason it stopped, its outcome, or a progress note)."""

    idea: Idea
    service_name: str | None
    changed_at: datetime
    latest_text: str | None
    latest_translations: dict[str, dict[str, Any]]
    steps: list[MemberStep]  # oldest first


@dataclass(frozen=True)
class MemberPanel:
    member: Member
    panel: Panel
    ideas: list[MemberIdea]  # newest activity first
    counts: dict[str, int]  # ideas by state, all of them (the filter narrows only the list)
    coming: list[Meeting]  # soonest first, cancelled ones included (marked on the page)
    past: list[Meeting]  # with a summary sent to the members, newest first
    files: dict[int, list[MeetingFile]]  # the material files of coming meetings whose pre-brief has gone out
    rules_version: int
    rules_acknowledged: bool
    wishes: list[TopicWish]


def member_panel(member_id: int, *, uow: UnitOfWork, clock: Clock, state: str | None = None) -> MemberPanel:
    """The member's panel as they read it; ``state`` keeps the ideas in that state (a bad one is refused, naming
    ``state``). NotFound for a member who is not there (erased)."""
    wanted = parse_state(state) if state else None
    now = clock.now()
    with uow:
        member = uow.members.get(member_id)
        panel = uow.panels.by_id(member.panel_id)
        services = {s.stored_id: s.name for s in uow.services.for_panel(panel.stored_id)}
        everything = uow.ideas.list(panel_id=panel.stored_id)
        ideas = [members_idea(uow, idea, services) for idea in everything if wanted is None or idea.state is wanted]
        meetings = uow.meetings.for_panel(panel.stored_id)
        files = {
            m.stored_id: uow.meeting_files.of_meeting(m.stored_id)
            for m in meetings
            if m.starts_at >= now and m.prebrief_sent_at is not None and m.status is not MeetingStatus.CANCELLED
        }
    counts = {s.value: sum(1 for i in everything if i.state is s) for s in IdeaState}
    coming = sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at)
    past = sorted(
        (m for m in meetings if m.summary_sent_at is not None and m.status is not MeetingStatus.CANCELLED),
        key=lambda m: m.starts_at,
        reverse=True,
    )
    rules = member_ground_rules(member_id, uow=uow)
    return MemberPanel(
        member=member,
        panel=panel,
        ideas=sorted(ideas, key=lambda i: i.changed_at, reverse=True),
        counts=counts,
        coming=coming,
        past=past,
        files=files,
        rules_version=rules.version,
        rules_acknowledged=rules.acknowledged_at is not None,
        wishes=member_topic_wishes(member_id, uow=uow),
    )


def members_idea(uow: UnitOfWork, idea: Idea, services: dict[int, str]) -> MemberIdea:
    """An idea as members read it (also the panel's public page, ``reads/public_panel.py``): ``services`` names the
    panel's services by id."""
    events = uow.events.for_aggregate(Aggregate.IDEA, idea.stored_id)
    told = [e for e in events if e.type in _TOLD]
    written = [e for e in told if e.text and e.type != EventType.RAISED]
    latest = written[-1] if written else None
    return MemberIdea(
        idea=idea,
        service_name=services.get(idea.service_id) if idea.service_id else None,
        changed_at=events[-1].at,  # an idea is raised with its first event
        latest_text=latest.text if latest else None,
        latest_translations=event_translations(latest).as_json() if latest else {},
        steps=[
            MemberStep(
                at=e.at,
                type=str(e.type),
                to_state=e.to_state,
                # The idea's own words are on the page already; a raise shows only its day.
                text=None if e.type == EventType.RAISED else e.text,
                translations={} if e.type == EventType.RAISED else event_translations(e).as_json(),
            )
            for e in told
        ],
    )


# What of an idea's log the members read (a privacy acknowledgement, for one, is staff's business).
_TOLD = (EventType.RAISED, EventType.MOVED, EventType.NOTED)
