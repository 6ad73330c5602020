"""Signed-in staff sessions: a random session id in the cookie, its hash on the server.

A session belongs to its user, however they signed in (a one-time link by email, single sign-on). It ends when
the user signs out or ends all their sessions, when a coordinator of one of the user's panels ends them, when the
user is deactivated, after the idle timeout without a request, and at the absolute timeout (``SessionRules``;
``RAATI_SESSION_IDLE_MINUTES``, ``RAATI_SESSION_ABSOLUTE_HOURS``). API tokens are separate: revoking one ends no
session. The cookie holds neither a token nor a hash: a leaked cookie gives nothing to use against the API.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from application.access import audit, permissions
from application.access.identity import resolve_actor, staff_user
from application.access.tokens import hash_token, well_formed
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import NotFound, PermissionDenied
from domain.panels import StaffUser
from domain.sign_in import TOUCH_EVERY, AuditEvent, SessionEnd, SessionRules, SignInMethod, StaffSession
from domain.values import Role

# 32 random bytes, as for API tokens: 256 bits, far beyond guessing.
SESSION_ID_BYTES = 32
# A session id is URL-safe ASCII of 43 characters; anything much longer is refused before hashing.
MAX_SESSION_ID_LENGTH = 100
# What is kept of a browser's User-Agent: enough to tell "Firefox on Windows" from a phone.
MAX_USER_AGENT = 200
DEFAULT_RULES = SessionRules()


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    # The plain session id: for the signed cookie only, never stored.
    session_id: str
    user: StaffUser
    session: StaffSession


@dataclass(frozen=True)
class Current:
    """The signed-in user of a request and their session (``session.id`` tells "this browser" in a list)."""

    actor: Actor
    user: StaffUser
    session: StaffSession


def start_session(
    *,
    user_id: int,
    method: SignInMethod | str,
    client: str | None,
    user_agent: str | None,
    uow: UnitOfWork,
    clock: Clock,
    rules: SessionRules = DEFAULT_RULES,
) -> SignedIn:
    """Sign an active staff user in: a new session (and the audit event ``signed_in``) in one transaction.

    ``client`` is the client's network (``audit.client_network``), never its full address. NotFound for an
    unknown user, PermissionDenied for a deactivated one. ``rules`` give the absolute timeout (the web app's
    settings; ``Pages.session_rules``)."""
    with uow:
        signed_in = open_session(
            uow, user_id=user_id, method=method, client=client, user_agent=user_agent, clock=clock, rules=rules
        )
        uow.commit()
    return signed_in


def open_session(
    uow: UnitOfWork,
    *,
    user_id: int,
    method: SignInMethod | str,
    client: str | None,
    user_agent: str | None,
    clock: Clock,
    rules: SessionRules,
) -> SignedIn:
    """``start_session`` in the caller's open transaction (with the change that signs the user in)."""
    chosen = SignInMethod(method)
    user = uow.users.by_id(user_id)
    if user is None:
        raise NotFound("user", user_id)
    if not user.active:
        raise PermissionDenied(user.email, "is deactivated and may not sign in")
    now = clock.now()
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    agent = " ".join(user_agent.split())[:MAX_USER_AGENT] if user_agent else None
    stored = uow.staff_sessions.start(
        hash_token(session_id),
        user_id=user.stored_id,
        method=chosen.value,
        at=now,
        expires_at=now + rules.absolute,
        client=client,
        user_agent=agent or None,
    )
    audit.record(uow, AuditEvent.SIGNED_IN, user_id=user.stored_id, method=chosen, client=client, at=now)
    return SignedIn(actor=user.as_actor(), session_id=session_id, user=user, session=stored)


def current_session(
    session_id: str, *, uow: UnitOfWork, clock: Clock, rules: SessionRules = DEFAULT_RULES
) -> Current | None:
    """The user and session of an open session id, or None. A session past its idle or absolute timeout ends
    here (with the reason); an open one records the request as its last activity, at most once a minute."""
    if not well_formed(session_id, max_length=MAX_SESSION_ID_LENGTH):
        return None
    with uow:
        found = uow.staff_sessions.open_for(hash_token(session_id))
        if found is None:
            return None
        user, session = found
        now = clock.now()
        ended = rules.ended(last_seen_at=session.last_seen_at, expires_at=session.expires_at, now=now)
        if ended is not None:
            uow.staff_sessions.end_by_id(session.id, at=now, reason=ended.value)
            uow.commit()
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            uow.staff_sessions.touch(session.id, at=now)
            uow.commit()
        return Current(actor=user.as_actor(), user=user, session=session)


