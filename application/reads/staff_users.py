"""The staff of a coordinator's panels, for the staff page: who they are, where they work, whether they are signed
in anywhere (their open sessions) and when they last signed in; and the users whose audit trail a reader may
filter by. Who may read what is ``application.access.permissions``'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from application.access import permissions
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.panels import Panel, Service, StaffUser
from domain.sign_in import SessionRules
from domain.values import Role

ROLE_ORDER = {Role.COORDINATOR: 0, Role.SERVICE_OWNER: 1, Role.MANAGER: 2}


@dataclass
class StaffLine:
    user: StaffUser
    panels: list[Panel] = field(default_factory=list)  # a coordinator's panels among the reader's
    service: Service | None = None  # a service owner's service
    open_sessions: int = 0
    last_sign_in: datetime | None = None


def staff_of_panels(
    actor: Actor, *, uow: UnitOfWork, clock: Clock, rules: SessionRules | None = None
) -> list[StaffLine]:
    """The coordinators and service representatives of the actor's panels (``permissions.staff_list_panels``),
    coordinators first, then by address; each with their open sessions and last sign-in."""
    session_rules = rules or SessionRules()
    with uow:
        allowed = permissions.staff_list_panels(actor)
        panels = [p for p in uow.panels.list() if allowed is None or p.stored_id in allowed]
        lines: dict[int, StaffLine] = {}
        for panel in panels:
            for user in uow.users.coordinators_of(panel.stored_id):
                lines.setdefault(user.stored_id, StaffLine(user)).panels.append(panel)
            for service in uow.services.for_panel(panel.stored_id):
                for user in uow.users.owners_of(service.stored_id):
                    lines.setdefault(user.stored_id, StaffLine(user)).service = service
        now = clock.now()
        last = uow.staff_sessions.last_started(list(lines))
        for user_id, line in lines.items():
            line.last_sign_in = last.get(user_id)
            line.open_sessions = sum(
                1
                for s in uow.staff_sessions.open_of(user_id)
                if session_rules.ended(last_seen_at=s.last_seen_at, expires_at=s.expires_at, now=now) is None
            )
        return sorted(lines.values(), key=lambda line: (ROLE_ORDER.get(line.user.role, 3), line.user.email.lower()))


def audit_readers_users(actor: Actor, *, uow: UnitOfWork) -> list[StaffUser]:
    """The users whose audit events the actor may read, by address: the audit page's filter."""
    with uow:
        reach = permissions.audit_users(actor, uow=uow)
        if reach is None:  # the operator reads every event and names a user with ``--user``
            return []
        found = [uow.users.by_id(user_id) for user_id in reach]
        return sorted((u for u in found if u is not None), key=lambda u: u.email.lower())
