"""Meetings and their development tasks (a question or material brought by the leading service)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.panels import Panel, Service, created
from domain.values import MAX_TEXT, aware, bounded_text


class TaskKind(StrEnum):
    QUESTION = "question"
    MATERIAL = "material"


class TaskCategory(StrEnum):
    COMMUNICATIONS = "communications"
    WEB_SERVICES = "web_services"
    CUSTOMER_INSTRUCTIONS = "customer_instructions"
    OTHER = "other"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    PREBRIEF_SENT = "prebrief_sent"
    HELD = "held"
    SUMMARY_SENT = "summary_sent"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DevelopmentTask:
    """What the leading service brings to the panel: a question or a piece of material."""

    text: str
    kind: TaskKind = TaskKind.QUESTION
    category: TaskCategory = TaskCategory.OTHER


@dataclass
class Meeting:
    id: int | None
    panel_id: int
    starts_at: datetime
    leading_service_id: int
    tasks: list[DevelopmentTask] = field(default_factory=list)
    place: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED


E = TypeVar("E", bound=StrEnum)


def _choice(enum: type[E], value: str, field: str) -> E:
    try:
        return enum(value.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidValue(field, f"{value!r} is not one of {allowed}") from None


def development_task(text: str, *, kind: str = "question", category: str = "other") -> DevelopmentTask:
    return DevelopmentTask(
        text=bounded_text(text, field="task", maximum=MAX_TEXT),
        kind=_choice(TaskKind, kind, "task_kind"),
        category=_choice(TaskCategory, category, "category"),
    )


def schedule_meeting(
    panel: Panel,
    *,
    starts_at: datetime,
    leading_service: Service,
    tasks: list[DevelopmentTask],
    place: str = "",
    actor: Actor,
    at: datetime,
) -> tuple[Meeting, Event]:
    assert panel.id is not None
    assert leading_service.id is not None
    actor.require_coordinator(panel.id)
    if leading_service.panel_id != panel.id:
        raise InvalidValue("service", f"{leading_service.name!r} does not take part in panel {panel.name!r}")
    if not tasks:
        raise InvalidValue("task", "a meeting needs at least one development task")
    meeting = Meeting(
        id=None,
        panel_id=panel.id,
        starts_at=aware(starts_at, field="at"),
        leading_service_id=leading_service.id,
        tasks=list(tasks),
        place=bounded_text(place, field="place", maximum=500, required=False),
    )
    event = created(
        Aggregate.MEETING,
        "scheduled",
        actor=actor,
        at=at,
        panel_id=panel.id,
        starts_at=meeting.starts_at.isoformat(),
        leading_service_id=leading_service.id,
    )
    return meeting, event
