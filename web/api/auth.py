"""Bearer-token authentication of the API: the token names a staff user, whose Actor the routes get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.access.tokens import authenticate
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from web.api.problems import ApiProblem

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff user's API token from `raati user add` or `raati user token EMAIL`.",
)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="raati"'}


def invalid_token() -> ApiProblem:
    return ApiProblem(
        401,
        slug="invalid-token",
        detail="the token is not valid: unknown, revoked or expired",
        field="authorization",
        headers={"WWW-Authenticate": 'Bearer realm="raati", error="invalid_token"'},
    )


async def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    """The request's bearer token, unchecked (401 if there is none): for a route that checks it in its own
    transaction (``application.access.tokens.actor_for_token``; InvalidToken -> ``invalid_token()``)."""
    if credentials is None:
        raise ApiProblem(
            401,
            slug="unauthenticated",
            detail="a bearer token is required (Authorization: Bearer TOKEN)",
            field="authorization",
            headers=_CHALLENGE,
        )
    return credentials.credentials


def actor_dependency(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> Callable[..., Actor]:
    """A FastAPI dependency giving the Actor of the request's bearer token, or 401."""

    def current_actor(token: Annotated[str, Depends(bearer_token)]) -> Actor:
        actor = authenticate(token, uow=uow_factory(), clock=clock)
        if actor is None:
            raise invalid_token()
        return actor

    return current_actor
