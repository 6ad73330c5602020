"""The member's ground rules page, reached by the signed link in the welcome email: read and acknowledge.

GET shows the panel's current rules in the member's language (``?lang=`` for another); only the form's
POST, with the session's CSRF token, records the acknowledgement, so a mail scanner opening the link
acknowledges nothing.
"""

# No `from __future__ import annotations`: FastAPI must resolve the local Annotated alias at runtime.
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from application.participation.ground_rules import acknowledge_ground_rules, member_ground_rules
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import DomainError, NotFound
from notifications.i18n import LANGUAGES
from notifications.links import GROUND_RULES, PREFERENCES, LinkSigner
from web.pages.member_preferences import invalid_link_page
from web.rendering import CSRF_FIELD, catalog_for, content_in, csrf_ok, render


def ground_rules_router(
    *, uow_factory: Callable[[], UnitOfWork], clock: Clock, signer: Callable[[], LinkSigner]
) -> APIRouter:
    router = APIRouter()

    def verified(member_id: int, token: Annotated[str, Query(max_length=200)] = "") -> str | None:
        """The member's language if the link is genuine, else None."""
        if not signer().verify(GROUND_RULES, member_id, token):
            return None
        with uow_factory() as uow:
            try:
                return uow.members.get(member_id).language.value
            except NotFound:
                return None

    Verified = Annotated[str | None, Depends(verified)]

    def rules_page(
        request: Request, member_id: int, language: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        view = member_ground_rules(member_id, uow=uow_factory(), language=language)
        t = catalog_for(language)
        with uow_factory() as uow:  # the panel's name in every language (the view holds the Finnish)
            panel = uow.panels.by_id(view.panel_id)
        own = f"/m/{member_id}/rules?token={signer().sign(GROUND_RULES, member_id)}"
        acknowledged = ""
        if view.acknowledged_at is not None:
            when = t.format_when(view.acknowledged_at)
            acknowledged = t(
                "Thank you! You confirmed on {when} that you have read the ground rules (version {version}).",
                version=view.version,
                when=when,
            )
        return render(
            request,
            "member/ground_rules.html",
            t=t,
            status=status,
            # The layout's language links point at ``links.preferences``: here, this page in another language.
            links={
                "preferences": own,
                "settings": f"/m/{member_id}/preferences?token={signer().sign(PREFERENCES, member_id)}",
            },
            panel_name=content_in(panel, "name", t.language),
            rules=view.rules,
            version=view.version,
            acknowledged=acknowledged,
            action=own,
            **{"error": "", **context},
        )

    def invalid(request: Request) -> HTMLResponse:
        return invalid_link_page(request)

    def shown(language: str, requested: str | None) -> str:
        return requested if requested in LANGUAGES else language

    @router.get("/m/{member_id}/rules", response_class=HTMLResponse)
    def show_rules(
        member_id: int, request: Request, language: Verified, lang: Annotated[str | None, Query()] = None
    ) -> HTMLResponse:
        if language is None:
            return invalid(request)
        return rules_page(request, member_id, shown(language, lang))

    @router.post("/m/{member_id}/rules", response_class=HTMLResponse)
    async def acknowledge(member_id: int, request: Request, language: Verified) -> HTMLResponse:
        if language is None:
            return invalid(request)
        form = await request.form()
        t = catalog_for(language)
        changed = t("The ground rules have changed in the meantime. Please read the new version and confirm it.")
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            return rules_page(
                request, member_id, language, status=403, error=t("The form had expired. Please try again.")
            )
        version = str(form.get("version") or "")
        if not version.isdigit():
            return rules_page(request, member_id, language, status=422, error=changed)
        try:
            acknowledge_ground_rules(member_id, int(version), uow=uow_factory(), clock=clock)
        except DomainError:
            # A newer version was published while the page was open: show it and ask again.
            return rules_page(request, member_id, language, status=409, error=changed)
        return rules_page(request, member_id, language)

    return router
