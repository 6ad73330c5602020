"""A member's own choices: language, immediate or digest delivery, and unsubscribing.

Members act without an account (through signed links), so the log names them only by id.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.panels import Delivery, Member, greeting_name
from domain.values import aware, language


def member_actor(member: Member) -> str:
    return f"member:{member.id}"


def parse_delivery(value: str, *, field: str = "delivery") -> Delivery:
    try:
        return Delivery(value.strip().lower())
    except ValueError:
        allowed = ", ".join(d.value for d in Delivery)
        raise InvalidValue(field, f"{value!r} is not one of {allowed}") from None


def change_preferences(
    member: Member,
    *,
    lang: str | None,
    delivery: str | None,
    seq: int,
    actor: str,
    at: datetime,
    greeting: str | None = None,
) -> Event | None:
    """Apply the changed choices; None when nothing changed (no event for a no-op).

    ``greeting`` sets the name mail greets the member by ("" returns to the first word of the name); the log
    records that it changed, not the name.
    """
    changes: dict[str, Any] = {}
    if greeting is not None:
        chosen_name = greeting_name(greeting)
        if chosen_name != member.greeting_name:
            member.greeting_name = chosen_name
            changes["greeting_name"] = "changed"
    if lang is not None:
        chosen = language(lang)
        if chosen is not member.language:
            member.language = chosen
            changes["language"] = chosen.value
    if delivery is not None:
        mode = parse_delivery(delivery)
        if mode is not member.delivery:
            member.delivery = mode
            changes["delivery"] = mode.value
    if not changes:
        return None
    return _event(member, EventType.PREFERENCES_CHANGED, seq=seq, actor=actor, at=at, data=changes)


def unsubscribe(member: Member, *, seq: int, actor: str, at: datetime, via: str) -> Event | None:
    """Stop all member mail; None if the member had already unsubscribed."""
    if member.unsubscribed:
        return None
    member.unsubscribed = True
    return _event(member, EventType.UNSUBSCRIBED, seq=seq, actor=actor, at=at, data={"via": via})


def resubscribe(member: Member, *, seq: int, actor: str, at: datetime) -> Event | None:
    if not member.unsubscribed:
        return None
    member.unsubscribed = False
    return _event(member, EventType.RESUBSCRIBED, seq=seq, actor=actor, at=at, data={})


def _event(member: Member, type_: EventType, *, seq: int, actor: str, at: datetime, data: dict[str, Any]) -> Event:
    return Event(
        aggregate=Aggregate.MEMBER,
        aggregate_id=member.id,
        seq=seq,
        type=type_,
        actor=actor,
        at=aware(at),
        data=MappingProxyType(data),
    )
