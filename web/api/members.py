"""``/api/v1/members``: a panel's members, for its coordinators only (names and addresses are personal data)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from application.reads import views
from domain.actors import Actor
from web.api.context import ApiContext
from web.api.problems import ProblemRoute, problem_responses
from web.api.schemas import MemberOut, Ref


def members_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/members", tags=["members"], route_class=ProblemRoute)
    Caller = Annotated[Actor, Depends(ctx.current_actor)]

    @router.get("", response_model=list[MemberOut], responses=problem_responses(401, 403, 404, 422))
    def list_members(
        actor: Caller, panel: Annotated[Ref | None, Query(description="Panel id or name.")] = None
    ) -> list[MemberOut]:
        """Members of the caller's panels, or of the one named; managers and service owners get 403."""
        return [
            MemberOut(
                id=m.stored_id,
                panel=m.panel_id,
                name=m.name,
                email=m.email,
                language=m.language,
                delivery=m.delivery,
                active=m.active,
                unsubscribed=m.unsubscribed,
            )
            for m in views.list_members(panel, actor=actor, uow=ctx.uow_factory())
        ]

    return router
