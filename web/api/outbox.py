"""``/api/v1/outbox``: delivery health: rows per status, the age of the oldest pending one, failures with reasons."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from application.reads import views
from domain.actors import Actor
from web.api.context import ApiContext
from web.api.problems import ProblemRoute, problem_responses
from web.api.schemas import FailedMessageOut, OutboxStatusOut, Ref


def outbox_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/outbox", tags=["outbox"], route_class=ProblemRoute)
    Caller = Annotated[Actor, Depends(ctx.current_actor)]

    @router.get("", response_model=OutboxStatusOut, responses=problem_responses(401, 403, 404, 422))
    def outbox_status(
        actor: Caller, panel: Annotated[Ref | None, Query(description="Panel id or name.")] = None
    ) -> OutboxStatusOut:
        """Coordinators see their panels' rows, managers all; service owners get 403."""
        health = views.outbox_health(panel, actor=actor, uow=ctx.uow_factory(), clock=ctx.clock)
        oldest = health.oldest_pending_at
        return OutboxStatusOut(
            counts=health.counts,
            oldest_pending_at=oldest,
            oldest_pending_age_seconds=(ctx.clock.now() - oldest).total_seconds() if oldest else None,
            failed=[
                FailedMessageOut(
                    id=m.id,
                    kind=m.kind,
                    panel=m.panel_id,
                    recipient_kind=m.recipient_kind,
                    recipient_id=m.recipient_id,
                    attempts=m.attempts,
                    created_at=m.created_at,
                    reason=m.last_error,
                    idea=m.payload.get("idea_id"),
                )
                for m in health.failed
            ],
        )

    return router
