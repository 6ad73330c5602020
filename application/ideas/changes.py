"""Use cases for ideas: raise, move, note. Each commits the change, its events and its
outbox rows in one transaction. A move or note without an expected version is redone on the idea as it
is now when a concurrent writer saved first (application.ideas.retry)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from application.access.identity import resolve_actor
from application.access.tokens import actor_for_token
from application.commands import MoveIdea, NoteIdea, RaiseIdea
from application.ideas.retry import on_the_current_version
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.views import IdeaView, idea_view
from domain.actors import Actor
from domain.events import Event
from domain.ideas import Idea, event_translations, parse_state
from domain.privacy_guard import screen
from domain.translations import from_store
from notifications import policy


def raise_idea(cmd: RaiseIdea, *, uow: UnitOfWork, clock: Clock) -> IdeaView:
    now = clock.now()  # one moment for the change and everything it records
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        service_id = None
        if cmd.service:
            service_id = uow.services.get(cmd.service, panel_id=meeting.panel_id).id
        idea = Idea.raise_new(
            panel_id=meeting.panel_id,
            meeting_id=meeting.stored_id,
            title=cmd.title,
            text=cmd.text,
            service_id=service_id,
            actor=actor,
            at=now,
            texts=cmd.translations,
        )
        # Title and description go into every email about the idea, in every language.
        texts: dict[str, str | None] = {"title": idea.title, "text": idea.text, **idea.translations.to_screen()}
        _guard(idea, texts, actor=actor, ack=cmd.acknowledge_health, at=now)
        idea = uow.ideas.add(idea)
        uow.commit()
        return idea_view(uow, idea)


def move_idea(cmd: MoveIdea, *, uow: UnitOfWork, clock: Clock) -> IdeaView:
    return on_the_current_version(
        lambda hold: _move(cmd, uow=uow, clock=clock, hold=hold), expected_version=cmd.expected_version
    )


def note_idea(cmd: NoteIdea, *, uow: UnitOfWork, clock: Clock) -> IdeaView:
    return on_the_current_version(
        lambda hold: _note(cmd, uow=uow, clock=clock, hold=hold), expected_version=cmd.expected_version
    )


def _move(cmd: MoveIdea, *, uow: UnitOfWork, clock: Clock, hold: bool) -> IdeaView:
    to = parse_state(cmd.to)
    with uow:
        # A token is checked in this transaction: no separate one just to authenticate the caller.
        actor = actor_for_token(uow, cmd.token, clock=clock) if cmd.token is not None else resolve_actor(uow, cmd.actor)
        idea = uow.ideas.get(cmd.idea_id, for_update=hold)
        service_id = None
        if cmd.service:
            service_id = uow.services.get(cmd.service, panel_id=idea.panel_id).id
        now = clock.now()  # one moment for the change, its acknowledgement and its notifications
        event = idea.move(
            to,
            actor=actor,
            at=now,
            note=cmd.note,
            service_id=service_id,
            expected_version=cmd.expected_version,
            texts=cmd.translations,
        )
        _guard(idea, _outgoing(event, "note"), actor=actor, ack=cmd.acknowledge_health, at=now)
        queued = _save_and_notify(uow, idea, event, now=now)
        # The view is read inside the transaction (it sees its own writes): no second round of queries after it.
        view = replace(idea_view(uow, idea), queued_notifications=queued)
        uow.commit()
        return view


def _note(cmd: NoteIdea, *, uow: UnitOfWork, clock: Clock, hold: bool) -> IdeaView:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        idea = uow.ideas.get(cmd.idea_id, for_update=hold)
        now = clock.now()  # one moment for the note, its acknowledgement and its notifications
        event = idea.note(cmd.text, actor=actor, at=now, expected_version=cmd.expected_version, texts=cmd.translations)
        _guard(idea, _outgoing(event, "note", given_as="text"), actor=actor, ack=cmd.acknowledge_health, at=now)
        queued = _save_and_notify(uow, idea, event, now=now)
        # The view is read inside the transaction (it sees its own writes): no second round of queries after it.
        view = replace(idea_view(uow, idea), queued_notifications=queued)
        uow.commit()
        return view


def _outgoing(event: Event, field: str, *, given_as: str | None = None) -> dict[str, str | None]:
    """The texts of a move or note that go out, by field: the Finnish under ``field``, each translation under
    the name it was given by (``translations.sv.note`` for a move, ``translations.sv.text`` for a note)."""
    translated = from_store(event_translations(event).renamed({"text": given_as or field}))
    return {field: event.text} | dict(translated.to_screen())


def _guard(idea: Idea, texts: dict[str, str | None], *, actor: Actor, ack: bool, at: datetime) -> None:
    """Refuse identifiers; let health details through only on a coordinator's word, recorded after the change."""
    acknowledged = screen(texts, actor=actor, panel_id=idea.panel_id, acknowledge_health=ack)
    if acknowledged is not None:
        # On the version the change just made: nobody else's change comes between the two.
        idea.acknowledge_privacy(acknowledged.data(), actor=actor, at=at, expected_version=idea.version)


def _save_and_notify(uow: UnitOfWork, idea: Idea, event: Event, *, now: datetime) -> int:
    """Write the change and the outbox rows it implies; the caller commits both at once."""
    uow.ideas.save(idea)
    panel = uow.panels.by_id(idea.panel_id)
    service = uow.services.by_id(idea.service_id) if idea.service_id else None
    owners = uow.users.owners_of(idea.service_id) if idea.service_id else []
    messages = policy.for_idea_event(
        idea,
        event,
        panel=panel,
        service=service,
        members=uow.members.active_in_panel(idea.panel_id),
        owners=owners,
        now=now,
    )
    uow.outbox.add(messages)
    return len(messages)
