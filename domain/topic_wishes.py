"""Topic wishes: members propose topics for the panel; a coordinator takes one up onto a meeting's agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.actors import Actor
from domain.entities import Entity
from domain.errors import InvalidValue, PrivacyBlocked
from domain.events import Aggregate, Event, EventType, record_event
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member, Panel
from domain.privacy_detectors import Severity, check_text
from domain.values import aware, bounded_text

MAX_WISH = 2000


class WishStatus(StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"


@dataclass
class TopicWish(Entity):
    id: int | None
    panel_id: int
    text: str
    submitted_at: datetime
    submitted_by: str
    member_id: int | None = None
    meeting_id: int | None = None
    scheduled_at: datetime | None = None
    scheduled_by: str = ""

    @property
    def status(self) -> WishStatus:
        return WishStatus.SCHEDULED if self.meeting_id is not None else WishStatus.OPEN

    def record(self, type_: EventType, *, seq: int, actor: str, at: datetime, **data: Any) -> Event:
        return record_event(Aggregate.TOPIC_WISH, self.id, type_, seq=seq, actor=actor, at=at, **data)


def wish_text(text: str) -> str:
    """A wish goes out in emails and agendas: identity codes, phone numbers and email addresses block it."""
    checked = bounded_text(text, field="text", maximum=MAX_WISH)
    blocking = [f for f in check_text(checked) if f.severity is Severity.BLOCK]
    if blocking:
        raise PrivacyBlocked("text", blocking)
    return checked


def submit(member: Member, text: str, *, at: datetime) -> tuple[TopicWish, Event]:
    """A member's own wish, from the signed-link form."""
    if not member.active:
        raise InvalidValue("member", f"member {member.stored_id} is no longer an active member")
    return _new(member.panel_id, text, member_id=member.stored_id, by=f"member:{member.stored_id}", at=at)


def record(panel: Panel, text: str, *, member: Member | None, actor: Actor, at: datetime) -> tuple[TopicWish, Event]:
    """A coordinator records a wish heard from a member (or from the panel as a whole when no member)."""
    actor.require_coordinator(panel.stored_id)
    if member is not None and member.panel_id != panel.stored_id:
        raise InvalidValue("member", f"member {member.id} is not in panel {panel.name!r}")
    return _new(panel.stored_id, text, member_id=member.id if member else None, by=actor.name, at=at)


def _new(panel_id: int, text: str, *, member_id: int | None, by: str, at: datetime) -> tuple[TopicWish, Event]:
    wish = TopicWish(
        id=None, panel_id=panel_id, text=wish_text(text), submitted_at=aware(at), submitted_by=by, member_id=member_id
    )
    # The text stays in the wish row only: the log holds no free text a member wrote.
    event = wish.record(EventType.SUBMITTED, seq=1, actor=by, at=at, panel_id=panel_id, member_id=member_id)
    return wish, event


def schedule(wish: TopicWish, meeting: Meeting, *, actor: Actor, seq: int, at: datetime) -> Event:
    """Take the wish up onto a meeting's agenda (a meeting of the same panel still ahead)."""
    actor.require_coordinator(wish.panel_id)
    if meeting.panel_id != wish.panel_id:
        raise InvalidValue("meeting", f"meeting {meeting.id} belongs to another panel than wish {wish.id}")
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.SUMMARY_SENT, MeetingStatus.CANCELLED):
        raise InvalidValue("meeting", f"meeting {meeting.id} is {meeting.status.value}; choose a coming meeting")
    if aware(at) >= meeting.starts_at:
        raise InvalidValue("meeting", f"meeting {meeting.id} has already started; choose a coming meeting")
    if wish.meeting_id == meeting.id:
        raise InvalidValue("meeting", f"wish {wish.id} is already on the agenda of meeting {meeting.id}")
    previous = wish.meeting_id
    wish.meeting_id = meeting.id
    wish.scheduled_at = at
    wish.scheduled_by = actor.name
    return wish.record(
        EventType.SCHEDULED, seq=seq, actor=actor.name, at=at, meeting_id=meeting.id, previous_meeting_id=previous
    )
