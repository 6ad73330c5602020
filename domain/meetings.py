"""Meetings and their development tasks (a question or material brought by the leading service)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from domain.actors import Actor
from domain.entities import Entity
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType, record_event
from domain.panels import Panel, Service, created
from domain.schedule import PREBRIEF_FLOOR_DAYS, prebrief_times
from domain.translations import NONE, TextRule, Translations, cleared, missing, translations
from domain.values import MAX_TEXT, MAX_TITLE, Language, aware, bounded_text, single_line


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


MAX_PLACE = 500
MAX_ITEM = 500  # an agenda item, a next step
# What members read of a meeting in Swedish and English, as the meeting keeps it (the Finnish fields' limits).
MEETING_TEXTS: Mapping[str, TextRule] = MappingProxyType(
    {
        "title": TextRule(MAX_TITLE, one_line=True),
        "place": TextRule(MAX_PLACE),
        "agenda": TextRule(MAX_ITEM, listed=True),
        "summary": TextRule(MAX_TEXT * 3),
        "next_steps": TextRule(MAX_ITEM, listed=True),
    }
)
TASK_TEXTS: Mapping[str, TextRule] = MappingProxyType({"text": TextRule(MAX_TEXT)})
MATERIAL_TEXTS: Mapping[str, TextRule] = MappingProxyType({"title": TextRule(MAX_TITLE, one_line=True)})
# As scheduling and updating take them: the meeting's own fields, and each task's or material's text by
# position (``{"sv": {"task": ["…", "…"]}}`` beside ``--task`` given twice).
DETAIL_TEXTS: Mapping[str, TextRule] = MappingProxyType(
    {
        **{name: MEETING_TEXTS[name] for name in ("title", "place", "agenda")},
        "task": TextRule(MAX_TEXT, listed=True),
        "material": TextRule(MAX_TITLE, one_line=True, listed=True),
    }
)
# A summary is given as its text and next steps: the text is the meeting's summary.
SUMMARY_NAMES: Mapping[str, str] = MappingProxyType({"text": "summary", "next_steps": "next_steps"})


@dataclass(frozen=True)
class DevelopmentTask:
    """What the leading service brings to the panel: a question or a piece of material."""

    text: str
    kind: TaskKind = TaskKind.QUESTION
    category: TaskCategory = TaskCategory.OTHER
    translations: Translations = NONE  # the text in Swedish and English (TASK_TEXTS)


@dataclass(frozen=True)
class Material:
    title: str
    url: str
    translations: Translations = NONE  # the title in Swedish and English (MATERIAL_TEXTS)


DEFAULT_LENGTH = timedelta(hours=2)
SYSTEM = "raati"  # the actor of what the flows do on their own


@dataclass
class Meeting(Entity):
    id: int | None
    panel_id: int
    starts_at: datetime
    leading_service_id: int
    tasks: list[DevelopmentTask] = field(default_factory=list)
    place: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    title: str = ""
    ends_at: datetime | None = None
    online_url: str = ""
    agenda: list[str] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    late: bool = False
    late_reason: str = ""
    prebrief_sent_at: datetime | None = None
    summary: str = ""
    next_steps: list[str] = field(default_factory=list)
    summary_approved_at: datetime | None = None
    summary_approved_by: str = ""
    summary_sent_at: datetime | None = None
    # Title, place, agenda, summary and next steps in Swedish and English (MEETING_TEXTS).
    translations: Translations = NONE
    # The members' calendar entry's SEQUENCE: it rises with each move or cancellation, so their calendar (the saved
    # invitation, or the feed it subscribes to) takes the newest version of the same UID.
    calendar_sequence: int = 0
    cancelled_reason: str = ""
    cancelled_at: datetime | None = None

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + DEFAULT_LENGTH

    @property
    def display_title(self) -> str:
        return self.title or (self.tasks[0].text if self.tasks else "")

    def display_title_in(self, language: str) -> str | None:
        """The display title's translation, if the meeting has one in ``language``."""
        if self.title:
            found = self.translations.get(language, "title")
        else:
            found = self.tasks[0].translations.get(language, "text") if self.tasks else None
        return found if isinstance(found, str) else None

    def missing_translations(self) -> dict[str, list[str]]:
        """What members will read only in Finnish, by language: the meeting's own fields that have a Finnish text
        (``title``, ``place``, ``agenda``, ``summary``, ``next_steps``) and each task and material (``tasks[0]``).
        Missing translations never block sending; this is for the coordinator to see before it goes out."""
        own = {"title": self.title, "place": self.place, "agenda": self.agenda, "summary": self.summary,
               "next_steps": self.next_steps}  # fmt: skip
        lacking = missing(self.translations, [name for name, value in own.items() if value])
        for language, names in lacking.items():
            names += [f"tasks[{i}]" for i, t in enumerate(self.tasks) if t.translations.get(language, "text") is None]
            names += [
                f"materials[{i}]" for i, m in enumerate(self.materials) if m.translations.get(language, "title") is None
            ]
        return lacking

    @property
    def prebrief_ready(self) -> bool:
        """Members can be told what and where: a task or an agenda, and a place or a link."""
        return bool(self.tasks or self.agenda) and bool(self.place or self.online_url)

    def record(self, type_: EventType, *, seq: int, actor: str, at: datetime, **data: Any) -> Event:
        return record_event(Aggregate.MEETING, self.id, type_, seq=seq, actor=actor, at=at, **data)


