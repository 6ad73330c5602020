"""Moving and cancelling a coming meeting: the change, its event and the members' mail (with their calendar entry
updated or cancelled: the pre-brief's UID, a higher SEQUENCE) in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.access.identity import resolve_actor
from application.commands import CancelMeeting, RescheduleMeeting
from application.meetings.jobs import members_payload, with_meeting_texts
from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain import meetings as model
from domain.actors import Actor
from domain.events import Aggregate
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Panel
from domain.privacy_guard import screen
from notifications import kinds
from notifications.policy import to_members


@dataclass(frozen=True)
class MeetingChanged:
    meeting: Meeting
    members_told: int  # emails queued to members (0 when a move comes before the pre-brief)


@dataclass(frozen=True)
class ChangePreview:
    """What moving or cancelling the meeting would do, for the forms that ask before it is done."""

    meeting: Meeting
    panel: Panel
    recipients: int  # the panel's members who receive mail
    prebrief_sent: bool  # a move is mailed to them only then; a cancellation always
    coming: bool  # the meeting may still be moved or cancelled


def change_preview(actor: Actor, meeting_id: int, *, uow: UnitOfWork, clock: Clock) -> ChangePreview:
    """Only the panel's coordinators (and the operator) may move or cancel its meetings."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        actor.require_coordinator(meeting.panel_id)
        panel = uow.panels.by_id(meeting.panel_id)
        recipients = sum(1 for m in uow.members.active_in_panel(panel.stored_id) if m.receives_mail)
    coming = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.PREBRIEF_SENT) and meeting.starts_at > clock.now()
    return ChangePreview(meeting, panel, recipients, meeting.prebrief_sent_at is not None, coming)


def reschedule_meeting(cmd: RescheduleMeeting, *, uow: UnitOfWork, clock: Clock) -> MeetingChanged:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        panel = uow.panels.by_id(meeting.panel_id)
        now = clock.now()
        moved = model.reschedule(
            meeting,
            starts_at=cmd.starts_at,
            ends_at=cmd.ends_at,
            lead_days=panel.lead_days,
            actor=actor,
            seq=uow.events.next_seq(Aggregate.MEETING, meeting.stored_id),
            at=now,
            tz=PANEL_TZ,
            late_reason=cmd.late_reason,
        )
        told = 0
        if moved.members_told:
            payload = _payload(meeting, panel, uow=uow, now=now)
            payload["previous_starts_at"] = moved.previous_start.isoformat()
            told = _tell(uow, kinds.MEETING_RESCHEDULED, meeting, panel, payload, now)
        uow.meetings.save(meeting)
        uow.events.append([moved.event])
        uow.commit()
        return MeetingChanged(meeting, told)


def cancel_meeting(cmd: CancelMeeting, *, uow: UnitOfWork, clock: Clock) -> MeetingChanged:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        panel = uow.panels.by_id(meeting.panel_id)
        now = clock.now()
        event = model.cancel(
            meeting,
            reason=cmd.reason,
            actor=actor,
            seq=uow.events.next_seq(Aggregate.MEETING, meeting.stored_id),
            at=now,
        )
        # The reason is mailed to every member: identifiers are refused before anything is written.
        screen({"reason": meeting.cancelled_reason}, actor=actor, panel_id=panel.stored_id, check_health=False)
        # Members may know the meeting from the pre-brief or from the last summary's "next meeting", so a
        # cancellation is always told; a calendar that never saved the entry ignores its CANCEL.
        payload = _payload(meeting, panel, uow=uow, now=now)
        payload["reason"] = meeting.cancelled_reason
        told = _tell(uow, kinds.MEETING_CANCELLED, meeting, panel, payload, now)
        uow.meetings.save(meeting)
        uow.events.append([event])
        uow.commit()
        return MeetingChanged(meeting, told)


def _tell(uow: UnitOfWork, kind: str, meeting: Meeting, panel: Panel, payload: dict[str, Any], now: datetime) -> int:
    """Queue the mail to every member who receives mail (the recipient policy); each change has its own key."""
    members = uow.members.active_in_panel(panel.stored_id)
    key = (meeting.stored_id, meeting.calendar_sequence)
    return uow.outbox.add_new(to_members(kind, key, members, payload, panel_id=panel.stored_id, now=now))


def _payload(meeting: Meeting, panel: Panel, *, uow: UnitOfWork, now: datetime) -> dict[str, Any]:
    """``kinds.MeetingChangePayload``: the pre-brief's frame with the calendar entry's new sequence."""
    service = uow.services.by_id(meeting.leading_service_id)
    payload = members_payload(
        meeting,
        panel,
        {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.end.isoformat(),
            "leading_service_name": service.name,
            "place": meeting.place or None,
            "online_url": meeting.online_url or None,
            "agenda": list(meeting.agenda),
            "sequence": meeting.calendar_sequence,
            "issued_at": now.isoformat(),
        },
    )
    return with_meeting_texts(payload, meeting, {"place": "place", "agenda": "agenda"})
