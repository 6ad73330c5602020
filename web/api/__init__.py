"""The JSON API under /api/v1 for staff: bearer tokens, role-scoped reads, idea changes through the use cases.

The route modules do not use ``from __future__ import annotations``: FastAPI must resolve each app's
dependency alias (a closure over its units of work) when the routes are declared.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from web.api.context import ApiContext
from web.api.ideas import ideas_router
from web.api.meetings import meetings_router
from web.api.members import members_router
from web.api.outbox import outbox_router
from web.api.panels import panels_router
from web.api.problems import ProblemRoute, problem_responses, unknown_path_handler
from web.api.schemas import MeOut

PREFIX = "/api/v1"


def me_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(tags=["staff"], route_class=ProblemRoute)

    @router.get("/me", response_model=MeOut, responses=problem_responses(401))
    def me(actor: Annotated[Actor, Depends(ctx.current_actor)]) -> MeOut:
        """Who the token belongs to: role, panels, service."""
        return MeOut(
            email=actor.name,
            role=actor.role,
            panels=sorted(actor.panel_ids),
            service=actor.service_id,
            language=actor.language,
        )

    return router


def api_router(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> APIRouter:
    ctx = ApiContext(uow_factory=uow_factory, clock=clock)
    router = APIRouter(route_class=ProblemRoute)
    parts = [
        make(ctx) for make in (me_router, ideas_router, meetings_router, members_router, outbox_router, panels_router)
    ]
    for part in parts:
        router.include_router(part, prefix=PREFIX)

    # Last: any other /api path is a problem+json 404 (or 405), not the HTML pages' not-found.
    router.add_api_route(
        "/api/{rest:path}",
        unknown_path_handler([r for part in parts for r in part.routes if isinstance(r, APIRoute)], prefix=PREFIX),
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        include_in_schema=False,
        route_class_override=ProblemRoute,
    )
    return router


__all__ = ["PREFIX", "api_router"]
