"""A member's private calendar feed, no account (issue 16): ``GET /m/{member}/calendar.ics?token=…`` (the feed a
calendar subscribes to); ``GET /m/{member}/calendar?token=…`` (the preferences token), the page that gives the
address, and ``POST /m/{member}/calendar/new?token=…``, which makes a new address and revokes the old one.
``calendar_feed_links`` gives the panel page what ``member/_calendar_feed.html`` needs.

Any refusal of the feed is a 404: a wrong, revoked or missing token and a member who left look the same.
"""

# No `from __future__ import annotations`: FastAPI must resolve the Annotated query parameters at runtime.
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from application.people.calendar_feeds import renew_calendar_feed
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.calendar_feed import calendar_feed, calendar_feed_token
from domain.errors import NotFound
from notifications.i18n import LANGUAGES
from notifications.links import PREFERENCES, LinkSigner
from web.rendering import CSRF_FIELD, catalog_for, csrf_ok, render
from web.settings import WebSettings

FEED_TYPE = "text/calendar; charset=utf-8"


def feed_url(public_url: str, member_id: int, token: str) -> str:
    return f"{public_url.rstrip('/')}/m/{member_id}/calendar.ics?token={token}"


def calendar_feed_links(
    member_id: int, *, uow_factory: Callable[[], UnitOfWork], signer: LinkSigner, public_url: str | None = None
) -> dict[str, str]:
    """For ``member/_calendar_feed.html``: ``https`` (the address to copy), ``webcal`` (opens a calendar app) and
    ``renew`` (the form that makes a new address). ``public_url``: RAATI_BASE_URL when not given."""
    token = calendar_feed_token(member_id, uow=uow_factory(), signer=signer)
    return _links(member_id, token, signer=signer, public_url=public_url or WebSettings().base_url)


def _links(member_id: int, token: str, *, signer: LinkSigner, public_url: str) -> dict[str, str]:
    https = feed_url(public_url, member_id, token)
    return {
        "https": https,
        "webcal": "webcal://" + https.split("://", 1)[1],
        "renew": f"/m/{member_id}/calendar/new?token={signer.sign(PREFERENCES, member_id)}",
    }


def member_calendar_router(
    *,
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    signer: Callable[[], LinkSigner],
    public_url: str | None = None,
    mail_domain: str | None = None,
) -> APIRouter:
    """``mail_domain``: the events' UIDs end in it, as the pre-brief's do (RAATI_MAIL_DOMAIN when not given)."""
    router = APIRouter()

    @cache
    def domain() -> str:
        if mail_domain is not None:
            return mail_domain
        from notifications.settings import DeliverySettings  # read once, on the first feed asked for

        return DeliverySettings().mail_domain

    def base() -> str:
        return public_url or WebSettings().base_url

    @router.get("/m/{member_id}/calendar.ics")
    def feed(member_id: int, request: Request, token: Annotated[str, Query(max_length=200)] = "") -> Response:
        try:
            text = calendar_feed(
                member_id, token, uow=uow_factory(), clock=clock, signer=signer(), mail_domain=domain()
            )
        except NotFound:
            return _not_found(request)
        headers = {
            "Content-Disposition": 'inline; filename="raati.ics"',
            "Cache-Control": "private, no-cache",  # a moved meeting shows on the next fetch
            "X-Robots-Tag": "noindex",
        }
        return Response(text.encode("utf-8"), media_type=FEED_TYPE, headers=headers)

    def language(member_id: int, token: str) -> str | None:
        """The member's language if the preferences link is genuine and theirs, else None."""
        if not signer().verify(PREFERENCES, member_id, token):
            return None
        with uow_factory() as uow:
            try:
                return uow.members.get(member_id).language.value
            except NotFound:
                return None

    def page(
        request: Request, member_id: int, token: str, language: str, *, status: int = 200, **context: Any
    ) -> Response:
        panel = f"/m/{member_id}/panel?token={token}"
        here = f"/m/{member_id}/calendar?token={token}"
        values: dict[str, Any] = {"renewed": False, "error": "", **context}
        if "calendar_feed" not in values:
            try:
                values["calendar_feed"] = calendar_feed_links(
                    member_id, uow_factory=uow_factory, signer=signer(), public_url=base()
                )
            except NotFound:
                return invalid_link_page(request)
        t = catalog_for(language)
        links = {"here": here, "panel": panel, "preferences": f"/m/{member_id}/preferences?token={token}"}
        return render(request, "member/calendar_feed.html", t=t, status=status, links=links, **values)

    @router.get("/m/{member_id}/calendar", response_class=HTMLResponse)
    def show(
        member_id: int,
        request: Request,
        token: Annotated[str, Query(max_length=200)] = "",
        lang: Annotated[str | None, Query()] = None,
    ) -> Response:
        chosen = language(member_id, token)
        if chosen is None:
            return invalid_link_page(request)
        return page(request, member_id, token, lang if lang in LANGUAGES else chosen)

    @router.post("/m/{member_id}/calendar/new", response_class=HTMLResponse)
    async def renew(member_id: int, request: Request, token: Annotated[str, Query(max_length=200)] = "") -> Response:
        chosen = language(member_id, token)
        if chosen is None:
            return invalid_link_page(request)
        form = await request.form()
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            expired = catalog_for(chosen)("The form had expired. Please try again.")
            return page(request, member_id, token, chosen, status=403, error=expired)
        try:
            new = renew_calendar_feed(member_id, uow=uow_factory(), signer=signer())
        except NotFound:  # no longer an active member
            return invalid_link_page(request)
        fresh = _links(member_id, new, signer=signer(), public_url=base())
        return page(request, member_id, token, chosen, calendar_feed=fresh, renewed=True)

    return router


def invalid_link_page(request: Request, *, status: int = 403) -> Response:
    """The members' "link not valid" page. Imported when used: member_preferences imports this module for the panel
    page's calendar section."""
    from web.pages.member_preferences import invalid_link_page as invalid

    page = invalid(request)
    page.status_code = status
    return page


def _not_found(request: Request) -> Response:
    return invalid_link_page(request, status=404)
