"""Who must hear of an idea change: a pure function from the event to outbox messages.

Every active member of the idea's panel hears of each move and progress note; the
owners of a service hear when an idea is sent to their service.

The payload helpers every producer shares are here too: ``panel_fields`` (the panel's name with its
translations, and its contact for members), ``translated`` (an entity's translations under the payload's own
field names) and ``with_translations``; ``to_members`` and ``to_staff`` add each recipient's ``greeting_name``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from domain.events import Event, EventType
from domain.ideas import Idea, IdeaState, event_translations
from domain.meetings import Meeting
from domain.panels import Member, Panel, Service, StaffUser
from domain.translations import TRANSLATED, Translations
from notifications.i18n import to_helsinki
from notifications.kinds import IDEA_SENT_TO_SERVICE, IDEA_UPDATE
from notifications.outbox import OutboxMessage, RecipientKind, message_id

__all__ = [
    "IDEA_SENT_TO_SERVICE",
    "IDEA_UPDATE",
    "MEMBER_FACING",
    "for_idea_event",
    "idea_payload",
    "meeting_title_translations",
    "panel_fields",
    "translated",
    "with_translations",
]
MEMBER_FACING = frozenset({EventType.MOVED, EventType.NOTED})


def translated(translations: Translations, names: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """An entity's translations under a payload's field names: ``translated(idea.translations, {"title":
    "idea_title"})`` → ``{"sv": {"idea_title": "…"}}``; only the fields named, no empty language."""
    return translations.renamed(names)


def with_translations(payload: dict[str, Any], *parts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``payload`` with the parts' translations merged into its ``translations`` (left out when there are none)."""
    merged: dict[str, dict[str, Any]] = {lang: dict(texts) for lang, texts in payload.get("translations", {}).items()}
    for part in parts:
        for language, texts in part.items():
            merged.setdefault(language, {}).update(texts)
    merged = {language: texts for language, texts in merged.items() if texts}
    if merged:
        payload["translations"] = merged
    else:
        payload.pop("translations", None)
    return payload


def meeting_title_translations(meeting: Meeting, name: str) -> dict[str, dict[str, Any]]:
    """The meeting's display title in Swedish and English under the payload's field ``name``."""
    found = {language.value: meeting.display_title_in(language) for language in TRANSLATED}
    return {language: {name: title} for language, title in found.items() if title}


def panel_fields(panel: Panel, *, for_members: bool = True) -> dict[str, Any]:
    """``panel_id`` and ``panel_name`` (with its translations), and for members the panel's ``panel_contact``."""
    fields: dict[str, Any] = {"panel_id": panel.id, "panel_name": panel.name}
    with_translations(fields, translated(panel.translations, {"name": "panel_name"}))
    if for_members and panel.contact is not None:
        fields["panel_contact"] = panel.contact.as_json()
    return fields


def idea_payload(idea: Idea, event: Event, *, panel: Panel, service: Service | None) -> dict[str, Any]:
    payload = {
        "idea_id": idea.id,
        "idea_title": idea.title,
        "meeting_id": idea.meeting_id,
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
    if idea.text:
        payload["idea_text"] = idea.text
    fields = panel_fields(panel)
    return with_translations(
        {**fields, **payload},
        translated(idea.translations, {"title": "idea_title", "text": "idea_text"}),
        translated(event_translations(event), {"text": "text"}),
    )


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
        # The chaser reminds the service when the panel's stale_days pass without an answer: that day is the date
        # by which the panel expects one, and the service owner reads it in the mail.
        respond_by = to_helsinki(event.at + timedelta(days=panel.stale_days)).date().isoformat()
        to_service = {**payload, "respond_by": respond_by}
        messages += to_staff(IDEA_SENT_TO_SERVICE, key, owners, to_service, panel_id=panel.stored_id, now=now)
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
             {**payload, "recipient_name": member.name, "greeting_name": member.greeting},
             panel_id=panel_id, now=now)
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
    """One row per staff user (reminders, escalations, alerts), in the user's saved language (else Finnish); the
    member-only ``panel_contact`` is left out, and the user's ``greeting_name`` added when they have one. A
    deactivated user gets none."""
    staff_payload = {k: v for k, v in payload.items() if k != "panel_contact"}
    return [
        _row(kind, key, RecipientKind.STAFF, user.id, user.email, user.language.value if user.language else "fi",
             {**staff_payload, "greeting_name": user.greeting_name} if user.greeting_name else staff_payload,
             panel_id=panel_id, now=now)
        for user in users
        if user.id is not None and user.active  # a deactivated user has left: their work goes to whoever follows
    ]  # fmt: skip


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