def session_actor(
    session_id: str, *, uow: UnitOfWork, clock: Clock, rules: SessionRules = DEFAULT_RULES
) -> Actor | None:
    """The Actor of an open session (see ``current_session``), or None."""
    current = current_session(session_id, uow=uow, clock=clock, rules=rules)
    return current.actor if current is not None else None


def sign_out(session_id: str, *, client: str | None = None, uow: UnitOfWork, clock: Clock) -> bool:
    """End this session on the server (audit ``signed_out``); False if it was not open. Other sessions stay."""
    if not well_formed(session_id, max_length=MAX_SESSION_ID_LENGTH):
        return False
    with uow:
        found = uow.staff_sessions.open_for(hash_token(session_id))
        now = clock.now()
        if found is None or not uow.staff_sessions.end_by_id(found[1].id, at=now, reason=SessionEnd.SIGNED_OUT):
            return False
        user, session = found
        audit.record(uow, AuditEvent.SIGNED_OUT, user_id=user.stored_id, method=session.method, client=client, at=now)
        uow.commit()
        return True


def active_sessions(
    actor: Actor, *, uow: UnitOfWork, clock: Clock, rules: SessionRules = DEFAULT_RULES, email: str | None = None
) -> list[StaffSession]:
    """A user's open sessions, newest first: the actor's own, or (``email``) a user's whose sessions the actor may
    end (``permissions.require_may_end_sessions``)."""
    with uow:
        user = _user_of(uow, actor, email)
        now = clock.now()
        return [
            s
            for s in uow.staff_sessions.open_of(user.stored_id)
            if rules.ended(last_seen_at=s.last_seen_at, expires_at=s.expires_at, now=now) is None
        ]


@dataclass(frozen=True)
class EndSessions(ActorCommand):
    """End every session of the user ``email`` (None: the actor's own), but ``keep`` (the plain id of the
    session making the request, to stay signed in here)."""

    email: str | None = None
    keep: str | None = None
    client: str | None = None


def end_sessions(cmd: EndSessions, *, uow: UnitOfWork, clock: Clock, rules: SessionRules = DEFAULT_RULES) -> int:
    """End a user's sessions: their own (``ended_by_user``), or a user's in a coordinator's panels or by the
    operator (``ended_by_coordinator``). Audit ``sessions_ended``; returns how many ended that were still live under
    ``rules`` (those timed out already are closed too, but were not counted as open anywhere)."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        user = _user_of(uow, actor, cmd.email)
        own = actor.name.lower() == user.email.lower()
        keep = None
        if cmd.keep and well_formed(cmd.keep, max_length=MAX_SESSION_ID_LENGTH):
            kept = uow.staff_sessions.open_for(hash_token(cmd.keep))
            keep = kept[1].id if kept is not None and kept[0].stored_id == user.stored_id else None
        now = clock.now()
        reason = SessionEnd.ENDED_BY_USER if own else SessionEnd.ENDED_BY_COORDINATOR
        live = sum(
            1
            for s in uow.staff_sessions.open_of(user.stored_id)
            if s.id != keep and rules.ended(last_seen_at=s.last_seen_at, expires_at=s.expires_at, now=now) is None
        )
        uow.staff_sessions.end_all(user.stored_id, at=now, reason=reason.value, keep=keep)
        ended = live
        by = uow.users.by_email(actor.name) if actor.role is not Role.OPERATOR else None
        audit.record(
            uow,
            AuditEvent.SESSIONS_ENDED,
            user_id=user.stored_id,
            actor_user_id=None if own or by is None else by.stored_id,
            client=cmd.client,
            detail=str(ended),
            at=now,
        )
        uow.commit()
        return ended


def _user_of(uow: UnitOfWork, actor: Actor, email: str | None) -> StaffUser:
    """The actor's own account, or the user ``email`` if the actor may end their sessions."""
    if email is None:
        if actor.role is Role.OPERATOR:
            raise NotFound("user", actor.name)  # the local operator has no sessions
        return staff_user(uow, actor.name)
    user = staff_user(uow, email)
    permissions.require_may_end_sessions(actor, user, uow=uow)
    return user
