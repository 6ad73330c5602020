"""Who may read and who may change what: the one module the reads, the pages, the API and the command line ask.

A coordinator reads and changes their panels; a service owner the ideas sent to their service (and reads its
panel's meetings); a manager reads everything and changes nothing; the operator (the command line) may do
everything. Members' personal data (addresses too, even inside an SMTP server's reply): only their coordinators
and the operator. The pure rules are ``domain.actors``'; an idea checks its own changes in ``domain.ideas``.
Each function refuses with ``PermissionDenied`` naming what was refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from application.ports.unit_of_work import UnitOfWork
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.ideas import Idea
from domain.meetings import Meeting
from domain.panels import Member, Panel, Service, StaffUser
from domain.redaction import HIDDEN_ADDRESS, hide_addresses
from domain.values import Role
from notifications.outbox import OutboxMessage


def may_read_personal_data(actor: Actor) -> bool:
    """Members' names and addresses: their coordinators' (each read also keeps to the coordinator's panels)."""
    return actor.reads_personal_data


def failure_reason(actor: Actor, reason: str | None) -> str | None:
    """A delivery failure's reason as this actor may read it: the server's reply, addresses hidden unless allowed."""
    if reason is None or may_read_personal_data(actor):
        return reason
    return hide_addresses(reason)


def outbox_row(actor: Actor, message: OutboxMessage) -> OutboxMessage:
    """An outbox row as this actor may read it: without the member's address (in the reason too) unless allowed."""
    if may_read_personal_data(actor):
        return message
    return replace(message, email=HIDDEN_ADDRESS, last_error=failure_reason(actor, message.last_error))


def may_create_panels(actor: Actor) -> bool:
    """Creating a panel: the local operator, and a coordinator (who then coordinates it; ``roster.create_panel``
    asks this too). A manager reads and a service owner works on one service: neither creates panels."""
    return actor.role in (Role.OPERATOR, Role.COORDINATOR)


def require_may_publish_panel(actor: Actor, panel: Panel) -> None:
    """Turning a panel's public page on or off and choosing its address: the panel's coordinators (and the
    operator); a manager reads it like anyone, a service owner does not decide what the panel publishes."""
    if not actor.coordinates(panel.stored_id):
        raise PermissionDenied(actor.name, f"may not change the public page of panel {panel.stored_id}")


def may_change_ideas(actor: Actor) -> bool:
    """Whether the pages offer the actor the move form at all (each idea then checks its own panel and service)."""
    return actor.changes_ideas


def require_may_read_idea(actor: Actor, idea: Idea) -> None:
    if not actor.may_read_idea(panel_id=idea.panel_id, service_id=idea.service_id):
        raise PermissionDenied(actor.name, f"may not read idea {idea.id}")


@dataclass(frozen=True)
class IdeaReach:
    """The ideas an actor may list: of these panels (None: of every panel) and of this service (None: of any)."""

    panel_ids: frozenset[int] | None
    service_id: int | None


def idea_reach(actor: Actor, *, panel: Panel | None = None, service: Service | None = None) -> IdeaReach | None:
    """The ideas within the actor's reach, narrowed to the service asked for; None when there are none (a
    service owner without a service). A panel or service outside the reach is refused."""
    if actor.reads_every_panel:
        return IdeaReach(panel_ids=None, service_id=service.id if service else None)
    if actor.role is Role.COORDINATOR:
        if panel is not None and panel.id not in actor.panel_ids:
            raise PermissionDenied(actor.name, f"may not read the ideas of panel {panel.id}")
        if service is not None and service.panel_id not in actor.panel_ids:
            raise PermissionDenied(actor.name, f"may not read the ideas of service {service.id}")
        return IdeaReach(panel_ids=actor.panel_ids, service_id=service.id if service else None)
    if actor.role is Role.SERVICE_OWNER:
        if service is not None and service.id != actor.service_id:
            raise PermissionDenied(actor.name, "may read only the ideas of their own service")
        return IdeaReach(panel_ids=None, service_id=actor.service_id) if actor.service_id is not None else None
    raise PermissionDenied(actor.name, "may not read ideas")


def queue_reach(actor: Actor) -> IdeaReach:
    """The open ideas the actor answers for, on the queue page."""
    reach = idea_reach(actor)
    if reach is None:
        raise PermissionDenied(actor.name, "has no service")
    return reach


def readable_panels(actor: Actor, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose meetings (and services) the actor may read; None means every panel."""
    if actor.reads_every_panel:
        return None
    if actor.role is Role.COORDINATOR:
        return actor.panel_ids
    if actor.role is Role.SERVICE_OWNER and actor.service_id is not None:
        return frozenset({uow.services.by_id(actor.service_id).panel_id})
    return frozenset()


def meeting_panels(actor: Actor, panel: str | None, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose meetings a read covers: the one named (refused outside the reach), else all within it."""
    return _narrowed(actor, readable_panels(actor, uow=uow), panel, what="the meetings", uow=uow)


def services_panel(actor: Actor, panel: str, *, uow: UnitOfWork) -> int:
    """The panel named, if the actor may read its services (with their owners): as for its meetings."""
    return _within(actor, readable_panels(actor, uow=uow), panel, what="the services", uow=uow)


def require_may_read_meeting(actor: Actor, meeting: Meeting, *, uow: UnitOfWork) -> None:
    allowed = readable_panels(actor, uow=uow)
    if allowed is not None and meeting.panel_id not in allowed:
        raise PermissionDenied(actor.name, f"may not read meeting {meeting.id}")


def dashboard_panels(actor: Actor) -> frozenset[int] | None:
    """The panels whose dashboard the actor may read; None means all of them."""
    if actor.reads_every_panel:
        return None
    if actor.role is Role.COORDINATOR:
        return actor.panel_ids
    raise PermissionDenied(actor.name, "may not read the panel dashboards; service owners use their queue")


def may_read_survey_comments(actor: Actor, panel_id: int) -> bool:
    """A survey's free-text comments: the panel's coordinators (and the operator). A manager reads the figures
    only: a comment may tell more of who wrote it than a share of answers does."""
    return actor.coordinates(panel_id)


def outbox_panels(actor: Actor, panel: str | None, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose outbox rows a read covers: coordinators their own, managers and the operator all."""
    if actor.role is not Role.COORDINATOR and not actor.reads_every_panel:
        raise PermissionDenied(actor.name, "may not read the outbox")
    allowed = None if actor.reads_every_panel else actor.panel_ids
    return _narrowed(actor, allowed, panel, what="the outbox", uow=uow)


def may_retry_outbox(actor: Actor) -> bool:
    """Whether the outbox page offers the actor its retry buttons: a coordinator (their panels' mail) and the
    operator; a manager reads the outbox and changes nothing."""
    return actor.role in (Role.COORDINATOR, Role.OPERATOR)


def outbox_retry_panels(actor: Actor, panel: str | None, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose failed mail the actor may put back in the queue: the one named (refused outside the
    reach), else all within it; a coordinator their own, the operator every panel's (None)."""
    if not may_retry_outbox(actor):
        raise PermissionDenied(actor.name, "may not send failed mail again; the panel's coordinators do")
    allowed = None if actor.role is Role.OPERATOR else actor.panel_ids
    return _narrowed(actor, allowed, panel, what="the outbox", uow=uow)


def member_panels(actor: Actor, panel: str | None, *, uow: UnitOfWork) -> frozenset[int] | None:
    """The panels whose members (names and addresses) a read covers: for the panel's coordinators only."""
    _require_personal_data(actor)
    if panel is not None:
        panel_id = uow.panels.get(panel).stored_id
        actor.require_coordinator(panel_id)
        return frozenset({panel_id})
    return None if actor.reads_every_panel else actor.panel_ids


def participation_panel(actor: Actor, panel: str, *, uow: UnitOfWork) -> int:
    """The panel named, if the actor may read its topic wishes and ground rules (with who has acknowledged them):
    its coordinators and those who read every panel (a manager, the operator); a service owner does not. Members'
    names on those pages are for ``may_read_personal_data`` only; changing them asks ``require_coordinator``."""
    panel_id = uow.panels.get(panel).stored_id
    if not actor.reads_every_panel:
        actor.require_coordinator(panel_id)
    return panel_id


def require_may_read_member(actor: Actor, member: Member) -> None:
    _require_personal_data(actor)
    actor.require_coordinator(member.panel_id)


def staff_panels(user: StaffUser, *, uow: UnitOfWork) -> frozenset[int]:
    """The panels a staff user works in: a coordinator's own, a service owner's service's; a manager's none."""
    panels = set(user.panel_ids)
    if user.service_id is not None:
        panels.add(uow.services.by_id(user.service_id).panel_id)
    return frozenset(panels)


def require_may_manage_staff(actor: Actor, user: StaffUser, *, uow: UnitOfWork) -> None:
    """Issuing a user's API token, deactivating them: the operator for anyone; a coordinator for staff all of
    whose panels are the coordinator's own."""
    if actor.role is Role.OPERATOR:
        return
    panels = staff_panels(user, uow=uow)
    if not panels or actor.role is not Role.COORDINATOR or not panels <= actor.panel_ids:
        raise PermissionDenied(actor.name, "may manage only the staff of their own panels")


def require_may_end_sessions(actor: Actor, user: StaffUser, *, uow: UnitOfWork) -> None:
    """Ending a user's sessions: the user themself, the operator, or a coordinator of one of the user's panels."""
    if actor.role is Role.OPERATOR or actor.name.lower() == user.email.lower():
        return
    if actor.role is Role.COORDINATOR and staff_panels(user, uow=uow) & actor.panel_ids:
        return
    raise PermissionDenied(actor.name, "may end the sessions only of the staff of their own panels")


def staff_list_panels(actor: Actor) -> frozenset[int] | None:
    """The panels whose staff (with their sessions) the actor may list, to end a user's sessions: a coordinator
    their own panels', the operator every panel's (None); nobody else."""
    if actor.role is Role.OPERATOR:
        return None
    if actor.role is Role.COORDINATOR:
        return actor.panel_ids
    raise PermissionDenied(actor.name, "may not list the staff; their panels' coordinators do")


def audit_users(actor: Actor, *, uow: UnitOfWork) -> frozenset[int] | None:
    """Whose audit events the actor may read (user ids; None: everyone's): the operator every event; a coordinator
    those of the staff of their panels (its coordinators and its services' representatives) and their own; anyone
    else their own."""
    if actor.role is Role.OPERATOR:
        return None
    me = uow.users.by_email(actor.name)
    users = {me.stored_id} if me is not None else set()
    if actor.role is Role.COORDINATOR:
        for panel_id in actor.panel_ids:
            users |= {u.stored_id for u in uow.users.coordinators_of(panel_id)}
            for service in uow.services.for_panel(panel_id):
                users |= {u.stored_id for u in uow.users.owners_of(service.stored_id)}
    return frozenset(users)


def _require_personal_data(actor: Actor) -> None:
    if not may_read_personal_data(actor):
        raise PermissionDenied(actor.name, "may not read members; only their coordinators do")


def _narrowed(
    actor: Actor, allowed: frozenset[int] | None, panel: str | None, *, what: str, uow: UnitOfWork
) -> frozenset[int] | None:
    """The panel named (refused outside ``allowed``), else all of ``allowed``."""
    return allowed if panel is None else frozenset({_within(actor, allowed, panel, what=what, uow=uow)})


def _within(actor: Actor, allowed: frozenset[int] | None, panel: str, *, what: str, uow: UnitOfWork) -> int:
    panel_id = uow.panels.get(panel).stored_id
    if allowed is not None and panel_id not in allowed:
        raise PermissionDenied(actor.name, f"may not read {what} of panel {panel_id}")
    return panel_id


def require_may_run_room(actor: Actor, meeting: Meeting) -> None:
    """The meeting room (its taps and each member's speaking time): the meeting's panel's coordinators and the
    operator. A manager reads the balance's figures without names (the meeting page, the dashboard)."""
    if not actor.coordinates(meeting.panel_id):
        raise PermissionDenied(actor.name, f"may not run the room of meeting {meeting.id}")


def may_read_speaking_of(actor: Actor, meeting: Meeting) -> bool:
    """Each member's speaking time in a meeting: only the meeting's coordinators (never on members' pages)."""
    return actor.coordinates(meeting.panel_id)
