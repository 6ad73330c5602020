"""Read models of the panel pages: a panel with its services and their owners (``/panels/{id}``), and a panel's
members with where each stands (``/panels/{id}/members``). Each asks ``application.access.permissions``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.access import permissions
from application.ports.unit_of_work import UnitOfWork
from domain.actors import Actor
from domain.meetings import Meeting
from domain.panels import Member, Panel, Service, StaffUser


@dataclass(frozen=True)
class ServiceLine:
    service: Service
    owners: list[StaffUser]


@dataclass(frozen=True)
class PanelPage:
    panel: Panel
    services: list[ServiceLine]
    coordinates: bool  # the actor may change the panel, add services and owners, and see its members


@dataclass(frozen=True)
class MemberLine:
    member: Member
    acknowledged: datetime | None  # when they acknowledged the current ground rules, None if not (or none exist)
    last_attended: Meeting | None  # the latest meeting marked present at


@dataclass(frozen=True)
class MembersPage:
    panel: Panel
    members: list[MemberLine]
    rules_version: int | None  # the current ground rules' version, None when the panel has none


def panels_page(actor: Actor, *, uow: UnitOfWork) -> list[tuple[Panel, bool]]:
    """The panels the actor may read, each with whether they coordinate it."""
    with uow:
        allowed = permissions.readable_panels(actor, uow=uow)
        return [(p, actor.coordinates(p.stored_id)) for p in uow.panels.list() if allowed is None or p.id in allowed]


def panel_page(actor: Actor, panel_id: int, *, uow: UnitOfWork) -> PanelPage:
    """A panel, its services and their owners: for those who may read its services (refused otherwise)."""
    with uow:
        stored = permissions.services_panel(actor, str(panel_id), uow=uow)
        panel = uow.panels.by_id(stored)
        services = [ServiceLine(s, uow.users.owners_of(s.stored_id)) for s in uow.services.for_panel(stored)]
        return PanelPage(panel=panel, services=services, coordinates=actor.coordinates(stored))


def members_page(actor: Actor, panel_id: int, *, uow: UnitOfWork) -> MembersPage:
    """A panel's members (names and addresses: its coordinators only), with the current ground rules acknowledged
    and the last meeting each attended."""
    with uow:
        (stored,) = permissions.member_panels(actor, str(panel_id), uow=uow) or frozenset({panel_id})
        panel = uow.panels.by_id(stored)
        rules = uow.ground_rules.latest(stored)
        acknowledged = uow.ground_rules.acknowledgements(stored, rules.version) if rules is not None else {}
        meetings = {m.stored_id: m for m in uow.meetings.for_panel(stored)}
        lines = []
        for member in uow.members.for_panel(stored):
            attended = [meetings[i] for i in uow.attendance.meetings_of(member.stored_id) if i in meetings]
            last = max(attended, key=lambda m: m.starts_at) if attended else None
            lines.append(MemberLine(member, acknowledged.get(member.stored_id), last))
        lines.sort(key=lambda line: (line.member.name.casefold(), line.member.stored_id))
        return MembersPage(panel=panel, members=lines, rules_version=rules.version if rules is not None else None)
