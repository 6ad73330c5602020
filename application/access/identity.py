"""Turning the caller's identity (an email, or none for the local operator) into a domain Actor."""

from __future__ import annotations

from application.ports.unit_of_work import UnitOfWork
from domain.actors import Actor
from domain.errors import NotFound
from domain.values import email


def resolve_actor(uow: UnitOfWork, who: str | None) -> Actor:
    if who is None:
        return Actor.operator()
    user = uow.users.by_email(email(who, field="as"))
    if user is None:
        raise NotFound("user", who)
    return user.as_actor()
