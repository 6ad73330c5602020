"""Deactivating a staff user (and activating them again): a deactivated user signs in no more, and every session
and API token they had ends in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from application.access import audit, permissions
from application.access.identity import resolve_actor, staff_user
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.events import Aggregate, Event, EventType
from domain.panels import StaffUser
from domain.sign_in import AuditEvent, SessionEnd
from domain.values import Role


@dataclass(frozen=True)
class SetUserActive(ActorCommand):
    email: str
    active: bool


@dataclass(frozen=True)
class AccountChange:
    user: StaffUser
    changed: bool  # False: the user already was so
    sessions_ended: int = 0
    tokens_revoked: int = 0


def set_user_active(cmd: SetUserActive, *, uow: UnitOfWork, clock: Clock) -> AccountChange:
    """Deactivate (``active=False``) or activate a staff user: the operator, or a coordinator for staff all of whose
    panels are theirs (``permissions.require_may_manage_staff``). Deactivating ends the user's sessions and revokes
    their API tokens at once (audit ``sessions_ended`` and ``token_revoked``); an activated user signs in anew."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        user = staff_user(uow, cmd.email)
        permissions.require_may_manage_staff(actor, user, uow=uow)
        if user.active is cmd.active:
            return AccountChange(user=user, changed=False)
        now = clock.now()
        user.active = cmd.active
        uow.users.save(user)
        by = uow.users.by_email(actor.name) if actor.role is not Role.OPERATOR else None
        by_id = by.stored_id if by is not None else None
        ended = revoked = 0
        if not cmd.active:
            ended = uow.staff_sessions.end_all(user.stored_id, at=now, reason=SessionEnd.DEACTIVATED.value)
            revoked = uow.tokens.revoke_all(user.stored_id, at=now)
            for event_type, count in ((AuditEvent.SESSIONS_ENDED, ended), (AuditEvent.TOKEN_REVOKED, revoked)):
                audit.record(uow, event_type, user_id=user.stored_id, actor_user_id=by_id, detail=str(count), at=now)
        event = Event(
            aggregate=Aggregate.USER,
            aggregate_id=user.stored_id,
            seq=uow.events.next_seq(Aggregate.USER, user.stored_id),
            type=EventType.ACTIVATED if cmd.active else EventType.DEACTIVATED,
            actor=actor.name,
            at=now,
            data=MappingProxyType({"sessions_ended": ended, "tokens_revoked": revoked} if not cmd.active else {}),
        )
        uow.events.append([event])
        uow.commit()
        return AccountChange(user=user, changed=True, sessions_ended=ended, tokens_revoked=revoked)
