"""Topic wishes: members propose topics for the panel; a coordinator takes one up onto a meeting's agenda, or
declines it with a short note to the member."""

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
from domain.privacy_guard import Acknowledgement, screen
from domain.values import MAX_TEXT, aware, bounded_text

MAX_WISH = 2000
# A decline note is as long as an idea's note may be: a sentence or a few in practice.
MAX_DECLINE_NOTE = MAX_TEXT


class WishStatus(StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"
    DECLINED = "declined"


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
    declined_at: datetime | None = None
    declined_by: str = ""
    decline_note: str = ""

    @property
    def status(self) -> WishStatus:
        if self.declined_at is not None:
            return WishStatus.DECLINED
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
    if wish.status is WishStatus.DECLINED:
        raise InvalidValue("wish", f"wish {wish.id} was declined; a declined wish is not taken onto an agenda")
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


def decline(
    wish: TopicWish, note: str, *, actor: Actor, seq: int, at: datetime, acknowledge_health: bool = False
) -> list[Event]:
    """The coordinators will not take the wish up: an open wish only, with a note to its member saying why.

    The note leaves Raati in the member's mail, so the privacy guard checks it as other outgoing texts:
    identifiers block it, health details go only on a coordinator's word (recorded as its own event).
    """
    actor.require_coordinator(wish.panel_id)
    if wish.status is not WishStatus.OPEN:
        raise InvalidValue("wish", f"wish {wish.id} is {wish.status.value}; only an open wish can be declined")
    checked = bounded_text(note, field="note", maximum=MAX_DECLINE_NOTE)
    acknowledged = screen({"note": checked}, actor=actor, panel_id=wish.panel_id, acknowledge_health=acknowledge_health)
    wish.declined_at = aware(at)
    wish.declined_by = actor.name
    wish.decline_note = checked
    # As with the wish's text, the note stays in the wish's row: the log holds no free text.
    events = [wish.record(EventType.DECLINED, seq=seq, actor=actor.name, at=at, member_id=wish.member_id)]
    if acknowledged is not None:
        events.append(_acknowledged(wish, acknowledged, actor=actor, seq=seq + 1, at=at))
    return events


def _acknowledged(wish: TopicWish, acknowledged: Acknowledgement, *, actor: Actor, seq: int, at: datetime) -> Event:
    return wish.record(EventType.PRIVACY_ACKNOWLEDGED, seq=seq, actor=actor.name, at=at, **acknowledged.data())
