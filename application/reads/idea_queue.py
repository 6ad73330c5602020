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
from application.reads.dashboard import SERVICE_STATES, is_overdue, overdue_lines
from application.reads.views import IdeaView, idea_view, readable_idea
from domain.actors import Actor
from domain.errors import InvalidValue, PermissionDenied
from domain.events import Aggregate, Event, EventType
from domain.ideas import OPEN_STATES, Idea, IdeaState
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from notifications import policy
from notifications.outbox import RecipientKind

PAGE_SIZE = 50
CLOSED_STATES = (IdeaState.IMPLEMENTED.value, IdeaState.DECLINED.value)
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
    suggested: bool = False  # the service the idea was raised for: the form starts from it


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
    service_id: int | None = None
    panel_id: int | None = None
    days_waiting: int | None = None  # whole days since the last change
    overdue: bool = False  # past the panel's chasing line (the dashboard's rule: ``dashboard.is_overdue``)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to: a state, a panel, a service, words in the title, the overdue ones (empty:
    everything). A service without a state means the ideas on the service's desk (sent to it or in progress), as
    the dashboard counts a service's open ideas; a raised idea's service is only a suggestion."""

    state: str = ""
    panel_id: int | None = None
    service_id: int | None = None
    search: str = ""
    overdue: bool = False  # only the overdue ideas (the dashboard's rule, ``dashboard.is_overdue``)

    @property
    def narrowed(self) -> bool:
        return bool(self.state or self.panel_id or self.service_id or self.search.strip() or self.overdue)


@dataclass(frozen=True)
class QueueOptions:
    """What the filters offer the actor: the states they answer for, their panels and services."""

    states: list[str] = field(default_factory=list)
    closed_states: list[str] = field(default_factory=list)  # handled ideas, for whoever may read them by state
    panels: list[tuple[int, str]] = field(default_factory=list)
    services: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, panel id


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    can_act: bool
    filter: QueueFilter = QueueFilter()
    options: QueueOptions = QueueOptions()


@dataclass(frozen=True)
class _Waiting:
    """A queue row as the dashboard's overdue rule reads an idea's timing."""

    idea_id: int
    service_id: int | None
    state: str
    last_at: datetime
    sent_at: datetime | None = None
    first_response_at: datetime | None = None


def idea_queue(
    actor: Actor,
    *,
    page: int,
    uow: DashboardUnitOfWork,
    clock: Clock,
    narrowed: QueueFilter | None = None,
) -> QueuePage:
    """Open ideas the actor answers for, the longest waiting first, one page at a time; ``narrowed`` filters them
    by state, panel, service and title (a panel or service outside the actor's reach is refused)."""
    page = max(page, 1)
    wanted = narrowed or QueueFilter()
    permissions.queue_reach(actor)
    # A service owner answers for the ideas sent to their service, not for those still raised.
    open_states: Sequence[str] = SERVICE_STATES if actor.role is Role.SERVICE_OWNER else OPEN_STATES
    # The handled ideas are listed only when asked for by state (the dashboard's "ideas by state" leads there).
    closed_states: Sequence[str] = () if actor.role is Role.SERVICE_OWNER else CLOSED_STATES
    if wanted.state and wanted.state not in (*open_states, *closed_states):
        raise InvalidValue("state", f"{wanted.state!r} is not one of the queue's states")
    if wanted.state:
        states = [wanted.state]
    elif wanted.service_id or wanted.overdue:
        states = list(SERVICE_STATES)
    else:
        states = list(open_states)
    now = clock.now()
    with uow:
        panel = uow.panels.by_id(wanted.panel_id) if wanted.panel_id else None
        service = uow.services.by_id(wanted.service_id) if wanted.service_id else None
        reach = permissions.idea_reach(actor, panel=panel, service=service)
        if reach is None:
            raise PermissionDenied(actor.name, "has no service")
        # A panel outside the reach was refused above: narrowed to it, the reach keeps its service (an owner's).
        panel_ids = frozenset({panel.stored_id}) if panel is not None else reach.panel_ids
        overdue_before = None
        if wanted.overdue:
            panels = [p for p in uow.panels.list() if p.id is not None and (panel_ids is None or p.id in panel_ids)]
            overdue_before = {p.stored_id: overdue_lines(p, now=now) for p in panels}
        total, rows = uow.dashboard.queue(
            panel_ids=panel_ids,
            service_id=reach.service_id,
            states=states,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            title_contains=wanted.search,
            overdue_before=overdue_before,
        )
        options = _options(actor, uow, open_states, service_id=permissions.queue_reach(actor).service_id)
        options = replace(options, closed_states=list(closed_states))
        preview = _Preview(uow, now)
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
                    service_id=row.service_id,
                    panel_id=row.panel_id,
                    days_waiting=(now - row.last_at).days if row.last_at else None,
                    overdue=row.last_at is not None
                    and is_overdue(
                        _Waiting(row.id, row.service_id, row.state, row.last_at),
                        panel=preview.panel(row.panel_id),
                        now=now,
                    ),
                )
            )
    pages = max(1, -(-total // PAGE_SIZE))
    return QueuePage(
        items=items,
        total=total,
        page=page,
        pages=pages,
        can_act=permissions.may_change_ideas(actor),
        filter=wanted,
        options=options,
    )


def _options(actor: Actor, uow: UnitOfWork, states: Sequence[str], *, service_id: int | None) -> QueueOptions:
    """The filters' choices: the actor's own panels and services (an owner: their service and its panel)."""
    allowed = permissions.readable_panels(actor, uow=uow)
    panels = [p for p in uow.panels.list() if p.id is not None and (allowed is None or p.id in allowed)]
    services = [
        (s.id, s.name, p.stored_id)
        for p in panels
        for s in uow.services.for_panel(p.stored_id)
        if s.id is not None and (service_id is None or s.id == service_id)
    ]
    return QueueOptions(
        states=list(states),
        panels=[(p.stored_id, p.name) for p in panels],
        services=sorted(services, key=lambda s: s[1].casefold()),
    )


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
            ServiceChoice(
                s.id,
                s.name,
                self.told(replace(idea, service_id=s.id), IdeaState.SENT_TO_SERVICE.value),
                suggested=s.id == idea.service_id,
            )
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
