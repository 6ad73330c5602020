"""Meeting attendance: which of the panel's members were there, recorded by a coordinator after it started."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Event, EventType
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member


def record(
    meeting: Meeting,
    present: Iterable[int],
    *,
    members: Sequence[Member],
    actor: Actor,
    seq: int,
    at: datetime,
) -> tuple[frozenset[int], Event]:
    """The whole list of who attended (it replaces an earlier one); every id must be a member of the panel."""
    actor.require_coordinator(meeting.panel_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise InvalidValue("meeting", f"meeting {meeting.id} was cancelled; nobody attended it")
    if at < meeting.starts_at:
        raise InvalidValue("meeting", f"meeting {meeting.id} has not started yet")
    ids = frozenset(present)
    known = {m.id for m in members if m.panel_id == meeting.panel_id}
    strangers = sorted(ids - known)
    if strangers:
        listed = ", ".join(str(i) for i in strangers)
        raise InvalidValue("member", f"{listed}: not a member of the meeting's panel {meeting.panel_id}")
    event = meeting.record(EventType.ATTENDANCE_RECORDED, seq=seq, actor=actor.name, at=at, present=sorted(ids))
    return ids, event
