"""Staff API tokens, for integrations and scripts: issue a user's script token (shown once, stored as a SHA-256
hash; a new one revokes the old script token, never the named tokens of ``personal_tokens``) and authenticate a
bearer token to the staff user's Actor. People sign in to the pages by email link or single sign-on
(``sessions``); a token opens no page, and revoking one ends no session."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from types import MappingProxyType

from application.access import audit, permissions
from application.access.identity import resolve_actor, staff_user
from application.commands import ActorCommand, AddUser
from application.people.roster import grant_user
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.panels import StaffUser
from domain.sign_in import TOUCH_EVERY, AuditEvent
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
    """A new script token for a staff user (``raati user token``); the script token they had before stops working,
    the tokens they named on the settings page keep working."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        user = staff_user(uow, cmd.email)
        permissions.require_may_manage_staff(actor, user, uow=uow)
        if not user.active:
            raise InvalidValue("email", f"{user.email} is deactivated; `raati user activate` first")
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
    """A bearer token that names no active staff user (unknown, revoked, expired or malformed). The API answers 401."""


def authenticate(token: str, *, uow: UnitOfWork, clock: Clock) -> Actor | None:
    """The Actor of the active staff user holding this active token, or None. Opens its own transaction."""
    if not well_formed(token, max_length=MAX_TOKEN_LENGTH):
        return None
    with uow:
        try:
            actor = actor_for_token(uow, token, clock=clock)
        except InvalidToken:
            return None
        uow.commit()  # the token's last use, when it was written
        return actor


def actor_for_token(uow: UnitOfWork, token: str, *, clock: Clock) -> Actor:
    """The token's Actor, read in the caller's open transaction (one BEGIN/COMMIT for a request), or InvalidToken.

    Nothing is cached: a token revoked before this transaction began is refused. The token's last use is written
    at most once a minute (the caller's commit keeps it)."""
    now = clock.now()
    found = uow.tokens.user_for(hash_token(token), at=now) if well_formed(token, max_length=MAX_TOKEN_LENGTH) else None
    if found is None:
        raise InvalidToken
    if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
        uow.tokens.used(found.token_id, at=now)
    return found.user.as_actor()


def well_formed(secret: str, *, max_length: int) -> bool:
    """Plain ASCII of at most ``max_length`` characters: anything else is refused before hashing."""
    return bool(secret) and len(secret) <= max_length and secret.isascii()


def _issue(uow: UnitOfWork, user: StaffUser, *, actor: Actor, clock: Clock) -> tuple[str, int]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    revoked = uow.tokens.replace(user.stored_id, token_hash=hash_token(token), at=now)
    by = None if actor.role is Role.OPERATOR else uow.users.by_email(actor.name)
    by_id = by.stored_id if by is not None and by.stored_id != user.stored_id else None
    if revoked:
        audit.record(
            uow, AuditEvent.TOKEN_REVOKED, user_id=user.stored_id, actor_user_id=by_id, detail=str(revoked), at=now
        )
    audit.record(uow, AuditEvent.TOKEN_CREATED, user_id=user.stored_id, actor_user_id=by_id, at=now)
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
