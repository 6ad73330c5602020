"""Staff API tokens: issue one (shown once, stored as a SHA-256 hash; a new one revokes the old)
and authenticate a bearer token to the staff user's Actor."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from application.access.identity import resolve_actor, staff_user
from application.commands import ActorCommand, AddUser
from application.people.roster import grant_user
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.events import Aggregate, Event, EventType
from domain.panels import StaffUser
from domain.values import Role

# 32 random bytes: 256 bits, far beyond guessing; URL-safe so it can be pasted anywhere.
TOKEN_BYTES = 32
# Tokens are plain ASCII of this bounded length; anything longer is refused before hashing.
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class IssueToken(ActorCommand):
    email: str


@dataclass(frozen=True)
class IssuedToken:
    user: StaffUser
    # The plain token: shown to the caller once, never stored.
    token: str | None
    revoked: int = 0


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(cmd: IssueToken, *, uow: UnitOfWork, clock: Clock) -> IssuedToken:
    """A new token for a staff user; every token the user had before stops working."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        user = staff_user(uow, cmd.email)
        _require_may_issue(actor, user, uow=uow)
        token, revoked = _issue(uow, user, actor=actor, clock=clock)
        uow.commit()
        return IssuedToken(user=user, token=token, revoked=revoked)


def add_user_with_token(cmd: AddUser, *, uow: UnitOfWork, clock: Clock) -> IssuedToken:
    """Add a staff user and, if the user has no token yet, issue one: in one transaction.

    Adding an existing coordinator to another panel keeps the token they have (token is None).
    """
    with uow:
        user = grant_user(cmd, uow=uow, clock=clock)
        token = None
        if not uow.tokens.has_active(user.stored_id):
            token, _ = _issue(uow, user, actor=resolve_actor(uow, cmd.actor), clock=clock)
        uow.commit()
        return IssuedToken(user=user, token=token)


class InvalidToken(Exception):
    """A bearer token that names no active staff user (unknown, revoked or malformed). The API answers 401."""


def authenticate(token: str, *, uow: UnitOfWork) -> Actor | None:
    """The Actor of the staff user holding this active token, or None. Opens its own transaction."""
    return actor_holding(
        token, max_length=MAX_TOKEN_LENGTH, uow=uow, user_for=lambda u, hashed: u.tokens.user_for(hashed)
    )


def actor_holding(
    secret: str, *, max_length: int, uow: UnitOfWork, user_for: Callable[[UnitOfWork, str], StaffUser | None]
) -> Actor | None:
    """The Actor of the staff user ``user_for`` finds by the secret's hash (a token's, a session's), or None for a
    malformed secret or one that opens nothing. Opens its own transaction."""
    if not well_formed(secret, max_length=max_length):
        return None
    with uow:
        user = user_for(uow, hash_token(secret))
        return user.as_actor() if user is not None else None


def actor_for_token(uow: UnitOfWork, token: str) -> Actor:
    """The token's Actor, read in the caller's open transaction (one BEGIN/COMMIT for a request), or InvalidToken.

    Nothing is cached: a token revoked before this transaction began is refused."""
    user = uow.tokens.user_for(hash_token(token)) if well_formed(token, max_length=MAX_TOKEN_LENGTH) else None
    if user is None:
        raise InvalidToken
    return user.as_actor()


def well_formed(secret: str, *, max_length: int) -> bool:
    """Plain ASCII of at most ``max_length`` characters: anything else is refused before hashing."""
    return bool(secret) and len(secret) <= max_length and secret.isascii()


def _issue(uow: UnitOfWork, user: StaffUser, *, actor: Actor, clock: Clock) -> tuple[str, int]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    revoked = uow.tokens.replace(user.stored_id, token_hash=hash_token(token), at=now)
    # The log says that a token was issued (never the token or its hash).
    event = Event(
        aggregate=Aggregate.USER,
        aggregate_id=user.stored_id,
        seq=uow.events.next_seq(Aggregate.USER, user.stored_id),
        type=EventType.TOKEN_ISSUED,
        actor=actor.name,
        at=now,
        data=MappingProxyType({"revoked": revoked}),
    )
    uow.events.append([event])
    return token, revoked


def _require_may_issue(actor: Actor, user: StaffUser, *, uow: UnitOfWork) -> None:
    """The operator issues any token; a coordinator those of the people on their own panels."""
    if actor.role is Role.OPERATOR:
        return
    panels = set(user.panel_ids)
    if user.service_id is not None:
        panels.add(uow.services.by_id(user.service_id).panel_id)
    if not panels or actor.role is not Role.COORDINATOR or not panels <= actor.panel_ids:
        raise PermissionDenied(actor.name, "may issue tokens only to staff of their own panels")