E = TypeVar("E", bound=StrEnum)


def _choice(enum: type[E], value: str, field: str) -> E:
    try:
        return enum(value.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidValue(field, f"{value!r} is not one of {allowed}") from None


def development_task(
    text: str, *, kind: str = "question", category: str = "other", texts: Mapping[str, Any] | None = None
) -> DevelopmentTask:
    return DevelopmentTask(
        text=bounded_text(text, field="task", maximum=MAX_TEXT),
        kind=_choice(TaskKind, kind, "task_kind"),
        category=_choice(TaskCategory, category, "category"),
        translations=translations(texts, rules=TASK_TEXTS),
    )


def _fits(given: Translations, name: str, count: int, *, given_as: str, what: str) -> None:
    """A list's translations may not be longer than the Finnish list they translate by position."""
    for language, by_field in given.texts.items():
        items = by_field.get(name, ())
        if len(items) > count:
            raise InvalidValue(
                f"translations.{language.value}.{given_as}", f"gives {len(items)} texts for {count} {what}"
            )


def _by_position(items: tuple[str, ...] | str, language: Language, name: str) -> dict[int, Translations]:
    """Checked texts of a list, each as one item's translation under the item's own field ``name``."""
    texts = (items,) if isinstance(items, str) else items
    return {
        i: Translations(MappingProxyType({language: MappingProxyType({name: text})})) for i, text in enumerate(texts)
    }


def _translate(
    meeting: Meeting, given: Translations, emptied: frozenset[tuple[str, str]], *, rewritten: frozenset[str]
) -> bool:
    """Apply scheduling's or an update's translations to the meeting, its tasks and its materials; True if any
    changed. A Finnish field given anew (``rewritten``) keeps only the translations given with it."""
    _fits(given, "task", len(meeting.tasks), given_as="task", what="tasks")
    _fits(given, "material", len(meeting.materials), given_as="material", what="materials")
    own = Translations(
        MappingProxyType(
            {
                language: MappingProxyType({n: v for n, v in by_field.items() if n in MEETING_TEXTS})
                for language, by_field in given.texts.items()
            }
        )
    )
    gone = emptied | {("*", name) for name in rewritten if name in MEETING_TEXTS}
    before = (meeting.translations, meeting.tasks, meeting.materials)
    meeting.translations = meeting.translations.merged(own, cleared=gone)
    for language, by_field in given.texts.items():
        for i, one in _by_position(by_field.get("task", ()), language, "text").items():
            task = meeting.tasks[i]
            meeting.tasks[i] = _replace(task, translations=task.translations.merged(one))
        for i, one in _by_position(by_field.get("material", ()), language, "title").items():
            material = meeting.materials[i]
            meeting.materials[i] = _replace(material, translations=material.translations.merged(one))
    return before != (meeting.translations, meeting.tasks, meeting.materials)


def schedule_meeting(
    panel: Panel,
    *,
    starts_at: datetime,
    leading_service: Service,
    tasks: list[DevelopmentTask],
    place: str = "",
    actor: Actor,
    at: datetime,
    tz: tzinfo,
    late_reason: str | None = None,
) -> tuple[Meeting, Event]:
    """Plan a meeting. One too close for a pre-brief 3 days ahead needs a recorded reason."""
    actor.require_coordinator(panel.stored_id)
    if leading_service.panel_id != panel.stored_id:
        raise InvalidValue("service", f"{leading_service.name!r} does not take part in panel {panel.name!r}")
    if not tasks:
        raise InvalidValue("task", "a meeting needs at least one development task")
    starts = aware(starts_at, field="at")
    if starts <= aware(at):
        raise InvalidValue("at", "the meeting must start in the future")
    times = prebrief_times(starts, lead_days=panel.lead_days, tz=tz)
    late = times.is_late(at)
    reason = bounded_text(late_reason, field="reason", maximum=1000, required=False)
    if late and not reason:
        raise InvalidValue(
            "at",
            f"the meeting is less than {PREBRIEF_FLOOR_DAYS} days away, so members cannot get the pre-brief "
            f"{PREBRIEF_FLOOR_DAYS} days ahead; schedule it later, or give --allow-late with a reason",
        )
    meeting = Meeting(
        id=None,
        panel_id=panel.stored_id,
        starts_at=starts,
        leading_service_id=leading_service.stored_id,
        tasks=list(tasks),
        place=bounded_text(place, field="place", maximum=MAX_PLACE, required=False),
        late=late,
        late_reason=reason if late else "",
    )
    data: dict[str, Any] = {
        "panel_id": panel.stored_id,
        "starts_at": meeting.starts_at.isoformat(),
        "leading_service_id": leading_service.stored_id,
    }
    if late:
        data["late_reason"] = reason
    event = created(Aggregate.MEETING, EventType.SCHEDULED, actor=actor, at=at, **data)
    return meeting, event


def update_details(
    meeting: Meeting,
    *,
    title: str | None = None,
    agenda: list[str] | None = None,
    place: str | None = None,
    online_url: str | None = None,
    materials: list[Material] | None = None,
    ends_at: datetime | None = None,
    actor: Actor,
    seq: int,
    at: datetime,
    texts: Mapping[str, Any] | None = None,
) -> Event | None:
    """Change what members will read in the pre-brief; None when nothing changed.

    ``texts`` are the Swedish and English versions (``DETAIL_TEXTS``): given ones replace, empty ones remove;
    a Finnish field given anew drops the translations not given with it. ``task`` and ``material`` translate
    the meeting's tasks and materials by position.
    """
    actor.require_coordinator(meeting.panel_id)
    changed: list[str] = []
    given = translations(texts, rules=DETAIL_TEXTS)
    if title is not None:
        meeting.title = single_line(title, field="title", maximum=MAX_TITLE) if title.strip() else ""
        changed.append("title")
    if agenda is not None:
        meeting.agenda = [bounded_text(item, field="agenda", maximum=500) for item in agenda if item.strip()]
        changed.append("agenda")
    if place is not None:
        meeting.place = bounded_text(place, field="place", maximum=500, required=False)
        changed.append("place")
    if online_url is not None:
        url = online_url.strip()
        if url and not url.lower().startswith(("https://", "http://")):
            raise InvalidValue("online_url", "must be an http(s) link")
        meeting.online_url = url
        changed.append("online_url")
    if materials is not None:
        for material in materials:
            if not material.url.lower().startswith(("https://", "http://")):
                raise InvalidValue("material", f"{material.url!r} must be an http(s) link")
        meeting.materials = list(materials)
        changed.append("materials")
    if ends_at is not None:
        if aware(ends_at, field="ends_at") <= meeting.starts_at:
            raise InvalidValue("ends_at", "must be after the start")
        meeting.ends_at = ends_at
        changed.append("ends_at")
    if _translate(meeting, given, cleared(texts), rewritten=frozenset(changed)):
        changed.append("translations")
    if not changed:
        return None
    return meeting.record(EventType.UPDATED, seq=seq, actor=actor.name, at=at, fields=changed)


def draft_summary(
    meeting: Meeting,
    *,
    text: str,
    next_steps: list[str],
    actor: Actor,
    seq: int,
    at: datetime,
    texts: Mapping[str, Any] | None = None,
) -> Event:
    """Write or rewrite the summary; a changed summary needs approving again."""
    actor.require_coordinator(meeting.panel_id)
    if meeting.summary_sent_at is not None:
        raise InvalidValue("summary", "has already been sent to the members")
    meeting.summary = bounded_text(text, field="summary", maximum=MAX_TEXT * 3)
    meeting.next_steps = [
        bounded_text(step, field="next_steps", maximum=MAX_ITEM) for step in next_steps if step.strip()
    ]
    given = translations(texts, rules=MEETING_TEXTS, names=SUMMARY_NAMES)
    _fits(given, "next_steps", len(meeting.next_steps), given_as="next_steps", what="next steps")
    # A summary is written whole: its translations are those given with it.
    meeting.translations = meeting.translations.merged(
        given, cleared=frozenset({("*", "summary"), ("*", "next_steps")})
    )
    meeting.summary_approved_at = None
    meeting.summary_approved_by = ""
    return meeting.record(EventType.SUMMARY_DRAFTED, seq=seq, actor=actor.name, at=at)


def approve_summary(meeting: Meeting, *, actor: Actor, seq: int, at: datetime) -> Event:
    """A coordinator approves the summary; the follow-up flow then sends it."""
    actor.require_coordinator(meeting.panel_id)
    if not meeting.summary:
        raise InvalidValue("summary", "write the summary before approving it")
    if at < meeting.end:
        raise InvalidValue("meeting", "has not been held yet")
    if meeting.summary_sent_at is not None:
        raise InvalidValue("summary", "has already been sent to the members")
    meeting.summary_approved_at = at
    meeting.summary_approved_by = actor.name
    return meeting.record(EventType.SUMMARY_APPROVED, seq=seq, actor=actor.name, at=at)


def prebrief_sent(meeting: Meeting, *, late: bool, seq: int, at: datetime) -> Event:
    meeting.prebrief_sent_at = at
    meeting.status = MeetingStatus.PREBRIEF_SENT
    if late:
        meeting.late = True
    return meeting.record(EventType.PREBRIEF_SENT, seq=seq, actor=SYSTEM, at=at, late=late)


def flag_late(meeting: Meeting, *, seq: int, at: datetime) -> Event | None:
    """The 3-day line was crossed without a pre-brief; None if already flagged."""
    if meeting.late:
        return None
    meeting.late = True
    return meeting.record(EventType.FLAGGED_LATE, seq=seq, actor=SYSTEM, at=at)


def held(meeting: Meeting, *, seq: int, at: datetime) -> Event | None:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.SUMMARY_SENT, MeetingStatus.CANCELLED):
        return None
    meeting.status = MeetingStatus.HELD
    return meeting.record(EventType.HELD, seq=seq, actor=SYSTEM, at=at)


