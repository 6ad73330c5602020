"""What each staff role may read, and the reads themselves: ideas, meetings, members, outbox health.

A coordinator reads their panels, a service owner their service's ideas and its panel's meetings,
a manager everything; members' personal data (addresses too, even inside an SMTP server's reply)
only their coordinators and the operator.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from application.commands import IdeaFilter
from application.ports import UnitOfWork
from application.views import IdeaView, idea_view
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.ideas import Idea, parse_state
from domain.meetings import Meeting
from domain.panels import Member
from domain.redaction import HIDDEN_ADDRESS, hide_addresses
from domain.values import Role
from notifications.outbox import OutboxMessage, OutboxStatus

_READ_ALL = frozenset({Role.MANAGER, Role.OPERATOR})
_READ_PERSONAL = frozenset({Role.COORDINATOR, Role.OPERATOR})


def may_read_personal_data(actor: Actor) -> bool:
    """Members' names and addresses: their coordinators' (each read also keeps to the coordinator's panels)."""
    return actor.role in _READ_PERSONAL


def failure_reason(actor: Actor, reason: str | None) -> str | None:
    """A delivery failure's reason as this actor may read it: the server's reply, addresses hidden unless allowed."""
    if reason is None or may_read_personal_data(actor):
        return reason
    return hide_addresses(reason)


def readable_panels(actor: Actor, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose meetings the actor may read; None means every panel."""
    if actor.role in _READ_ALL:
        return None
    if actor.role is Role.COORDINATOR:
        return actor.panel_ids
    if actor.role is Role.SERVICE_OWNER and actor.service_id is not None:
        return frozenset({uow.services.by_id(actor.service_id).panel_id})
    return frozenset()


def may_read_idea(actor: Actor, idea: Idea) -> bool:
    if actor.role in _READ_ALL:
        return True
    if actor.role is Role.COORDINATOR:
        return idea.panel_id in actor.panel_ids
    return actor.role is Role.SERVICE_OWNER and actor.service_id is not None and idea.service_id == actor.service_id


def show_idea(idea_id: int, *, actor: Actor, uow: UnitOfWork) -> IdeaView:
    with uow:
        idea = uow.ideas.get(idea_id)
        if not may_read_idea(actor, idea):
            raise PermissionDenied(actor.name, f"may not read idea {idea_id}")
        return idea_view(uow, idea)


def list_ideas(query: IdeaFilter, *, actor: Actor, uow: UnitOfWork, limit: int, offset: int = 0) -> list[IdeaView]:
    """Ideas matching the filter within the actor's reach, oldest first; a filter outside it is refused."""
    state = parse_state(query.state) if query.state else None
    with uow:
        panel = uow.panels.get(query.panel) if query.panel else None
        service = uow.services.get(query.service, panel_id=panel.id if panel else None) if query.service else None
        service_id = service.id if service else None
        panel_ids: frozenset[int] | None = None
        if actor.role is Role.COORDINATOR:
            if panel is not None and panel.id not in actor.panel_ids:
                raise PermissionDenied(actor.name, f"may not read the ideas of panel {panel.id}")
            if service is not None and service.panel_id not in actor.panel_ids:
                raise PermissionDenied(actor.name, f"may not read the ideas of service {service.id}")
            panel_ids = actor.panel_ids
        elif actor.role is Role.SERVICE_OWNER:
            if service is not None and service.id != actor.service_id:
                raise PermissionDenied(actor.name, "may read only the ideas of their own service")
            if actor.service_id is None:
                return []
            service_id = actor.service_id
        elif actor.role not in _READ_ALL:
            raise PermissionDenied(actor.name, "may not read ideas")
        found = uow.ideas.list(
            panel_id=panel.id if panel else None,
            panel_ids=panel_ids,
            service_id=service_id,
            state=state,
            limit=limit,
            offset=offset,
        )
        return [idea_view(uow, idea, with_timeline=False) for idea in found]


def list_meetings(panel: str | None, *, actor: Actor, uow: UnitOfWork) -> list[Meeting]:
    with uow:
        allowed = readable_panels(actor, uow=uow)
        if panel is not None:
            panel_id = uow.panels.get(panel).id or 0
            if allowed is not None and panel_id not in allowed:
                raise PermissionDenied(actor.name, f"may not read the meetings of panel {panel_id}")
            wanted = [panel_id]
        else:
            wanted = sorted(allowed) if allowed is not None else [p.id or 0 for p in uow.panels.list()]
        meetings = [m for panel_id in wanted for m in uow.meetings.for_panel(panel_id)]
        return sorted(meetings, key=lambda m: (m.starts_at, m.id or 0))


def get_meeting(meeting_id: int, *, actor: Actor, uow: UnitOfWork) -> Meeting:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        allowed = readable_panels(actor, uow=uow)
        if allowed is not None and meeting.panel_id not in allowed:
            raise PermissionDenied(actor.name, f"may not read meeting {meeting_id}")
        return meeting


def list_members(panel: str | None, *, actor: Actor, uow: UnitOfWork) -> list[Member]:
    """Members' names and addresses: for the panel's coordinators only."""
    if not may_read_personal_data(actor):
        raise PermissionDenied(actor.name, "may not read members; only their coordinators do")
    with uow:
        if panel is not None:
            panel_id = uow.panels.get(panel).id or 0
            actor.require_coordinator(panel_id)
            wanted = [panel_id]
        elif actor.role is Role.OPERATOR:
            wanted = [p.id or 0 for p in uow.panels.list()]
        else:
            wanted = sorted(actor.panel_ids)
        return [m for panel_id in wanted for m in uow.members.for_panel(panel_id)]


@dataclass(frozen=True)
class OutboxHealth:
    counts: dict[OutboxStatus, int]
    oldest_pending_at: datetime | None
    failed: list[OutboxMessage]


def outbox_health(panel: str | None, *, actor: Actor, uow: UnitOfWork, failed_limit: int = 100) -> OutboxHealth:
    """Counts per status, the oldest undelivered row and the failed rows with their reasons.

    Whoever may not read members' data gets the failed rows without their addresses, in the reasons too."""
    if actor.role not in (Role.COORDINATOR, *_READ_ALL):
        raise PermissionDenied(actor.name, "may not read the outbox")
    with uow:
        panel_ids: frozenset[int] | None = None if actor.role in _READ_ALL else actor.panel_ids
        if panel is not None:
            panel_id = uow.panels.get(panel).id or 0
            if panel_ids is not None and panel_id not in panel_ids:
                raise PermissionDenied(actor.name, f"may not read the outbox of panel {panel_id}")
            panel_ids = frozenset({panel_id})

        def mine(rows: list[OutboxMessage]) -> list[OutboxMessage]:
            return [m for m in rows if panel_ids is None or m.panel_id in panel_ids]

        failed = sorted(mine(uow.outbox.list(status=OutboxStatus.FAILED)), key=lambda m: m.created_at, reverse=True)
        shown = failed[:failed_limit]
        if not may_read_personal_data(actor):
            shown = [replace(m, email=HIDDEN_ADDRESS, last_error=failure_reason(actor, m.last_error)) for m in shown]
        return OutboxHealth(
            counts=uow.outbox.count_by_status(panel_ids=panel_ids),
            oldest_pending_at=uow.outbox.oldest_pending_at(panel_ids=panel_ids),
            failed=shown,
        )
