"""The event record every change appends to the log, the aggregate kinds that raise them, and the event types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from domain.values import aware


class Aggregate(StrEnum):
    """What an event is about; the log is keyed by (aggregate, aggregate id, seq)."""

    PANEL = "panel"
    SERVICE = "service"
    MEMBER = "member"
    USER = "user"
    MEETING = "meeting"
    IDEA = "idea"
    TOPIC_WISH = "topic_wish"
    SURVEY = "survey"


class EventType(StrEnum):
    """What happened: the log's ``type``, also in outbox payloads (``event_type``) and the publisher's event names.

    One word may serve several aggregates: ``added`` is the first event of a service, a member and a staff user.
    """

    # Ideas
    RAISED = "raised"
    MOVED = "moved"
    NOTED = "noted"
    PRIVACY_ACKNOWLEDGED = "privacy_acknowledged"  # also meetings: health details let through, without the text
    # The first event of a new aggregate
    CREATED = "created"  # panels, surveys
    ADDED = "added"  # services, members, staff users
    SCHEDULED = "scheduled"  # meetings; later, a topic wish taken onto a meeting's agenda
    SUBMITTED = "submitted"  # topic wishes
    DECLINED = "declined"  # a topic wish the coordinators will not take up (its note stays in the wish's row)
    # Meetings
    UPDATED = "updated"
    PREBRIEF_SENT = "prebrief_sent"
    FLAGGED_LATE = "flagged_late"
    HELD = "held"
    ATTENDANCE_RECORDED = "attendance_recorded"
    SUMMARY_DRAFTED = "summary_drafted"
    SUMMARY_APPROVED = "summary_approved"
    SUMMARY_SENT = "summary_sent"
    RESCHEDULED = "rescheduled"  # members hear of it once the pre-brief has gone out
    CANCELLED = "cancelled"
    # Panels and their members
    GROUND_RULES_PUBLISHED = "ground_rules_published"
    GROUND_RULES_ACKNOWLEDGED = "ground_rules_acknowledged"
    PREFERENCES_CHANGED = "preferences_changed"
    UNSUBSCRIBED = "unsubscribed"
    RESUBSCRIBED = "resubscribed"
    ERASED = "erased"
    # Staff users
    GRANTED = "granted"
    TOKEN_ISSUED = "token_issued"
    DEACTIVATED = "deactivated"
    ACTIVATED = "activated"
    # Announced after the commit to wake the dispatcher, never kept in the log (the audit trail records it).
    SIGN_IN_LINK_REQUESTED = "sign_in_link_requested"
    # Surveys
    STATEMENTS_ADDED = "statements_added"
    OPENED = "opened"
    REMINDED = "reminded"
    CLOSED = "closed"


@dataclass(frozen=True)
class Event:
    """One entry of the append-only log.

    ``aggregate_id`` is None until the repository has given the new aggregate its id.
    """

    aggregate: Aggregate
    aggregate_id: int | None
    seq: int
    type: str  # an EventType; a plain string when read back from the log
    actor: str
    at: datetime
    from_state: str | None = None
    to_state: str | None = None
    text: str | None = None
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def record_event(
    aggregate: Aggregate, aggregate_id: int | None, type_: EventType, *, seq: int, actor: str, at: datetime, **data: Any
) -> Event:
    """An event with facts only in ``data`` (meetings, surveys, topic wishes); ``at`` must carry its offset."""
    return Event(
        aggregate=aggregate,
        aggregate_id=aggregate_id,
        seq=seq,
        type=type_,
        actor=actor,
        at=aware(at),
        data=MappingProxyType(data),
    )