def summary_sent(meeting: Meeting, *, seq: int, at: datetime) -> Event:
    meeting.summary_sent_at = at
    meeting.status = MeetingStatus.SUMMARY_SENT
    return meeting.record(EventType.SUMMARY_SENT, seq=seq, actor=SYSTEM, at=at)


MAX_REASON = 1000  # a late meeting's or a cancellation's reason


@dataclass(frozen=True)
class Moved:
    """A reschedule's outcome: the event, the start it had before, and whether members are told of it (only once
    the pre-brief has gone out; until then the pre-brief itself brings the new time)."""

    event: Event
    previous_start: datetime
    members_told: bool


def _coming(meeting: Meeting, at: datetime) -> None:
    """Only a meeting still to come can be moved or cancelled."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise InvalidValue("meeting", "was cancelled")
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.SUMMARY_SENT) or meeting.starts_at <= aware(at):
        raise InvalidValue("meeting", "has already started or been held")


def reschedule(
    meeting: Meeting,
    *,
    starts_at: datetime,
    ends_at: datetime | None = None,
    lead_days: int,
    actor: Actor,
    seq: int,
    at: datetime,
    tz: tzinfo,
    late_reason: str | None = None,
) -> Moved:
    """Move a coming meeting. The 3-day line holds as when scheduling: a new time too close for members to hear
    of it 3 days ahead needs a recorded reason. Without a new end the meeting keeps its length."""
    actor.require_coordinator(meeting.panel_id)
    _coming(meeting, at)
    starts = aware(starts_at, field="at")
    if starts <= at:
        raise InvalidValue("at", "the meeting must start in the future")
    if ends_at is not None and aware(ends_at, field="ends_at") <= starts:
        raise InvalidValue("ends_at", "must be after the start")
    if ends_at is None and meeting.ends_at is not None:
        ends_at = starts + (meeting.ends_at - meeting.starts_at)
    if starts == meeting.starts_at and ends_at == meeting.ends_at:
        raise InvalidValue("at", "is the meeting's time already")
    late = prebrief_times(starts, lead_days=lead_days, tz=tz).is_late(at)
    reason = bounded_text(late_reason, field="reason", maximum=MAX_REASON, required=False)
    if late and not reason:
        raise InvalidValue(
            "at",
            f"the new time is less than {PREBRIEF_FLOOR_DAYS} days away, so members cannot hear of it "
            f"{PREBRIEF_FLOOR_DAYS} days ahead; choose a later time, or give --allow-late with a reason",
        )
    previous = meeting.starts_at
    told = meeting.prebrief_sent_at is not None
    meeting.starts_at, meeting.ends_at = starts, ends_at
    # Every move is a new version of the calendar entry: members' calendar feeds hold it from the scheduling on.
    meeting.calendar_sequence += 1
    if told:
        if late:
            meeting.late, meeting.late_reason = True, reason
    else:  # the pre-brief is still to go: whether it is late is judged anew from the new time
        meeting.late, meeting.late_reason = late, reason if late else ""
    data: dict[str, Any] = {
        "previous_starts_at": previous.isoformat(),
        "starts_at": starts.isoformat(),
        "members_told": told,
        "sequence": meeting.calendar_sequence,
    }
    if ends_at is not None:
        data["ends_at"] = ends_at.isoformat()
    if late:
        data["late_reason"] = reason
    event = meeting.record(EventType.RESCHEDULED, seq=seq, actor=actor.name, at=at, **data)
    return Moved(event, previous, told)


def cancel(meeting: Meeting, *, reason: str, actor: Actor, seq: int, at: datetime) -> Event:
    """Cancel a coming meeting with a reason for the members; it gets no pre-brief and no summary."""
    actor.require_coordinator(meeting.panel_id)
    _coming(meeting, at)
    meeting.cancelled_reason = bounded_text(reason, field="reason", maximum=MAX_REASON)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = at
    meeting.calendar_sequence += 1
    return meeting.record(
        EventType.CANCELLED, seq=seq, actor=actor.name, at=at, reason=meeting.cancelled_reason,
        sequence=meeting.calendar_sequence,
    )  # fmt: skip
