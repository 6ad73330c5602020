"""Member pages reached by a signed link, no account: preferences, a topic wish, unsubscribe (also RFC 8058 one-click).

The link's token is an HMAC of the member id; rotating the key revokes every link. Pages speak the
member's language (fi, sv, en); a ``lang`` query parameter shows a page in another one.
"""

# No `from __future__ import annotations`: FastAPI must resolve the local Annotated aliases (Verified) at runtime.
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from application.participation.topic_wishes import member_topic_wishes
from application.people.preferences import ChangePreferences, Unsubscribe, change_preferences, unsubscribe
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.member_panel import member_panel
from application.timezone import PANEL_TZ
from domain.errors import DomainError, NotFound
from domain.topic_wishes import MAX_WISH, WishStatus
from notifications.content import localized_list
from notifications.i18n import LANGUAGES, Catalog, negotiate
from notifications.links import GROUND_RULES, PREFERENCES, UNSUBSCRIBE, LinkSigner, material_url
from web.errors import explain
from web.pages.idea_steps import panel_words
from web.pages.member_calendar import calendar_feed_links
from web.rendering import CSRF_FIELD, catalog_for, csrf_ok, render

ONE_CLICK = "List-Unsubscribe=One-Click"
WISH_MAX = MAX_WISH


def member_router(
    *,
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    signer: Callable[[], LinkSigner],
    public_url: str | None = None,
) -> APIRouter:
    """``public_url``: RAATI_BASE_URL, for the calendar feed's address (read from the settings when not given)."""
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

    def links(member_id: int) -> dict[str, str]:
        base = f"/m/{member_id}"
        preferences = signer().sign(PREFERENCES, member_id)
        return {
            "preferences": f"{base}/preferences?token={preferences}",
            "topics": f"{base}/topics?token={preferences}",
            "unsubscribe": f"{base}/unsubscribe?token={signer().sign(UNSUBSCRIBE, member_id)}",
            "panel": f"{base}/panel?token={preferences}",
            "panel_path": f"{base}/panel",
            "token": preferences,
            "rules": f"{base}/rules?token={signer().sign(GROUND_RULES, member_id)}",
        }

    def page(request: Request, template: str, language: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        return render(request, f"member/{template}", t=catalog_for(language), status=status, **context)

    def invalid(request: Request) -> HTMLResponse:
        return invalid_link_page(request)

    def shown(language: str, requested: str | None) -> str:
        return requested if requested in LANGUAGES else language

    def preferences_page(
        request: Request, member_id: int, language: str, *, note: str = "", error: str = "", status: int = 200
    ) -> HTMLResponse:
        with uow_factory() as uow:
            member = uow.members.get(member_id)
        return page(
            request,
            "preferences.html",
            language,
            status=status,
            member=member,
            links=links(member_id),
            note=note,
            error=error,
        )

    @router.get("/m/{member_id}/preferences", response_class=HTMLResponse)
    def show_preferences(
        member_id: int, request: Request, language: PrefsVerified, lang: Annotated[str | None, Query()] = None
    ) -> HTMLResponse:
        if language is None:
            return invalid(request)
        return preferences_page(request, member_id, shown(language, lang))

    @router.post("/m/{member_id}/preferences", response_class=HTMLResponse)
    async def save_preferences(member_id: int, request: Request, language: PrefsVerified) -> HTMLResponse:
        if language is None:
            return invalid(request)
        form = await request.form()
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            t = catalog_for(language)
            expired = t("The form had expired. Please try again.")
            return preferences_page(request, member_id, language, error=expired, status=403)
        try:
            changed = change_preferences(
                ChangePreferences(
                    member_id=member_id,
                    language=_text(form.get("language")),
                    delivery=_text(form.get("delivery")),
                ),
                uow=uow_factory(),
                clock=clock,
            )
        except DomainError as problem:
            error = explain(problem, catalog_for(language)).message
            return preferences_page(request, member_id, language, error=error, status=422)
        chosen = changed.language.value
        t = catalog_for(chosen)
        return preferences_page(request, member_id, chosen, note=t("Your settings have been saved."))

    @router.get("/m/{member_id}/panel", response_class=HTMLResponse)
    def panel_page(
        member_id: int,
        request: Request,
        language: PrefsVerified,
        lang: Annotated[str | None, Query()] = None,
        state: Annotated[str | None, Query(max_length=40)] = None,
    ) -> HTMLResponse:
        """The member's own view of their panel (issue 16): the ideas and what became of them, the meetings."""
        if language is None:
            return invalid(request)
        t = catalog_for(shown(language, lang))
        try:
            read = member_panel(member_id, uow=uow_factory(), clock=clock, state=state or None)
        except NotFound:
            return invalid(request)
        except DomainError:  # an unknown state in the address: all the ideas instead
            read, state = member_panel(member_id, uow=uow_factory(), clock=clock), None
        own = links(member_id)
        return page(
            request,
            "panel.html",
            t.language,
            shown=read,
            links={**own, "here": own["panel"]},
            chosen_state=state or "",
            **panel_words(t),
            ideas_action=own["panel_path"],
            ideas_hidden={"token": own["token"]},
            wishes=sorted(read.wishes, key=lambda w: w.submitted_at, reverse=True),
            statuses=WishStatus,
            file_link=lambda file_id: material_url(signer(), "", member_id, file_id),
            calendar_feed=calendar_feed_links(
                member_id, uow_factory=uow_factory, signer=signer(), public_url=public_url
            ),
            agenda_of=lambda meeting: localized_list(
                {"agenda": meeting.agenda, "translations": meeting.translations.as_json()}, "agenda", t.language
            ),
        )

    @router.get("/m/{member_id}/topics", response_class=HTMLResponse)
    def wish_form(
        member_id: int, request: Request, language: PrefsVerified, lang: Annotated[str | None, Query()] = None
    ) -> HTMLResponse:
        if language is None:
            return invalid(request)
        return wish_page(request, member_id, shown(language, lang))

    def wish_page(
        request: Request, member_id: int, language: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        values: dict[str, Any] = {"thanks": False, "error": "", "text": "", "marks": (), **context}
        t = catalog_for(language)
        return page(
            request,
            "topic_wish.html",
            language,
            status=status,
            links=links(member_id),
            available=_wish_use_case() is not None,
            # The member's own wishes, newest first: where each stands, and a declined one's note to them.
            wishes=sorted(
                member_topic_wishes(member_id, uow=uow_factory()), key=lambda w: w.submitted_at, reverse=True
            ),
            statuses=WishStatus,
            day=lambda moment: t.format_date(moment.astimezone(PANEL_TZ).date()),
            **values,
        )

    @router.post("/m/{member_id}/topics", response_class=HTMLResponse)
    async def submit_wish(member_id: int, request: Request, language: PrefsVerified) -> HTMLResponse:
        if language is None:
            return invalid(request)
        form = await request.form()
        text = _text(form.get("text")) or ""
        submit = _wish_use_case()
        if submit is None:
            return wish_page(request, member_id, language, status=503)
        t = catalog_for(language)
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            expired = t("The form had expired. Please try again.")
            return wish_page(request, member_id, language, status=403, error=expired, text=text)
        try:
            submit(member_id, text, uow=uow_factory(), clock=clock)
        except DomainError as problem:
            error = wish_problem(problem, t, text=text)
            marks = explain(problem, t, text=text).marks
            return wish_page(request, member_id, language, status=422, error=error, text=text, marks=marks)
        return wish_page(request, member_id, language, thanks=True)

    @router.get("/m/{member_id}/unsubscribe", response_class=HTMLResponse)
    def ask(
        member_id: int, request: Request, language: Verified, lang: Annotated[str | None, Query()] = None
    ) -> HTMLResponse:
        if language is None:
            return invalid(request)
        return page(request, "unsubscribe.html", shown(language, lang), links=links(member_id), done=False, error="")

    @router.post("/m/{member_id}/unsubscribe", response_class=HTMLResponse)
    async def confirm(member_id: int, request: Request, language: Verified) -> HTMLResponse:
        if language is None:
            return invalid(request)
        body = (await request.body()).decode("utf-8", "replace")
        # RFC 8058: a mail client posts exactly this body, with no session; the signed link is the proof.
        one_click = ONE_CLICK in body
        if not one_click:
            form = await request.form()
            if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
                t = catalog_for(language)
                error = t("The form had expired. Please try again.")
                return page(
                    request, "unsubscribe.html", language, status=403, links=links(member_id), done=False, error=error
                )
        via = "one-click" if one_click else "link"
        unsubscribe(Unsubscribe(member_id=member_id, via=via), uow=uow_factory(), clock=clock)
        return page(request, "unsubscribe.html", language, links=links(member_id), done=True, error="")

    return router


def invalid_link_page(request: Request) -> HTMLResponse:
    """A link that is not genuine: in the browser's language, since whose it is cannot be known."""
    t = catalog_for(negotiate(request.headers.get("accept-language")))
    return render(request, "member/invalid.html", t=t, status=403, links={})


def wish_problem(problem: DomainError, t: Catalog, *, text: str) -> str:
    """Why a topic wish was refused, in the member's words: empty, too long, or with personal details."""
    if not text.strip():
        return t("Write your topic in the box first.")
    explained = explain(problem, t, text=text)
    if explained.details:
        found = t.format_list(explained.details)
        return t(
            "Please leave out personal details: your text contains {details}. Describe the topic in general terms.",
            details=found,
        )
    if len(text.strip()) > WISH_MAX:
        return t("Your text is too long: write at most {maximum} characters.", maximum=WISH_MAX)
    return t(
        "Your suggestion could not be saved. Describe the topic in general terms, in at most {maximum} characters.",
        maximum=WISH_MAX,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _wish_use_case() -> Callable[..., Any] | None:
    """The topic-wish use case (application/participation/topic_wishes.py), or None where it is not installed."""
    try:
        from application.participation.topic_wishes import submit_topic_wish
    except ImportError:
        return None
    return submit_topic_wish
