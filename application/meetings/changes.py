"""Use cases for meetings: scheduling, the content members read in the pre-brief, and the summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from application.access.identity import resolve_actor
from application.commands import ApproveSummary, DraftSummary, ScheduleMeeting, UpdateMeeting
from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain import meetings as model
from domain.actors import Actor
from domain.events import Aggregate, Event, EventType
from domain.meetings import Material, Meeting
from domain.privacy_guard import screen
from domain.translations import from_store


def schedule_meeting(cmd: ScheduleMeeting, *, uow: UnitOfWork, clock: Clock) -> Meeting:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        service = uow.services.get(cmd.service, panel_id=panel.id)
        tasks = [model.development_task(t, kind=cmd.task_kind, category=cmd.category) for t in cmd.tasks]
        now = clock.now()
        meeting, event = model.schedule_meeting(
            panel,
            starts_at=cmd.starts_at,
            leading_service=service,
            tasks=tasks,
            place=cmd.place,
            actor=actor,
            at=now,
            tz=PANEL_TZ,
            late_reason=cmd.late_reason,
        )
        model.update_details(
            meeting,
            title=cmd.title,
            online_url=cmd.online_url,
            agenda=list(cmd.agenda),
            actor=actor,
            seq=0,
            at=now,
            texts=cmd.translations,
        )
        meeting = uow.meetings.add(meeting)
        uow.events.append([replace(event, aggregate_id=meeting.id)])
        uow.commit()
        return meeting


def update_meeting(cmd: UpdateMeeting, *, uow: UnitOfWork, clock: Clock) -> Meeting:
    def change(meeting: Meeting, actor: Actor, seq: int) -> Event | None:
        return model.update_details(
            meeting,
            title=cmd.title,
            agenda=list(cmd.agenda) if cmd.agenda is not None else None,
            place=cmd.place,
            online_url=cmd.online_url,
            materials=[Material(t, u) for t, u in cmd.materials] if cmd.materials is not None else None,
            ends_at=cmd.ends_at,
            actor=actor,
            seq=seq,
            at=clock.now(),
            texts=cmd.translations,
        )

    return _change(uow, cmd.actor, cmd.meeting_id, change)


def draft_summary(cmd: DraftSummary, *, uow: UnitOfWork, clock: Clock) -> Meeting:
    def change(meeting: Meeting, actor: Actor, seq: int) -> Event | None:
        event = model.draft_summary(
            meeting,
            text=cmd.text,
            next_steps=list(cmd.next_steps),
            actor=actor,
            seq=seq,
            at=clock.now(),
            texts=cmd.translations,
        )
        # A draft stays inside Raati: identifiers are refused now, health details wait for the approval.
        screen(_outgoing(meeting), actor=actor, panel_id=meeting.panel_id, check_health=False)
        return event

    return _change(uow, cmd.actor, cmd.meeting_id, change)


def approve_summary(cmd: ApproveSummary, *, uow: UnitOfWork, clock: Clock) -> Meeting:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        seq = _next(uow, meeting)
        event = model.approve_summary(meeting, actor=actor, seq=seq, at=clock.now())
        acknowledged = screen(
            _outgoing(meeting), actor=actor, panel_id=meeting.panel_id, acknowledge_health=cmd.acknowledge_health
        )
        events = [event]
        if acknowledged is not None:
            events.append(meeting.record(EventType.PRIVACY_ACKNOWLEDGED, seq=seq + 1, actor=actor.name, at=clock.now(),
                                         **acknowledged.data()))  # fmt: skip
        uow.meetings.save(meeting)
        uow.events.append(events)
        uow.commit()
        return meeting


def _outgoing(meeting: Meeting) -> dict[str, str]:
    """What the members will read of the summary, by field, in every language (``translations.sv.summary``)."""
    translated = from_store(meeting.translations.renamed({"summary": "summary", "next_steps": "next_steps"}))
    return (
        {"summary": meeting.summary}
        | {f"next_steps[{i}]": step for i, step in enumerate(meeting.next_steps)}
        | translated.to_screen()
    )


def _next(uow: UnitOfWork, meeting: Meeting) -> int:
    return uow.events.next_seq(Aggregate.MEETING, meeting.stored_id)


def _change(
    uow: UnitOfWork, who: str | None, meeting_id: int, change: Callable[[Meeting, Actor, int], Event | None]
) -> Meeting:
    """Resolve the actor, load the meeting, apply ``change`` (given the actor and the next seq) and save its event."""
    with uow:
        actor = resolve_actor(uow, who)
        meeting = uow.meetings.get(meeting_id)
        event = change(meeting, actor, _next(uow, meeting))
        if event is not None:
            uow.meetings.save(meeting)
            uow.events.append([event])
            uow.commit()
        return meeting
