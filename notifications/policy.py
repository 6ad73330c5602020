"""Who must hear of an idea change: a pure function from the event to outbox messages.

Every active member of the idea's panel hears of each move and progress note; the
owners of a service hear when an idea is sent to their service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from domain.events import Event, EventType
from domain.ideas import Idea, IdeaState
from domain.panels import Member, Panel, Service, StaffUser
from notifications.kinds import IDEA_SENT_TO_SERVICE, IDEA_UPDATE
from notifications.outbox import OutboxMessage, RecipientKind, message_id

__all__ = ["IDEA_SENT_TO_SERVICE", "IDEA_UPDATE", "MEMBER_FACING", "for_idea_event", "idea_payload"]
MEMBER_FACING = frozenset({EventType.MOVED, EventType.NOTED})


def idea_payload(idea: Idea, event: Event, *, panel: Panel, service: Service | None) -> dict[str, Any]:
    return {
        "idea_id": idea.id,
        "idea_title": idea.title,
        "meeting_id": idea.meeting_id,
        "panel_id": panel.id,
        "panel_name": panel.name,
        "service_id": service.id if service else None,
        "service_name": service.name if service else None,
        "event_seq": event.seq,
        "event_type": event.type,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "text": event.text,
        "actor": event.actor,
        "at": event.at.isoformat(),
    }


def for_idea_event(
    idea: Idea,
    event: Event,
    *,
    panel: Panel,
    service: Service | None,
    members: Sequence[Member],
    owners: Sequence[StaffUser],
    now: datetime,
) -> list[OutboxMessage]:
    payload = idea_payload(idea, event, panel=panel, service=service)
    key = ("idea", idea.stored_id, event.seq)
    messages: list[OutboxMessage] = []
    if event.type in MEMBER_FACING:
        messages += to_members(IDEA_UPDATE, key, members, payload, panel_id=panel.stored_id, now=now)
    if event.type == EventType.MOVED and event.to_state == IdeaState.SENT_TO_SERVICE.value:
        messages += to_staff(IDEA_SENT_TO_SERVICE, key, owners, payload, panel_id=panel.stored_id, now=now)
    return messages


def to_members(
    kind: str,
    key: tuple[object, ...],
    members: Sequence[Member],
    payload: dict[str, Any],
    *,
    panel_id: int,
    now: datetime,
) -> list[OutboxMessage]:
    """One row per member who receives mail; ``key`` names the item and period (the dedupe key)."""
    return [
        _row(kind, key, RecipientKind.MEMBER, member.id, member.email, member.language.value,
             {**payload, "recipient_name": member.name}, panel_id=panel_id, now=now)
        for member in members
        if member.receives_mail and member.id is not None
    ]  # fmt: skip


def to_staff(
    kind: str,
    key: tuple[object, ...],
    users: Sequence[StaffUser],
    payload: dict[str, Any],
    *,
    panel_id: int,
    now: datetime,
) -> list[OutboxMessage]:
    """One row per staff user (reminders, escalations, alerts), in Finnish."""
    return [
        _row(kind, key, RecipientKind.STAFF, user.id, user.email, "fi", payload, panel_id=panel_id, now=now)
        for user in users
        if user.id is not None
    ]


def _row(
    kind: str,
    key: tuple[object, ...],
    who: RecipientKind,
    recipient_id: int,
    email: str,
    language: str,
    payload: dict[str, Any],
    *,
    panel_id: int,
    now: datetime,
) -> OutboxMessage:
    return OutboxMessage(
        id=message_id(*key, kind, who.value, recipient_id),
        kind=kind,
        recipient_kind=who,
        recipient_id=recipient_id,
        email=email,
        language=language,
        payload=payload,
        created_at=now,
        panel_id=panel_id,
    )
