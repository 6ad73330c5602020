"""Use cases for panels and the people around them: services, members and staff users."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from application.access import permissions
from application.access.identity import resolve_actor, staff_user
from application.commands import (
    AddMember,
    AddService,
    AddUser,
    CreatePanel,
    ImportMembers,
    MemberRow,
    UpdatePanel,
    UpdateUser,
)
from application.errors import InvalidRows, RowError
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import panels as model
from domain.actors import Actor
from domain.errors import AlreadyExists, DomainError, InvalidValue, PermissionDenied
from domain.events import Aggregate, Event, EventType
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from notifications import kinds, policy


def _log(uow: UnitOfWork, event: Event, aggregate_id: int | None) -> None:
    uow.events.append([replace(event, aggregate_id=aggregate_id)])


def create_panel(cmd: CreatePanel, *, uow: UnitOfWork, clock: Clock) -> Panel:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        if not permissions.may_create_panels(actor):
            raise PermissionDenied(actor.name, "may not create panels")
        panel, event = model.create_panel(
            cmd.name,
            lead_days=cmd.lead_days,
            summary_due_days=cmd.summary_due_days,
            actor=actor,
            at=clock.now(),
            texts=cmd.translations,
            contact=model.contact(cmd.contact_name, cmd.contact_email, cmd.contact_phone),
        )
        if any(p.name.casefold() == panel.name.casefold() for p in uow.panels.list()):
            raise AlreadyExists("panel", "name", panel.name)
        panel = uow.panels.add(panel)
        _log(uow, event, panel.id)
        if actor.role is Role.COORDINATOR:
            _coordinate_new_panel(uow, actor, panel, event)
        uow.commit()
        return panel


def _coordinate_new_panel(uow: UnitOfWork, actor: Actor, panel: Panel, created: Event) -> None:
    """A coordinator who creates a panel coordinates it (the same grant as ``raati user add --panel``)."""
    user = staff_user(uow, actor.name, field="as")
    user.panel_ids = set(user.panel_ids) | {panel.stored_id}
    uow.users.save(user)
    seq = uow.events.next_seq(Aggregate.USER, user.stored_id)
    uow.events.append(
        [
            replace(
                created,
                aggregate=Aggregate.USER,
                aggregate_id=user.stored_id,
                seq=seq,
                type=EventType.GRANTED,
                data={"panel_id": panel.stored_id},
            )
        ]
    )


def update_panel(cmd: UpdatePanel, *, uow: UnitOfWork, clock: Clock) -> Panel:
    """Change a panel's name, its Swedish and English names, its contact or its day settings (the panel's
    coordinators)."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        contact = None
        if any(v is not None for v in (cmd.contact_name, cmd.contact_email, cmd.contact_phone)):
            before = panel.contact
            contact = model.contact(
                cmd.contact_name if cmd.contact_name is not None else (before.name if before else None),
                cmd.contact_email if cmd.contact_email is not None else (before.email if before else None),
                cmd.contact_phone if cmd.contact_phone is not None else (before.phone if before else None),
            )
            if contact is None:
                raise InvalidValue("contact", "give the contact's name and email")
        seq = uow.events.next_seq(Aggregate.PANEL, panel.stored_id)
        event = model.update_panel(
            panel,
            name=cmd.name,
            texts=cmd.translations,
            contact=contact,
            days=cmd.days(),
            actor=actor,
            seq=seq,
            at=clock.now(),
        )
        if event is None:
            return panel
        if cmd.name is not None and any(
            p.name.casefold() == panel.name.casefold() and p.id != panel.id for p in uow.panels.list()
        ):
            raise AlreadyExists("panel", "name", panel.name)
        uow.panels.save(panel)
        uow.events.append([event])
        uow.commit()
        return panel


