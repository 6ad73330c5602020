"""Personal API tokens, for integrations: a staff user names, creates and revokes their own on the settings page.

A user may hold several named tokens, each shown once when created, each with an optional last day. They sit
beside the one unnamed *script token* that ``raati user add`` and ``raati user token`` issue for scripts: the
command line replaces only that one, and revoking a named token leaves it (and every session) alone. The API
accepts any of them while it is neither revoked nor expired and its user is active (``tokens.actor_for_token``).
Creating and revoking are in the audit trail with the token's name, never its value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from application.access import audit
from application.access.tokens import TOKEN_BYTES, hash_token
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import InvalidValue, NotFound
from domain.panels import StaffUser
from domain.sign_in import MAX_TOKEN_NAME, ApiToken, AuditEvent
from domain.values import Role, single_line

# The furthest last day a token may be given: an integration's token is renewed now and then.
MAX_DAYS_AHEAD = 5 * 366


@dataclass(frozen=True)
class CreateToken(ActorCommand):
    """A new token of the actor's own, named ``name``; it works through ``last_day`` (Helsinki), or until revoked."""

    name: str = ""
    last_day: date | None = None
    client: str | None = None


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    # The plain token: shown to its owner once, never stored.
    secret: str


@dataclass(frozen=True)
class RevokeToken(ActorCommand):
    token_id: int = 0
    client: str | None = None


@dataclass(frozen=True)
class TokenListing:
    token: ApiToken
    expired: bool

    @property
    def script(self) -> bool:
        """The unnamed token the command line issued (``raati user token``)."""
        return self.token.name is None


def last_day(text: str | None, *, today: date) -> date | None:
    """A token's last day from a form's ``YYYY-MM-DD`` (empty: none): today or later, at most five years ahead."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidValue("expires", f"{value[:20]!r} is not a date (YYYY-MM-DD)") from None
    return check_last_day(day, today=today)


def check_last_day(day: date, *, today: date) -> date:
    if day < today:
        raise InvalidValue("expires", "must be today or a later day")
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidValue("expires", "may be at most five years ahead")
    return day


def today_in_helsinki(clock: Clock) -> date:
    return clock.now().astimezone(PANEL_TZ).date()


def end_of(day: date) -> datetime:
    """The moment a token with this last day stops working: the midnight after it, in Helsinki."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=PANEL_TZ).astimezone(UTC)


def create_token(cmd: CreateToken, *, uow: UnitOfWork, clock: Clock) -> CreatedToken:
    """A named token for the actor's own account (audit ``token_created`` with its name)."""
    name = single_line(cmd.name, field="name", maximum=MAX_TOKEN_NAME)
    with uow:
        now = clock.now()
        if cmd.last_day is not None:
            check_last_day(cmd.last_day, today=now.astimezone(PANEL_TZ).date())
        user = _own_account(uow, cmd.actor)
        secret = secrets.token_urlsafe(TOKEN_BYTES)
        expires_at = end_of(cmd.last_day) if cmd.last_day is not None else None
        token = uow.tokens.add(user.stored_id, token_hash=hash_token(secret), name=name, expires_at=expires_at, at=now)
        audit.record(uow, AuditEvent.TOKEN_CREATED, user_id=user.stored_id, client=cmd.client, detail=name, at=now)
        uow.commit()
        return CreatedToken(token=token, secret=secret)


def list_tokens(actor: Actor, *, uow: UnitOfWork, clock: Clock) -> list[TokenListing]:
    """The actor's own tokens not revoked, newest first, each marked if it has expired."""
    with uow:
        user = _own_account(uow, actor.name if actor.role is not Role.OPERATOR else None)
        now = clock.now()
        return [TokenListing(token=t, expired=t.expired(now)) for t in uow.tokens.active_of(user.stored_id)]


def revoke_token(cmd: RevokeToken, *, uow: UnitOfWork, clock: Clock) -> ApiToken:
    """Revoke one of the actor's own tokens (audit ``token_revoked`` with its name). Another's token, or one
    revoked already, is NotFound: nothing tells whose it was."""
    with uow:
        user = _own_account(uow, cmd.actor)
        now = clock.now()
        revoked = uow.tokens.revoke(cmd.token_id, user_id=user.stored_id, at=now)
        if revoked is None:
            raise NotFound("token", cmd.token_id)
        audit.record(
            uow, AuditEvent.TOKEN_REVOKED, user_id=user.stored_id, client=cmd.client, detail=revoked.name, at=now
        )
        uow.commit()
        return revoked


def _own_account(uow: UnitOfWork, who: str | None) -> StaffUser:
    """The caller's own staff account: the local operator (no ``--as``) has none, and so no personal tokens."""
    if who is None:
        raise InvalidValue("as", "personal API tokens belong to a staff user; the operator has none")
    user = uow.users.by_email(who)
    if user is None or not user.active:
        raise NotFound("user", who)
    return user
