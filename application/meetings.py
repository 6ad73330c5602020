"""Use cases for meetings: scheduling one with its leading service and development tasks."""

from __future__ import annotations

from dataclasses import replace

from application.actors import resolve_actor
from application.commands import ScheduleMeeting
from application.ports import Clock, UnitOfWork
from domain import meetings as model
from domain.meetings import Meeting


def schedule_meeting(cmd: ScheduleMeeting, *, uow: UnitOfWork, clock: Clock) -> Meeting:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        service = uow.services.get(cmd.service, panel_id=panel.id)
        tasks = [model.development_task(t, kind=cmd.task_kind, category=cmd.category) for t in cmd.tasks]
        meeting, event = model.schedule_meeting(
            panel,
            starts_at=cmd.starts_at,
            leading_service=service,
            tasks=tasks,
            place=cmd.place,
            actor=actor,
            at=clock.now(),
        )
        meeting = uow.meetings.add(meeting)
        uow.events.append([replace(event, aggregate_id=meeting.id)])
        uow.commit()
        return meeting
