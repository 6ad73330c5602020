"""Turning the caller's identity (an email, or none for the local operator) into a domain Actor, and the
staff user's own saved UI language (``Actor.language``, read with the identity)."""

from __future__ import annotations

from types import MappingProxyType

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import InvalidValue, NotFound
from domain.events import Aggregate, Event, EventType
from domain.panels import StaffUser, ui_language
from domain.values import Role, email


def resolve_actor(uow: UnitOfWork, who: str | None) -> Actor:
    if who is None:
        return Actor.operator()
    return staff_user(uow, who, field="as").as_actor()


def staff_user(uow: UnitOfWork, address: str, *, field: str = "email") -> StaffUser:
    """The staff user with this email address (``field`` names it if it is not one), else NotFound."""
    user = uow.users.by_email(email(address, field=field))
    if user is None:
        raise NotFound("user", address)
    return user


def set_language(uow: UnitOfWork, *, actor: Actor, language: str | None, clock: Clock) -> StaffUser:
    """Save the signed-in staff user's UI language (fi, sv or en; None or "" forgets it). Commits.

    The user is the actor itself: everyone chooses their own language. The local operator has no saved language.
    """
    chosen = ui_language(language)
    with uow:
        if actor.role is Role.OPERATOR:
            raise InvalidValue("language", "the local operator has no saved language")
        user = uow.users.by_email(actor.name)
        if user is None:
            raise NotFound("user", actor.name)
        if user.language is not chosen:
            user.language = chosen
            uow.users.save(user)
            seq = uow.events.next_seq(Aggregate.USER, user.stored_id)
            uow.events.append(
                [
                    Event(
                        aggregate=Aggregate.USER,
                        aggregate_id=user.stored_id,
                        seq=seq,
                        type=EventType.PREFERENCES_CHANGED,
                        actor=actor.name,
                        at=clock.now(),
                        data=MappingProxyType({"language": chosen.value if chosen else None}),
                    )
                ]
            )
        uow.commit()
        return user
