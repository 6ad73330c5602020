"""A panel's public page, for anyone and without signing in (issue 16): ``/p/{slug}`` (HTML), ``/p/{slug}.json``
and ``/p/{slug}/feed.atom``, each in fi/sv/en (``?lang=``, else the browser's Accept-Language). Only while the
panel's coordinators have turned it on; otherwise, and for an unknown slug, the standard "page not found".

Responses may be cached for five minutes and carry an ETag (a repeated request with If-None-Match gets 304). No
session cookie is set: the page has no forms."""

# No `from __future__ import annotations`: FastAPI must resolve the Annotated query parameters at runtime.
import hashlib
import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.public_panel import PublicPanel, public_panel
from domain.errors import DomainError, NotFound
from notifications.i18n import LANGUAGES, Catalog, negotiate
from web.pages.idea_steps import panel_words
from web.pages.public_data import as_atom, as_json
from web.rendering import catalog_for, render_html

CACHE = "public, max-age=300"


def public_panel_router(*, uow_factory: Callable[[], UnitOfWork], clock: Clock, base_url: str) -> APIRouter:
    router = APIRouter()
    site = base_url.rstrip("/")

    def read(slug: str, state: str | None = None) -> PublicPanel:
        try:
            return public_panel(slug, uow=uow_factory(), clock=clock, state=state or None)
        except NotFound:
            raise HTTPException(404) from None

    # The JSON before the page: ``/p/{slug}`` would otherwise take ``x.json`` as a slug.
    @router.get("/p/{slug}.json")
    def data(slug: str, request: Request, lang: Annotated[str | None, Query(max_length=5)] = None) -> Response:
        t = language(request, lang)
        shown = read(slug)
        body = json.dumps(as_json(shown, t, page_url=f"{site}/p/{slug}"), ensure_ascii=False, indent=1)
        return cached(request, body.encode(), "application/json", t)

    @router.get("/p/{slug}/feed.atom")
    def feed(slug: str, request: Request, lang: Annotated[str | None, Query(max_length=5)] = None) -> Response:
        t = language(request, lang)
        shown = read(slug)
        page_url = f"{site}/p/{slug}" + (f"?lang={t.language}" if lang else "")
        feed_url = f"{site}/p/{slug}/feed.atom" + (f"?lang={t.language}" if lang else "")
        authority = site.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "raati"
        body = as_atom(shown, t, page_url=page_url, feed_url=feed_url, authority=authority)
        return cached(request, body, "application/atom+xml; charset=utf-8", t)

    @router.get("/p/{slug}")
    def page(
        slug: str,
        request: Request,
        lang: Annotated[str | None, Query(max_length=5)] = None,
        state: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        t = language(request, lang)
        try:
            shown = read(slug, state)
        except DomainError:  # an unknown state in the address: all the ideas instead
            shown, state = read(slug), None
        html = render_html(
            "public/panel.html",
            t,
            shown=shown,
            here=f"/p/{shown.panel.public_slug}",
            chosen_state=state or "",
            chosen_lang=lang if lang in LANGUAGES else "",
            **panel_words(t),
            ideas_action=f"/p/{shown.panel.public_slug}",
            ideas_hidden={"lang": t.language} if lang in LANGUAGES else {},
        )
        return cached(request, html.encode(), "text/html; charset=utf-8", t)

    return router


def language(request: Request, asked: str | None) -> Catalog:
    """``?lang=`` when it is one of ours, else the browser's choice (as the members' pages negotiate)."""
    return catalog_for(asked if asked in LANGUAGES else negotiate(request.headers.get("accept-language")))


def cached(request: Request, body: bytes, media_type: str, t: Catalog) -> Response:
    """The body with its cache headers; 304 without it when the client already holds this version."""
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "Cache-Control": CACHE,
        "ETag": tag,
        "Vary": "Accept-Language",
        "Content-Language": t.language,
    }
    if tag in [v.strip() for v in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
