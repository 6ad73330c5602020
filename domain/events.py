"""The event record every change appends to the log, and the aggregate kinds that raise them."""

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


@dataclass(frozen=True)
class Event:
    """One entry of the append-only log.

    ``aggregate_id`` is None until the repository has given the new aggregate its id.
    """

    aggregate: Aggregate
    aggregate_id: int | None
    seq: int
    type: str
    actor: str
    at: datetime
    from_state: str | None = None
    to_state: str | None = None
    text: str | None = None
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def record_event(
    aggregate: Aggregate, aggregate_id: int | None, type_: str, *, seq: int, actor: str, at: datetime, **data: Any
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
