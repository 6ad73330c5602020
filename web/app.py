"""The web application: staff pages (sign-in, queue, ideas, dashboard), the JSON API, members' signed-link pages."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from application.ports.unit_of_work import Clock, UnitOfWork
from notifications.links import LinkSigner
from web.api import api_router
from web.body_limit import LARGER_LIMITS, BodyLimitMiddleware
from web.error_pages import install_error_pages
from web.metrics import OutboxSource, install_metrics
from web.observe import install_request_ids
from web.oidc_settings import OidcSettings
from web.pages.audit import audit_router
from web.pages.auth import auth_router
from web.pages.context import Pages
from web.pages.ground_rules import ground_rules_router
from web.pages.meeting_changes import meeting_changes_router
from web.pages.meeting_materials import UPLOAD_PATH, MaterialsWiring, materials_from_settings, meeting_materials_router
from web.pages.meeting_room import meeting_room_router
from web.pages.meetings import meetings_router
from web.pages.member_calendar import member_calendar_router
from web.pages.member_materials import member_materials_router
from web.pages.member_preferences import member_router
from web.pages.members import members_router
from web.pages.oidc import install_oidc, oidc_offer, provider_sign_out_url
from web.pages.outbox import outbox_router
from web.pages.overview import overview_router
from web.pages.panel_rules import panel_rules_router
from web.pages.panels import panels_router
from web.pages.public_panel import public_panel_router
from web.pages.settings import settings_router
from web.pages.staff import staff_router
from web.pages.staff_users import staff_users_router
from web.pages.survey_answers import survey_router
from web.pages.surveys import surveys_router
from web.pages.wishes import wishes_router
from web.readiness import ReadinessCheck, readiness_response
from web.rendering import STATIC
from web.settings import WebSettings


def create_app(
    *,
    uow_factory: Callable[[], UnitOfWork],
    clock: Clock,
    signer: Callable[[], LinkSigner],
    web_settings: WebSettings | None = None,
    oidc_settings: OidcSettings | None = None,
    materials: MaterialsWiring | None = None,
    readiness: ReadinessCheck | None = None,
    outbox_stats: OutboxSource | None = None,
) -> FastAPI:
    settings = web_settings or WebSettings()
    # Meeting materials: where files are kept and how large one may be; the pre-brief preview's composer.
    materials = materials or materials_from_settings(settings.material_max_mb, signer=signer, clock=clock)

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
    app.add_middleware(BodyLimitMiddleware, larger={**LARGER_LIMITS, UPLOAD_PATH: materials.upload_limit})
    # Outside even that: each request's id, its access log line and its metrics (web/observe.py).
    install_request_ids(app)
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
        meeting_materials_router(pages, wiring=materials),
        meeting_room_router(pages),
        settings_router(pages),
        staff_users_router(pages),
        panels_router(pages),
        wishes_router(pages),
        panel_rules_router(pages),
        members_router(pages),
        audit_router(pages),
        surveys_router(pages, public_url=settings.base_url),
        outbox_router(pages),
        overview_router(pages),
        member_router(uow_factory=uow_factory, clock=clock, signer=signer, public_url=settings.base_url),
        ground_rules_router(uow_factory=uow_factory, clock=clock, signer=signer),
        member_materials_router(uow_factory=uow_factory, signer=signer, files=materials.files),
        member_calendar_router(uow_factory=uow_factory, clock=clock, signer=signer, public_url=settings.base_url),
        survey_router(uow_factory=uow_factory, clock=clock),
        public_panel_router(uow_factory=uow_factory, clock=clock, base_url=settings.base_url),
    ):
        app.include_router(router, include_in_schema=False)
    # Single sign-on (RAATI_OIDC_*): its pages, or a page saying it is not in use; bad settings stop the start here.
    install_oidc(app, pages, oidc_settings)

    # A path no page has, a form's address opened as a page, a value in an address that cannot be read: a page in the
    # reader's language, or a problem body to a JSON client (web/error_pages.py).
    install_error_pages(app, pages)

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # Ready: the database answers and its schema is the code's (web/readiness.py); 503 with a problem body if not.
    @app.get("/readyz", include_in_schema=False)
    def ready() -> Response:
        return readiness_response(readiness)

    # Prometheus: requests, sign-ins, mail, transitions, and the outbox read at scrape time (web/metrics.py).
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    install_metrics(app, source=outbox_stats, token=token)

    return app
