"""Signed-in staff sessions: a random session id in the cookie, its hash on the server.

The cookie holds neither the token nor its hash: a leaked cookie gives nothing to use against the API.
Signing out ends the session on the server, so a saved copy of the cookie opens nothing afterwards;
the user's token and their sessions elsewhere stay as they are. Issuing a new token (which revokes
the old one) still ends every session opened with the old one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from application.access.tokens import InvalidToken, actor_for_token, actor_holding, hash_token, well_formed
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor

# 32 random bytes, as for API tokens: 256 bits, far beyond guessing.
SESSION_ID_BYTES = 32
# A session id is URL-safe ASCII of 43 characters; anything much longer is refused before hashing.
MAX_SESSION_ID_LENGTH = 100


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    # The plain session id: for the signed cookie only, never stored.
    session_id: str


def sign_in(token: str, *, uow: UnitOfWork, clock: Clock) -> SignedIn | None:
    """A new session for the staff user of an active token, or None for a token that opens nothing."""
    session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
    with uow:
        try:
            actor = actor_for_token(uow, token)
        except InvalidToken:
            return None
        if not uow.staff_sessions.start(hash_token(session_id), token_hash=hash_token(token), at=clock.now()):
            return None  # revoked in the moment between the two reads
        uow.commit()
    return SignedIn(actor=actor, session_id=session_id)


def session_actor(session_id: str, *, uow: UnitOfWork) -> Actor | None:
    """The Actor of an open session, as long as the token it was opened with is still active."""
    return actor_holding(
        session_id,
        max_length=MAX_SESSION_ID_LENGTH,
        uow=uow,
        user_for=lambda u, hashed: u.staff_sessions.user_for(hashed),
    )


def sign_out(session_id: str, *, uow: UnitOfWork, clock: Clock) -> bool:
    """End this session on the server; False if it was not open. The user's other sessions and token stay."""
    if not well_formed(session_id, max_length=MAX_SESSION_ID_LENGTH):
        return False
    with uow:
        ended = uow.staff_sessions.end(hash_token(session_id), at=clock.now())
        uow.commit()
        return ended
