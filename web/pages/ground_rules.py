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
from notifications.catalogs import catalog_for, to_helsinki
from notifications.links import GROUND_RULES, PREFERENCES, LinkSigner
from web.rendering import CSRF_FIELD, csrf_ok, render
from web.texts import LANGUAGE_NAMES, MEMBER, MEMBER_LANGUAGES

RULES_TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "rules_title": "Yhteiset pelisäännöt",
        "rules_intro": "Nämä ovat raadin {panel} pelisäännöt (versio {version}). "
        "Niiden avulla työ sujuu ja osallistuminen tuntuu hyödylliseltä.",
        "rules_ask": "Kun olet lukenut pelisäännöt, vahvista se alla olevalla painikkeella.",
        "rules_button": "Olen lukenut pelisäännöt",
        "rules_done": "Kiitos! Vahvistit lukeneesi pelisäännöt (versio {version}) {when}.",
        "rules_changed": "Pelisäännöt ovat muuttuneet sillä välin. Lue uusi versio ja vahvista se.",
        "rules_settings": "Viestiasetukset",
    },
    "sv": {
        "rules_title": "Gemensamma spelregler",
        "rules_intro": "Det här är spelreglerna för kundrådet {panel} (version {version}). "
        "Med dem löper arbetet smidigt och deltagandet känns meningsfullt.",
        "rules_ask": "När du har läst spelreglerna kan du bekräfta det med knappen nedan.",
        "rules_button": "Jag har läst spelreglerna",
        "rules_done": "Tack! Du bekräftade att du har läst spelreglerna (version {version}) {when}.",
        "rules_changed": "Spelreglerna har ändrats under tiden. Läs den nya versionen och bekräfta den.",
        "rules_settings": "Inställningar för meddelanden",
    },
    "en": {
        "rules_title": "Our ground rules",
        "rules_intro": "These are the ground rules of the panel {panel} (version {version}). "
        "They help the work go smoothly and make taking part feel worthwhile.",
        "rules_ask": "When you have read the ground rules, please confirm it with the button below.",
        "rules_button": "I have read the ground rules",
        "rules_done": "Thank you! You confirmed that you have read the ground rules (version {version}) on {when}.",
        "rules_changed": "The ground rules have changed in the meantime. Please read the new version and confirm it.",
        "rules_settings": "Email settings",
    },
}


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
        texts = {**MEMBER[language], **RULES_TEXTS[language]}
        own = f"/m/{member_id}/rules?token={signer().sign(GROUND_RULES, member_id)}"
        acknowledged = ""
        if view.acknowledged_at is not None:
            when = catalog_for(language).format_date(to_helsinki(view.acknowledged_at).date())
            acknowledged = texts["rules_done"].format(version=view.version, when=when)
        return render(
            request,
            "member/ground_rules.html",
            status=status,
            lang=language,
            t=texts,
            title_key="rules_title",
            languages=LANGUAGE_NAMES,
            # The layout's language links point at ``links.preferences``: here, this page in another language.
            links={
                "preferences": own,
                "settings": f"/m/{member_id}/preferences?token={signer().sign(PREFERENCES, member_id)}",
            },
            intro=texts["rules_intro"].format(panel=view.panel_name, version=view.version),
            rules=view.rules,
            version=view.version,
            acknowledged=acknowledged,
            action=own,
            **{"error": "", **context},
        )

    def invalid(request: Request) -> HTMLResponse:
        return render(request, "member/invalid.html", status=403, lang="fi", t=MEMBER["fi"], title_key="invalid_title",
                      languages=LANGUAGE_NAMES, links={})  # fmt: skip

    def shown(language: str, requested: str | None) -> str:
        return requested if requested in MEMBER_LANGUAGES else language

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
        texts = {**MEMBER[language], **RULES_TEXTS[language]}
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            return rules_page(request, member_id, language, status=403, error=texts["csrf_failed"])
        version = str(form.get("version") or "")
        if not version.isdigit():
            return rules_page(request, member_id, language, status=422, error=texts["rules_changed"])
        try:
            acknowledge_ground_rules(member_id, int(version), uow=uow_factory(), clock=clock)
        except DomainError:
            # A newer version was published while the page was open: show it and ask again.
            return rules_page(request, member_id, language, status=409, error=texts["rules_changed"])
        return rules_page(request, member_id, language)

    return router