def add_service(cmd: AddService, *, uow: UnitOfWork, clock: Clock) -> tuple[Service, list[StaffUser]]:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        now = clock.now()
        service, event = model.add_service(panel, cmd.name, actor=actor, at=now)
        if any(s.name.casefold() == service.name.casefold() for s in uow.services.for_panel(panel.stored_id)):
            raise AlreadyExists("service", "name", service.name)
        service = uow.services.add(service)
        _log(uow, event, service.id)
        owners = [
            _grant(
                uow,
                *model.new_staff_user(address, role=Role.SERVICE_OWNER, actor=actor, at=now),
                panel=panel,
                service=service,
                actor=actor,
            )
            for address in cmd.owners
        ]
        uow.commit()
        return service, owners


def add_member(cmd: AddMember, *, uow: UnitOfWork, clock: Clock) -> Member:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        taken = uow.members.emails_in_panel(panel.stored_id)
        member, event = _new_member(panel, cmd, actor=actor, at=clock.now(), taken=taken)
        member = uow.members.add(member)
        _log(uow, event, member.id)
        uow.commit()
        return member


def _new_member(
    panel: Panel, given: AddMember | MemberRow, *, actor: Actor, at: datetime, taken: set[str]
) -> tuple[Member, Event]:
    """The member ``given`` describes, checked by the model, unless an address in ``taken`` (casefolded) is theirs."""
    member, event = model.add_member(
        panel,
        name=given.name,
        address=given.email,
        lang=given.language,
        actor=actor,
        at=at,
        greeting=given.greeting_name,
    )
    if member.email.casefold() in taken:
        raise AlreadyExists("member", "email", member.email)
    return member, event


@dataclass(frozen=True)
class ImportResult:
    imported: list[Member]
    skipped: list[RowError]


def import_members(cmd: ImportMembers, *, uow: UnitOfWork, clock: Clock) -> ImportResult:
    """All rows or none: a bad row rejects the whole file unless ``skip_invalid``."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        now = clock.now()
        seen = uow.members.emails_in_panel(panel.stored_id)
        accepted: list[tuple[Member, Event]] = []
        errors: list[RowError] = []
        for row in cmd.rows:
            try:
                member, event = _new_member(panel, row, actor=actor, at=now, taken=seen)
            except DomainError as error:
                errors.append(RowError(row.line, getattr(error, "field", "row"), _reason(error)))
                continue
            seen.add(member.email.casefold())
            accepted.append((member, event))
        if not cmd.rows:
            raise InvalidValue("file", "has no member rows")
        if errors and not cmd.skip_invalid:
            raise InvalidRows(errors)
        imported = []
        for member, event in accepted:
            stored = uow.members.add(member)
            _log(uow, event, stored.id)
            imported.append(stored)
        uow.commit()
        return ImportResult(imported=imported, skipped=errors)


def _reason(error: DomainError) -> str:
    return getattr(error, "reason", None) or str(error).partition(": ")[2] or str(error)


def add_user(cmd: AddUser, *, uow: UnitOfWork, clock: Clock) -> StaffUser:
    with uow:
        user = grant_user(cmd, uow=uow, clock=clock)
        uow.commit()
        return user


def grant_user(cmd: AddUser, *, uow: UnitOfWork, clock: Clock) -> StaffUser:
    """``add_user`` inside the caller's open transaction (access.py adds the token to the same one)."""
    actor = resolve_actor(uow, cmd.actor)
    panel = uow.panels.get(cmd.panel) if cmd.panel else None
    service = None
    if cmd.role is Role.SERVICE_OWNER:
        if not cmd.service:
            raise InvalidValue("service", "a service owner needs --service")
        service = uow.services.get(cmd.service, panel_id=panel.id if panel else None)
        panel = uow.panels.by_id(service.panel_id)
    elif cmd.service:
        raise InvalidValue("service", f"only a service owner has a service, not a {cmd.role.value}")
    if cmd.role is Role.COORDINATOR and panel is None:
        raise InvalidValue("panel", "a coordinator needs --panel")
    user, event = model.new_staff_user(
        cmd.email, role=cmd.role, actor=actor, at=clock.now(), lang=cmd.language, greeting=cmd.greeting_name
    )
    return _grant(uow, user, event, panel=panel, service=service, actor=actor, welcome=cmd.welcome)


