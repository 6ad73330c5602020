"""What anyone reads of a panel whose public page is on (``/p/{slug}``, its Atom feed and JSON; issue 16): the
ideas with their states and the public steps of each (raised, moved, a progress note, with the words written to
the members), the coming meetings and the summaries of past ones, and the panel's contact. The same texts as the
members' own page shows (``reads/member_panel.py``); nothing about members: no names, addresses, attendance,
topic wishes or survey answers, and no staff behind a step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import NotFound
from domain.events import Aggregate, Event, EventType
from domain.ideas import Idea, IdeaState, event_translations, parse_state
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Contact, Panel

# The steps of an idea the public reads; privacy acknowledgements and anything else in its log are staff's.
PUBLIC_STEPS = (EventType.RAISED, EventType.MOVED, EventType.NOTED)


@dataclass(frozen=True)
class PublicStep:
    """One step of an idea: ``kind`` raised, moved or noted; ``state`` the idea's state after it; ``seq`` its
    place in the idea's log (a stable id for the feed)."""

    seq: int
    at: datetime
    kind: str
    state: IdeaState
    text: str | None
    translations: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class PublicIdea:
    idea: Idea
    service_name: str | None
    changed_at: datetime
    steps: list[PublicStep]  # oldest first

    @property
    def latest_words(self) -> PublicStep | None:
        """The latest step with words to the members: the reason it stopped, its outcome or a progress note."""
        return next((s for s in reversed(self.steps) if s.text), None)


@dataclass(frozen=True)
class PublicPanel:
    panel: Panel
    contact: Contact | None  # the panel's contact person, unless it is one of its members
    ideas: list[PublicIdea]  # newest activity first
    counts: dict[str, int]  # ideas by state, all of them (the filter narrows only the list)
    coming: list[Meeting]  # soonest first, cancelled ones included (marked)
    past: list[Meeting]  # with a summary sent to the members, newest first
    updated: datetime | None  # the latest change of an idea, None when there are none


def published_panel(slug: str, *, uow: UnitOfWork) -> Panel:
    """The panel whose public page is on at ``slug``; NotFound when none is (unknown, or turned off)."""
    wanted = slug.strip().lower()
    with uow:
        found = next((p for p in uow.panels.list() if p.public_page and p.public_slug == wanted), None)
    if found is None:
        raise NotFound("page", slug)
    return found


def public_panel(slug: str, *, uow: UnitOfWork, clock: Clock, state: str | None = None) -> PublicPanel:
    """The public page's data; ``state`` keeps the ideas in that state (a bad one is refused, naming ``state``).
    NotFound when the panel has no public page at ``slug``."""
    wanted = parse_state(state) if state else None
    panel = published_panel(slug, uow=uow)
    now = clock.now()
    with uow:
        services = {s.stored_id: s.name for s in uow.services.for_panel(panel.stored_id)}
        everything = uow.ideas.list(panel_id=panel.stored_id)
        ideas = [
            _as_read(idea, uow.events.for_aggregate(Aggregate.IDEA, idea.stored_id), services) for idea in everything
        ]
        meetings = uow.meetings.for_panel(panel.stored_id)
        members = {address.casefold() for address in uow.members.emails_in_panel(panel.stored_id)}
    # The contact is meant to be staff; should a member's address be set there, it stays off the public page.
    contact = panel.contact if panel.contact and panel.contact.email.casefold() not in members else None
    return PublicPanel(
        panel=panel,
        contact=contact,
        ideas=sorted(
            (i for i in ideas if wanted is None or i.idea.state is wanted), key=lambda i: i.changed_at, reverse=True
        ),
        counts={s.value: sum(1 for i in everything if i.state is s) for s in IdeaState},
        coming=sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at),
        past=sorted(
            (m for m in meetings if m.summary_sent_at is not None and m.status is not MeetingStatus.CANCELLED),
            key=lambda m: m.starts_at,
            reverse=True,
        ),
        updated=max((i.changed_at for i in ideas), default=None),
    )


def _as_read(idea: Idea, events: list[Event], services: dict[int, str]) -> PublicIdea:
    steps = [_step(e) for e in events if e.type in PUBLIC_STEPS]
    return PublicIdea(
        idea=idea,
        service_name=services.get(idea.service_id) if idea.service_id else None,
        changed_at=steps[-1].at if steps else events[-1].at,
        steps=steps,
    )


def _step(event: Event) -> PublicStep:
    state = IdeaState(event.to_state) if event.to_state else IdeaState.RAISED
    written = event.type in (EventType.MOVED, EventType.NOTED) and bool(event.text)
    return PublicStep(
        seq=event.seq,
        at=event.at,
        kind=str(event.type),
        state=state,
        text=event.text if written else None,
        translations=event_translations(event).as_json() if written else {},
    )
