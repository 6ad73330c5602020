"""The idea aggregate: one transition table and the guarded mutators that obey it.

Every change checks the expected version and the actor's rights, bumps the version
and records an event; the version always equals the number of events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from domain.actors import Actor
from domain.entities import Entity
from domain.errors import InvalidTransition, InvalidValue, PermissionDenied, VersionConflict
from domain.events import Aggregate, Event, EventType
from domain.translations import NONE, TextRule, Translations, from_store, translations
from domain.values import MAX_TEXT, MAX_TITLE, Role, aware, bounded_text, single_line


class IdeaState(StrEnum):
    RAISED = "raised"
    SENT_TO_SERVICE = "sent_to_service"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"


_S = IdeaState
TRANSITIONS: Mapping[IdeaState, frozenset[IdeaState]] = MappingProxyType(
    {
        _S.RAISED: frozenset({_S.SENT_TO_SERVICE, _S.DECLINED}),
        _S.SENT_TO_SERVICE: frozenset({_S.IN_PROGRESS, _S.DECLINED}),
        _S.IN_PROGRESS: frozenset({_S.IMPLEMENTED, _S.DECLINED}),
        _S.IMPLEMENTED: frozenset(),
        _S.DECLINED: frozenset(),
    }
)
# The states split once: open ones still lead somewhere (in the order an idea travels), final ones never do.
OPEN_STATES: tuple[IdeaState, ...] = tuple(s for s in IdeaState if TRANSITIONS[s])
TERMINAL: frozenset[IdeaState] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)

# What the members must be told when an idea ends, named for the error message.
REQUIRED_TEXT: Mapping[IdeaState, str] = MappingProxyType(
    {
        _S.DECLINED: "a declined idea needs the reason, written for the members",
        _S.IMPLEMENTED: "an implemented idea needs the outcome, written for the members",
    }
)


# What members read of an idea, in Swedish and English beside the Finnish: its title and text.
IDEA_TEXTS: Mapping[str, TextRule] = MappingProxyType(
    {"title": TextRule(MAX_TITLE, one_line=True), "text": TextRule(MAX_TEXT)}
)
# A move's or progress note's text: kept in the event's data as {"translations": {"sv": {"text": …}}}.
EVENT_TEXTS: Mapping[str, TextRule] = MappingProxyType({"text": TextRule(MAX_TEXT)})
MOVE_NAMES: Mapping[str, str] = MappingProxyType({"note": "text"})  # a move's note is its event's text


def event_translations(event: Event) -> Translations:
    """The Swedish and English texts of a move or note, as its event keeps them."""
    stored = event.data.get("translations")
    return from_store(stored) if isinstance(stored, Mapping) else NONE


def parse_state(value: str, *, field: str = "state") -> IdeaState:
    try:
        return IdeaState(value.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in IdeaState)
        raise InvalidValue(field, f"{value!r} is not a state; states are {allowed}") from None


@dataclass
class Idea(Entity):
    """An idea raised at a meeting, followed until the panel hears what became of it."""

    id: int | None
    panel_id: int
    meeting_id: int
    title: str
    text: str
    service_id: int | None
    state: IdeaState = IdeaState.RAISED
    version: int = 0
    new_events: list[Event] = field(default_factory=list)
    translations: Translations = NONE  # the title and text in Swedish and English (IDEA_TEXTS)

    @classmethod
    def raise_new(
        cls,
        *,
        panel_id: int,
        meeting_id: int,
        title: str,
        text: str | None,
        service_id: int | None,
        actor: Actor,
        at: datetime,
        texts: Mapping[str, Any] | None = None,
    ) -> Idea:
        actor.require_coordinator(panel_id)
        idea = cls(
            id=None,
            panel_id=panel_id,
            meeting_id=meeting_id,
            title=single_line(title, field="title", maximum=MAX_TITLE),
            text=bounded_text(text, field="text", required=False),
            service_id=service_id,
            translations=translations(texts, rules=IDEA_TEXTS),
        )
        if not idea.text and "text" in idea.translations.fields():
            raise InvalidValue("text", "a translated text needs the Finnish text too")
        idea._record(EventType.RAISED, actor, at, to_state=IdeaState.RAISED, text=idea.text or None)
        return idea

    @property
    def allowed_next(self) -> frozenset[IdeaState]:
        return TRANSITIONS[self.state]

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL

    def move(
        self,
        to: IdeaState,
        *,
        actor: Actor,
        at: datetime,
        note: str | None = None,
        service_id: int | None = None,
        expected_version: int | None = None,
        texts: Mapping[str, Any] | None = None,
    ) -> Event:
        # Who first: someone who may not touch the idea learns nothing of it, not even its version.
        self._check_actor(actor)
        self._check_version(expected_version)
        at = aware(at)  # before any change: a refused move must leave the idea as it was
        if to not in self.allowed_next:
            raise InvalidTransition(self.state.value, to.value, (s.value for s in self.allowed_next))
        reason = REQUIRED_TEXT.get(to)
        if reason is not None and not (note or "").strip():
            raise InvalidValue("note", reason)
        text = bounded_text(note, field="note", maximum=MAX_TEXT, required=False)
        data: dict[str, Any] = _translated(texts, names=MOVE_NAMES, finnish=text, field="note")
        if to is IdeaState.SENT_TO_SERVICE:
            if service_id is not None:
                self.service_id = service_id
            if self.service_id is None:
                raise InvalidValue("service", "an idea sent to a service needs the service")
            data["service_id"] = self.service_id
        elif service_id is not None and service_id != self.service_id:
            raise InvalidValue("service", "can be chosen only when the idea is sent to a service")
        previous = self.state
        self.state = to
        return self._record(EventType.MOVED, actor, at, from_state=previous, to_state=to, text=text or None, data=data)

    def note(
        self,
        text: str,
        *,
        actor: Actor,
        at: datetime,
        expected_version: int | None = None,
        texts: Mapping[str, Any] | None = None,
    ) -> Event:
        """A progress note: an event without a state change, only on open ideas."""
        self._check_actor(actor)
        self._check_version(expected_version)
        at = aware(at)
        if self.is_terminal:
            raise InvalidValue("note", f"the idea is {self.state.value}; only open ideas take notes")
        body = bounded_text(text, field="note", maximum=MAX_TEXT)
        data = _translated(texts, names=None, finnish=body, field="text")
        return self._record(
            EventType.NOTED, actor, at, from_state=self.state, to_state=self.state, text=body, data=data
        )

    def acknowledge_privacy(
        self, data: Mapping[str, Any], *, actor: Actor, at: datetime, expected_version: int | None = None
    ) -> Event:
        """Record that a coordinator let health details in this idea's outgoing text through (no text kept).

        Only a coordinator of the idea's panel (or the operator) may, and only on the version they saw.
        """
        if not actor.coordinates(self.panel_id):
            raise PermissionDenied(actor.name, "may not acknowledge health details; a coordinator of the panel must")
        self._check_version(expected_version)
        return self._record(EventType.PRIVACY_ACKNOWLEDGED, actor, at, data=data)

    def _check_version(self, expected: int | None) -> None:
        if expected is not None and expected != self.version:
            raise VersionConflict("idea", self.id, expected, self.version)

    def _check_actor(self, actor: Actor) -> None:
        if actor.coordinates(self.panel_id):
            return
        if actor.role is not Role.SERVICE_OWNER:
            raise PermissionDenied(actor.name, f"may not change ideas of panel {self.panel_id}")
        if actor.service_id is None or actor.service_id != self.service_id:
            raise PermissionDenied(actor.name, "may change only the ideas of their own service")
        if self.state is IdeaState.RAISED:
            raise PermissionDenied(actor.name, "may not act on a raised idea; a coordinator sends it on")

    def _record(
        self,
        type_: EventType,
        actor: Actor,
        at: datetime,
        *,
        from_state: IdeaState | None = None,
        to_state: IdeaState | None = None,
        text: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Event:
        event = Event(
            aggregate=Aggregate.IDEA,
            aggregate_id=self.id,
            seq=self.version + 1,
            type=type_,
            actor=actor.name,
            at=aware(at),
            from_state=from_state.value if from_state else None,
            to_state=to_state.value if to_state else None,
            text=text,
            data=MappingProxyType(dict(data or {})),
        )
        self.version = event.seq
        self.new_events.append(event)
        return event


def _translated(
    texts: Mapping[str, Any] | None, *, names: Mapping[str, str] | None, finnish: str, field: str
) -> dict[str, Any]:
    """An event's data with the move's or note's translations (none: empty); a translation needs the Finnish."""
    checked = translations(texts, rules=EVENT_TEXTS, names=names)
    if not checked:
        return {}
    if not finnish:
        language = next(iter(checked.texts)).value
        raise InvalidValue(f"translations.{language}.{field}", "a translation needs the Finnish text too")
    return {"translations": checked.as_json()}