def _grant(
    uow: UnitOfWork,
    user: StaffUser,
    event: Event,
    *,
    panel: Panel | None,
    service: Service | None,
    actor: Actor,
    welcome: bool = False,
) -> StaffUser:
    """Store a new staff user (``model.new_staff_user``), or give an existing coordinator one more panel; with
    ``welcome``, the user is told (``staff_welcome``)."""
    role = user.role
    if panel is not None and panel.id is not None:
        actor.require_coordinator(panel.id)
    elif actor.role is not Role.OPERATOR:
        raise PermissionDenied(actor.name, "may not add users outside their panels")
    if panel is not None and panel.id is not None and role is Role.COORDINATOR:
        user.panel_ids = {panel.id}
    if service is not None:
        user.service_id = service.id
    existing = uow.users.by_email(user.email)
    if existing is None:
        user = uow.users.add(user)
        _log(uow, event, user.id)
        if welcome:
            _welcome(uow, user, panel=panel, service=service, actor=actor, at=event.at)
        return user
    if existing.role is not role:
        raise InvalidValue("email", f"{user.email} is already a {existing.role.value}; a user has one role")
    if role is Role.SERVICE_OWNER and existing.service_id != user.service_id:
        raise InvalidValue("service", f"{user.email} already owns another service; an owner has one service")
    if role is Role.COORDINATOR and not user.panel_ids <= existing.panel_ids:
        existing.panel_ids |= user.panel_ids
        uow.users.save(existing)
        if welcome:
            _welcome(uow, existing, panel=panel, service=None, actor=actor, at=event.at)
        seq = uow.events.next_seq(Aggregate.USER, existing.stored_id)
        uow.events.append(
            [
                replace(
                    event,
                    aggregate_id=existing.stored_id,
                    seq=seq,
                    type=EventType.GRANTED,
                    data={"panel_id": panel.id if panel else None},
                )
            ]
        )
        return existing
    if role is Role.SERVICE_OWNER:
        return existing  # already the owner of this service: adding again changes nothing
    raise AlreadyExists("user", "email", user.email)


def _welcome(
    uow: UnitOfWork, user: StaffUser, *, panel: Panel | None, service: Service | None, actor: Actor, at: datetime
) -> None:
    """A coordinator or service representative added to a panel hears it, with what they do and how to sign in
    (``staff_welcome``); a manager reads every panel and gets no panel's welcome."""
    if panel is None or user.role not in (Role.COORDINATOR, Role.SERVICE_OWNER):
        return
    payload: dict[str, object] = {**policy.panel_fields(panel, for_members=False), "role": user.role.value}
    if service is not None:
        payload["service_name"] = service.name
    if actor.role is not Role.OPERATOR:
        payload["added_by"] = actor.name
    key = ("staff-welcome", user.stored_id, panel.stored_id)
    uow.outbox.add(policy.to_staff(kinds.STAFF_WELCOME, key, [user], payload, panel_id=panel.stored_id, now=at))


def update_user(cmd: UpdateUser, *, uow: UnitOfWork, clock: Clock) -> StaffUser:
    """Change a staff user's saved language or greeting name: the operator, or the user themself."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        user = staff_user(uow, cmd.email)
        if actor.role is not Role.OPERATOR and actor.name.casefold() != user.email.casefold():
            raise PermissionDenied(actor.name, "may change only their own language and greeting name")
        changed: dict[str, object] = {}
        if cmd.language is not None and model.ui_language(cmd.language) != user.language:
            user.language = model.ui_language(cmd.language)
            changed["language"] = user.language.value if user.language else None
        if cmd.greeting_name is not None and model.greeting_name(cmd.greeting_name) != user.greeting_name:
            user.greeting_name = model.greeting_name(cmd.greeting_name)
            changed["greeting_name"] = "changed"  # the log keeps no name
        if changed:
            uow.users.save(user)
            seq = uow.events.next_seq(Aggregate.USER, user.stored_id)
            event = model.created(Aggregate.USER, EventType.PREFERENCES_CHANGED, actor=actor, at=clock.now(), **changed)
            uow.events.append([replace(event, aggregate_id=user.stored_id, seq=seq)])
            uow.commit()
        return user
