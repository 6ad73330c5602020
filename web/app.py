"""The web application: staff pages (sign-in, queue, ideas, dashboard), the JSON API, members' signed-link pages."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from application.ports.unit_of_work import Clock, UnitOfWork
from notifications.links import LinkSigner
from web.api import api_router
from web.body_limit import BodyLimitMiddleware
from web.oidc_settings import OidcSettings
from web.pages.audit import audit_router
from web.pages.auth import auth_router
from web.pages.context import Pages
from web.pages.ground_rules import ground_rules_router
from web.pages.meeting_changes import meeting_changes_router
from web.pages.meetings import meetings_router
from web.pages.member_preferences import member_router
from web.pages.members import members_router
from web.pages.oidc import install_oidc, oidc_offer, provider_sign_out_url
from web.pages.panel_rules import panel_rules_router
from web.pages.panels import panels_router
from web.pages.settings import settings_router
from web.pages.staff import staff_router
from web.pages.staff_users import staff_users_router
from web.pages.survey_answers import survey_router
from web.pages.wishes import wishes_router
from web.rendering import STATIC
from web.settings import WebSettings


def create_app(
    *,
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    signer: Callable[[], LinkSigner],
    web_settings: WebSettings | None = None,
    oidc_settings: OidcSettings | None = None,
) -> FastAPI:
    settings = web_settings or WebSettings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Synchronous routes run in anyio's threads: at most web_threads at once in this process (see WebSettings).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        yield

    app = FastAPI(title="Raati", version="0.1.0", lifespan=lifespan)
    # The staff session: a signed cookie (HttpOnly, SameSite=Lax; Secure when served over https) holding only the
    # random id of a session kept on the server (application.access.sessions); forms carry a CSRF token.
    rules = settings.session_rules()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_key(),
        session_cookie="raati_session",
        max_age=math.ceil(rules.absolute.total_seconds()),
        same_site="lax",
        https_only=settings.https_only,
    )
    # Outermost: a body over its limit is refused before the session, the routes or a parser see it.
    app.add_middleware(BodyLimitMiddleware)
    # The API first: routes are tried in order, and the API's transitions are the busiest path (its own prefix).
    app.include_router(api_router(uow_factory=uow_factory, clock=clock))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The HTML pages are for browsers, not part of the API's contract: /openapi.json describes the API alone.
    pages = Pages(uow_factory=uow_factory, clock=clock, session_rules=rules)
    for router in (
        auth_router(
            pages,
            signer=signer,
            settings=settings,
            organisation_sign_in=oidc_offer,
            after_sign_out=provider_sign_out_url,
        ),
        staff_router(pages),
        meetings_router(pages),
        meeting_changes_router(pages),
        settings_router(pages),
        staff_users_router(pages),
        panels_router(pages),
        wishes_router(pages),
        panel_rules_router(pages),
        members_router(pages),
        audit_router(pages),
        member_router(uow_factory=uow_factory, clock=clock, signer=signer),
        ground_rules_router(uow_factory=uow_factory, clock=clock, signer=signer),
        survey_router(uow_factory=uow_factory, clock=clock),
    ):
        app.include_router(router, include_in_schema=False)
    # Single sign-on (RAATI_OIDC_*): its pages, or a page saying it is not in use; bad settings stop the start here.
    install_oidc(app, pages, oidc_settings)

    @app.exception_handler(HTTPException)
    async def not_a_page(request: Request, error: HTTPException) -> Response:
        """A path no page has (an old link, a mistyped address): a page in the reader's language, not JSON."""
        if error.status_code != 404 or request.url.path.startswith(("/api/", "/static/")):
            return await http_exception_handler(request, error)
        return pages.not_found(request)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
