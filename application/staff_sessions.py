"""A signed-in staff session keeps only the hash of the user's token, never the token itself.

A leaked session cookie then gives nothing to use against the API, and issuing a new token (which
revokes the old one) still ends every session made with the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.access import authenticate, hash_token
from application.ports import UnitOfWork
from domain.actors import Actor


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    token_hash: str


def sign_in(token: str, *, uow: UnitOfWork) -> SignedIn | None:
    """The staff user of an active token (checked by ``access.authenticate``), with what the session keeps."""
    actor = authenticate(token, uow=uow)
    return SignedIn(actor=actor, token_hash=hash_token(token)) if actor is not None else None


def session_actor(token_hash: str, *, uow: UnitOfWork) -> Actor | None:
    """The Actor of a session, as long as the token it was made with is still active."""
    if len(token_hash) != 64:
        return None
    with uow:
        user = uow.tokens.user_for(token_hash)
        return user.as_actor() if user is not None else None
