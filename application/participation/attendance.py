"""Use cases for meeting attendance: record who was there (an event on the meeting), and read it back."""

from __future__ import annotations

from dataclasses import dataclass

from application.access.identity import resolve_actor
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import attendance as model
from domain.events import Aggregate
from domain.panels import Member


@dataclass(frozen=True)
class RecordAttendance(ActorCommand):
    """The full list of members present; recording again replaces it."""

    meeting_id: int
    present: tuple[int, ...]


def record_attendance(cmd: RecordAttendance, *, uow: UnitOfWork, clock: Clock) -> list[Member]:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        members = uow.members.for_panel(meeting.panel_id)
        now = clock.now()
        present, event = model.record(
            meeting,
            cmd.present,
            members=members,
            actor=actor,
            seq=uow.events.next_seq(Aggregate.MEETING, meeting.stored_id),
            at=now,
        )
        uow.attendance.replace(meeting.stored_id, present, at=now)
        uow.events.append([event])
        uow.commit()
        return [m for m in members if m.id in present]


def meeting_attendance(meeting_id: int, *, uow: UnitOfWork) -> list[Member]:
    """The members recorded as present (empty when attendance has not been recorded)."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        present = uow.attendance.present(meeting_id)
        return [m for m in uow.members.for_panel(meeting.panel_id) if m.id in present]
