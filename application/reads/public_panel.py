"""What anyone reads of a panel whose public page is on (``/p/{slug}``, its Atom feed and JSON; issue 16): the
ideas with their states and the steps of each (raised, moved, a progress note, with the words written to the
members), the coming meetings and the summaries of past ones, and the panel's contact. Each idea is read as the
members' own page reads it (``reads/member_panel.members_idea``); nothing about members: no names, addresses,
attendance, topic wishes or survey answers, and no staff behind a step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.member_panel import MemberIdea, members_idea
from domain.errors import NotFound
from domain.ideas import IdeaState, parse_state
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Contact, Panel


@dataclass(frozen=True)
class PublicPanel:
    panel: Panel
    contact: Contact | None  # the panel's contact person, unless it is one of its members
    ideas: list[MemberIdea]  # newest activity first; their steps as the members read them
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
        ideas = [members_idea(uow, idea, services) for idea in everything]
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
