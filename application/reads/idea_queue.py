"""The staff's queue of open ideas and the idea page, each with who a move or a note would tell.

"Who will be told" comes from the recipient policy itself (``notifications.policy``), applied to the
change the form would make, so the page can never promise other recipients than the outbox gets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from application.access import permissions
from application.ports.dashboard_queries import DashboardUnitOfWork, QueueContext
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.dashboard import SERVICE_STATES
from application.reads.views import IdeaView, idea_view, readable_idea
from domain.actors import Actor
from domain.events import Aggregate, Event, EventType
from domain.ideas import OPEN_STATES, Idea, IdeaState
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from notifications import policy
from notifications.outbox import RecipientKind

PAGE_SIZE = 50
NOTE = "note"  # the form's choice for a progress note without a state change


@dataclass(frozen=True)
class Told:
    """Who a change would tell: members by count (never names), staff by count."""

    members: int
    staff: int


@dataclass(frozen=True)
class ServiceChoice:
    """A service a raised idea can be sent to, and who sending it there would tell."""

    id: int
    name: str
    told: Told


@dataclass(frozen=True)
class QueueItem:
    id: int
    title: str
    state: str
    version: int
    panel_name: str
    service_name: str | None
    last_activity: datetime | None
    choices: list[str]  # the allowed next states, then "note" for an open idea
    told: dict[str, Told] = field(default_factory=dict)
    services: list[ServiceChoice] = field(default_factory=list)  # only for a raised idea
    translations: Mapping[str, Any] = field(default_factory=dict)  # the title in Swedish and English


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    can_act: bool


def idea_queue(actor: Actor, *, page: int, uow: DashboardUnitOfWork, clock: Clock) -> QueuePage:
    """Open ideas the actor answers for, oldest first, one page at a time."""
    page = max(page, 1)
    reach = permissions.queue_reach(actor)
    # A service owner answers for the ideas sent to their service, not for those still raised.
    states: Sequence[str] = SERVICE_STATES if actor.role is Role.SERVICE_OWNER else OPEN_STATES
    with uow:
        total, rows = uow.dashboard.queue(
            panel_ids=reach.panel_ids,
            service_id=reach.service_id,
            states=states,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        preview = _Preview(uow, clock.now())
        # Every panel, service, member and owner the page's rows name, at once: the page's queries stay the same
        # however many panels its rows come from (a manager's queue spans them all).
        preview.prefill(uow.dashboard.queue_context({row.panel_id for row in rows}))
        items = []
        for row in rows:
            idea = Idea(row.id, row.panel_id, 0, row.title, "", row.service_id, IdeaState(row.state), row.version)
            choices = choices_for(idea)
            items.append(
                QueueItem(
                    id=row.id,
                    title=row.title,
                    state=row.state,
                    version=row.version,
                    panel_name=preview.panel(row.panel_id).name,
                    service_name=preview.service(row.service_id).name if row.service_id else None,
                    last_activity=row.last_at,
                    choices=choices,
                    told={choice: preview.told(idea, choice) for choice in choices},
                    services=preview.services(idea),
                    translations=row.translations or {},
                )
            )
    pages = max(1, -(-total // PAGE_SIZE))
    return QueuePage(items=items, total=total, page=page, pages=pages, can_act=permissions.may_change_ideas(actor))


@dataclass(frozen=True)
class IdeaPage:
    idea: IdeaView
    choices: list[str]
    told: dict[str, Told]
    can_act: bool
    services: list[ServiceChoice]


def idea_page(actor: Actor, idea_id: int, *, uow: UnitOfWork, clock: Clock) -> IdeaPage:
    with uow:
        idea = readable_idea(uow, idea_id, actor=actor)
        choices = choices_for(idea)
        preview = _Preview(uow, clock.now())
        return IdeaPage(
            idea=idea_view(uow, idea),
            choices=choices,
            told={choice: preview.told(idea, choice) for choice in choices},
            can_act=permissions.may_change_ideas(actor),
            services=preview.services(idea),
        )


def choices_for(idea: Idea) -> list[str]:
    """Forward moves first, then a progress note, and declining last (it is not the usual answer)."""
    forward = sorted(s.value for s in idea.allowed_next if s is not IdeaState.DECLINED)
    note = [] if idea.is_terminal else [NOTE]
    declined = [IdeaState.DECLINED.value] if IdeaState.DECLINED in idea.allowed_next else []
    return [*forward, *note, *declined]


class _Preview:
    """Runs the recipient policy on the change a form would make; caches per panel and service."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self.uow, self.now = uow, now
        self._panels: dict[int, Panel] = {}
        self._services: dict[int, Service] = {}
        self._members: dict[int, list[Member]] = {}
        self._owners: dict[int, list[StaffUser]] = {}
        self._told: dict[tuple[int, int | None, str], Told] = {}
        self._panel_services: dict[int, list[Service]] = {}

    def prefill(self, context: QueueContext) -> None:
        self._panels.update(context.panels)
        for panel_id, services in context.services.items():
            self._panel_services[panel_id] = list(services)
            self._services.update((s.id, s) for s in services if s.id is not None)
        self._members.update((panel_id, list(found)) for panel_id, found in context.members.items())
        self._owners.update((service_id, list(found)) for service_id, found in context.owners.items())

    def panel(self, panel_id: int) -> Panel:
        if panel_id not in self._panels:
            self._panels[panel_id] = self.uow.panels.by_id(panel_id)
        return self._panels[panel_id]

    def service(self, service_id: int) -> Service:
        if service_id not in self._services:
            self._services[service_id] = self.uow.services.by_id(service_id)
        return self._services[service_id]

    def services(self, idea: Idea) -> list[ServiceChoice]:
        """For a raised idea, the panel's services (its own first) and whom sending it to each would tell."""
        if idea.state is not IdeaState.RAISED:
            return []
        if idea.panel_id not in self._panel_services:
            self._panel_services[idea.panel_id] = self.uow.services.for_panel(idea.panel_id)
        found = sorted(self._panel_services[idea.panel_id], key=lambda s: (s.id != idea.service_id, s.name.casefold()))
        return [
            ServiceChoice(s.id, s.name, self.told(replace(idea, service_id=s.id), IdeaState.SENT_TO_SERVICE.value))
            for s in found
            if s.id is not None
        ]

    def told(self, idea: Idea, choice: str) -> Told:
        if choice == IdeaState.SENT_TO_SERVICE.value and idea.service_id is None:
            # Sent on, it goes to the first service the form offers (its own, else the first by name).
            offered = self.services(idea)
            if offered:
                return offered[0].told
        key = (idea.panel_id, idea.service_id, choice)
        if key not in self._told:
            self._told[key] = self._count(idea, choice)
        return self._told[key]

    def _count(self, idea: Idea, choice: str) -> Told:
        if idea.panel_id not in self._members:
            self._members[idea.panel_id] = self.uow.members.active_in_panel(idea.panel_id)
        owners: list[StaffUser] = []
        if idea.service_id is not None:
            if idea.service_id not in self._owners:
                self._owners[idea.service_id] = self.uow.users.owners_of(idea.service_id)
            owners = self._owners[idea.service_id]
        event = Event(
            aggregate=Aggregate.IDEA,
            aggregate_id=idea.id,
            seq=idea.version + 1,
            type=EventType.NOTED if choice == NOTE else EventType.MOVED,
            actor="preview",
            at=self.now,
            from_state=idea.state.value,
            to_state=idea.state.value if choice == NOTE else choice,
            data=MappingProxyType({}),
        )
        messages = policy.for_idea_event(
            idea,
            event,
            panel=self.panel(idea.panel_id),
            service=self.service(idea.service_id) if idea.service_id else None,
            members=self._members[idea.panel_id],
            owners=owners,
            now=self.now,
        )
        members = sum(1 for m in messages if m.recipient_kind is RecipientKind.MEMBER)
        return Told(members=members, staff=len(messages) - members)
