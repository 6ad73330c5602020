"""``/api/v1/panels``: the panels within the caller's reach with their translated names and contact person, and
changing one (its coordinators)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from application.commands import UpdatePanel
from application.people.roster import update_panel
from application.reads import views
from domain.actors import Actor
from domain.errors import NotFound
from domain.panels import Panel
from web.api.context import ApiContext
from web.api.problems import ProblemRoute, problem_responses
from web.api.schemas import MAX_ID, ContactOut, PanelOut, PanelUpdateIn, given_translations

PanelId = Annotated[int, Path(ge=1, le=MAX_ID, description="The panel's id.")]


def panel_out(panel: Panel) -> PanelOut:
    contact = panel.contact
    return PanelOut(
        id=panel.stored_id,
        name=panel.name,
        lead_days=panel.lead_days,
        summary_due_days=panel.summary_due_days,
        translations=panel.translations.as_json(),
        contact=ContactOut(name=contact.name, email=contact.email, phone=contact.phone) if contact else None,
    )


def panels_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/panels", tags=["panels"], route_class=ProblemRoute)
    Caller = Annotated[Actor, Depends(ctx.current_actor)]

    def readable(actor: Actor, panel_id: int) -> Panel:
        for panel in views.list_panels(actor=actor, uow=ctx.uow_factory()):
            if panel.id == panel_id:
                return panel
        raise NotFound("panel", panel_id)

    @router.get("", response_model=list[PanelOut], responses=problem_responses(401))
    def list_panels(actor: Caller) -> list[PanelOut]:
        """The caller's panels (a manager: all panels)."""
        return [panel_out(p) for p in views.list_panels(actor=actor, uow=ctx.uow_factory())]

    @router.get("/{panel_id}", response_model=PanelOut, responses=problem_responses(401, 404, 422))
    def show_panel(actor: Caller, panel_id: PanelId) -> PanelOut:
        """One panel: its name in each language and its contact person."""
        return panel_out(readable(actor, panel_id))

    @router.patch(
        "/{panel_id}", response_model=PanelOut, responses=problem_responses(400, 401, 403, 404, 409, 413, 422)
    )
    def change_panel(actor: Caller, panel_id: PanelId, body: PanelUpdateIn) -> PanelOut:
        """Change the name, its Swedish or English version ("" removes one) or the contact (coordinators)."""
        readable(actor, panel_id)
        contact = body.contact
        cmd = UpdatePanel(
            panel=str(panel_id),
            name=body.name,
            translations=given_translations(body.translations),
            contact_name=contact.name if contact else None,
            contact_email=contact.email if contact else None,
            contact_phone=(contact.phone or "") if contact else None,
            actor=actor.name,
        )
        return panel_out(update_panel(cmd, uow=ctx.uow_factory(), clock=ctx.clock))

    return router
