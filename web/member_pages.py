"""Member pages reached by a signed link, no account: unsubscribe (also RFC 8058 one-click).

The link's token is an HMAC of the member id; rotating the key revokes every link.
"""

from collections.abc import Callable
from html import escape
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from application.ports import Clock, UnitOfWork
from application.preferences import ChangePreferences, Unsubscribe, change_preferences, unsubscribe
from domain.errors import NotFound
from notifications.links import PREFERENCES, UNSUBSCRIBE, LinkSigner

TEXTS = {
    "fi": {
        "title": "Raati-viestien tilaus",
        "ask": "Haluatko lopettaa asiakasraadin sähköpostit?",
        "button": "Lopeta viestit",
        "done": "Et saa enää asiakasraadin sähköposteja. Voit palata raatiin ottamalla yhteyttä vastuuhenkilöön.",
        "invalid": "Linkki ei ole voimassa. Pyydä uusi linkki raadin vastuuhenkilöltä.",
        "prefs_title": "Viestiasetukset",
        "language": "Viestien kieli",
        "delivery": "Tiedot ideoiden vaiheista",
        "immediate": "Heti kun jotain tapahtuu",
        "digest": "Koosteena kerran viikossa",
        "save": "Tallenna",
        "saved": "Asetukset on tallennettu.",
    },
    "sv": {
        "title": "Prenumeration på Raati-meddelanden",
        "ask": "Vill du sluta få e-post från kundrådet?",
        "button": "Avsluta meddelandena",
        "done": "Du får inte längre e-post från kundrådet. Kontakta den ansvariga personen om du vill komma tillbaka.",
        "invalid": "Länken är inte giltig. Be den ansvariga personen om en ny länk.",
        "prefs_title": "Inställningar för meddelanden",
        "language": "Meddelandenas språk",
        "delivery": "Nyheter om idéerna",
        "immediate": "Genast när något händer",
        "digest": "Som sammandrag en gång i veckan",
        "save": "Spara",
        "saved": "Inställningarna har sparats.",
    },
    "en": {
        "title": "Raati email subscription",
        "ask": "Do you want to stop receiving the customer panel's emails?",
        "button": "Stop the emails",
        "done": "You will no longer receive the customer panel's emails. Contact the coordinator to come back.",
        "invalid": "This link is not valid. Ask the panel's coordinator for a new one.",
        "prefs_title": "Email settings",
        "language": "Language of the emails",
        "delivery": "News about the ideas",
        "immediate": "As soon as something happens",
        "digest": "As a weekly summary",
        "save": "Save",
        "saved": "Your settings have been saved.",
    },
}


LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


def page(language: str, body: str, *, status: int = 200, title: str = "title") -> HTMLResponse:
    texts = TEXTS.get(language, TEXTS["fi"])
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(texts[title])}</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
        "line-height:1.5;color:#1a1a1a}button{font-size:1rem;padding:.6rem 1.2rem;background:#0000bf;color:#fff;"
        "border:0;border-radius:4px;cursor:pointer}button:focus{outline:3px solid #ffbf00}</style></head>"
        f"<body><main><h1>{escape(texts[title])}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


def member_router(
    *, uow_factory: Callable[[], UnitOfWork], clock: Clock, signer: Callable[[], LinkSigner]
) -> APIRouter:
    router = APIRouter()

    def member_language(member_id: int) -> str | None:
        with uow_factory() as uow:
            try:
                return uow.members.get(member_id).language.value
            except NotFound:
                return None

    def verified(purpose: str) -> Callable[..., str | None]:
        def check(member_id: int, token: Annotated[str, Query(max_length=200)] = "") -> str | None:
            """The member's language if the link is genuine, else None."""
            if not signer().verify(purpose, member_id, token):
                return None
            return member_language(member_id)

        return check

    Verified = Annotated[str | None, Depends(verified(UNSUBSCRIBE))]
    PrefsVerified = Annotated[str | None, Depends(verified(PREFERENCES))]

    def preferences_form(member_id: int, language: str, action: str, note: str = "") -> HTMLResponse:
        with uow_factory() as uow:
            member = uow.members.get(member_id)
        texts = TEXTS[language]

        def radio(name: str, value: str, label: str, current: str) -> str:
            checked = " checked" if value == current else ""
            return (
                f'<div><input type="radio" id="{name}-{value}" name="{name}" value="{value}"{checked}>'
                f' <label for="{name}-{value}">{escape(label)}</label></div>'
            )

        languages = "".join(
            radio("language", code, name, member.language.value) for code, name in LANGUAGE_NAMES.items()
        )
        deliveries = "".join(
            radio("delivery", mode, texts[mode], member.delivery.value) for mode in ("immediate", "digest")
        )
        saved = f'<p role="status">{escape(note)}</p>' if note else ""
        return page(
            language,
            f'{saved}<form method="post" action="{escape(action)}">'
            f"<fieldset><legend>{escape(texts['language'])}</legend>{languages}</fieldset>"
            f"<fieldset><legend>{escape(texts['delivery'])}</legend>{deliveries}</fieldset>"
            f'<p><button type="submit">{escape(texts["save"])}</button></p></form>',
            title="prefs_title",
        )

    @router.get("/m/{member_id}/preferences", response_class=HTMLResponse)
    def show_preferences(member_id: int, request: Request, language: PrefsVerified) -> HTMLResponse:
        if language is None:
            return page("fi", f"<p>{escape(TEXTS['fi']['invalid'])}</p>", status=403)
        return preferences_form(member_id, language, str(request.url))

    @router.post("/m/{member_id}/preferences", response_class=HTMLResponse)
    async def save_preferences(member_id: int, request: Request, language: PrefsVerified) -> HTMLResponse:
        if language is None:
            return page("fi", f"<p>{escape(TEXTS['fi']['invalid'])}</p>", status=403)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        changed = change_preferences(
            ChangePreferences(
                member_id=member_id,
                language=_first(form, "language"),
                delivery=_first(form, "delivery"),
            ),
            uow=uow_factory(),
            clock=clock,
        )
        chosen = changed.language.value
        return preferences_form(member_id, chosen, str(request.url), note=TEXTS[chosen]["saved"])

    @router.get("/m/{member_id}/unsubscribe", response_class=HTMLResponse)
    def ask(member_id: int, request: Request, language: Verified) -> HTMLResponse:
        if language is None:
            return page("fi", f"<p>{escape(TEXTS['fi']['invalid'])}</p>", status=403)
        texts = TEXTS[language]
        action = escape(str(request.url))
        return page(
            language,
            f'<p>{escape(texts["ask"])}</p><form method="post" action="{action}">'
            f'<button type="submit">{escape(texts["button"])}</button></form>',
        )

    @router.post("/m/{member_id}/unsubscribe", response_class=HTMLResponse)
    async def confirm(member_id: int, request: Request, language: Verified) -> HTMLResponse:
        if language is None:
            return page("fi", f"<p>{escape(TEXTS['fi']['invalid'])}</p>", status=403)
        body = (await request.body()).decode("utf-8", "replace")
        via = "one-click" if "List-Unsubscribe=One-Click" in body else "link"
        unsubscribe(Unsubscribe(member_id=member_id, via=via), uow=uow_factory(), clock=clock)
        return page(language, f"<p>{escape(TEXTS[language]['done'])}</p>")

    return router


def _first(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[0] if values else None
