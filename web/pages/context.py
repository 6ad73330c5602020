"""What the staff pages share: their adapters, the signed-in actor, the page language and common errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from application.access.sessions import session_actor
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.idea_queue import Told
from domain.actors import Actor
from domain.errors import (
    DomainError,
    HealthDetailsNeedAcknowledgement,
    InvalidTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
    PrivacyBlocked,
    VersionConflict,
)
from notifications.i18n import LANGUAGES, Catalog, negotiate
from web.errors import explain, state_name
from web.rendering import catalog_for, render


def prefect_ui_url() -> str | None:
    """The Prefect UI of the configured server (``PREFECT_API_URL`` or the file ``raati serve`` writes)."""
    from flows.settings import FlowSettings

    api = FlowSettings().known_api_url()
    if not api:
        return None
    base = api.rstrip("/")
    return base.removesuffix("/api") or None


# The cookie's key for the signed-in session's id (the server keeps only its hash, see application.access.sessions).
SESSION_KEY = "session_id"
# The language chosen with the switcher: a cookie of its own, so that it outlasts signing out.
LANGUAGE_COOKIE = "raati_lang"


def chosen_language(request: Request, actor: Actor | None = None) -> str:
    """The staff pages' language: the user's saved choice, else the switcher's cookie, else the browser's
    ``Accept-Language``, else Finnish."""
    saved = getattr(actor, "language", None) if actor is not None else None
    if saved is not None:
        return str(getattr(saved, "value", saved))
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return negotiate(request.headers.get("accept-language"))


@dataclass(frozen=True)
class Pages:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    prefect_ui: Callable[[], str | None] = prefect_ui_url

    def actor(self, request: Request) -> Actor | None:
        session_id = request.session.get(SESSION_KEY)
        if not isinstance(session_id, str) or not session_id:
            return None
        actor = session_actor(session_id, uow=self.uow_factory())
        if actor is None:  # signed out, or the token was revoked or replaced: the session has ended
            request.session.pop(SESSION_KEY, None)
        return actor

    def catalog(self, request: Request, actor: Actor | None = None) -> Catalog:
        return catalog_for(chosen_language(request, actor))

    def page(
        self, request: Request, template: str, *, actor: Actor | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        t = self.catalog(request, actor)
        flash = request.session.pop("flash", None)
        return render(
            request,
            template,
            t=t,
            status=status,
            state_name=lambda state: state_name(state, t),
            actor=actor,
            flash=flash,
            path=request.url.path,
            query=request.url.query,
            languages=LANGUAGES,
            prefect_ui=self.prefect_ui() if actor is not None else None,
            **context,
        )

    def problem(self, request: Request, error: DomainError, *, actor: Actor | None) -> HTMLResponse:
        """A page for an error that is not about one form: permission, or something missing."""
        explained = explain(error, self.catalog(request, actor), reading=True)
        return self.page(
            request,
            "message.html",
            actor=actor,
            status=http_status(error),
            title=explained.title,
            message=explained.message,
        )

    def not_found(self, request: Request) -> HTMLResponse:
        """The page for an address that leads nowhere."""
        actor = self.actor(request) if SESSION_KEY in request.session else None
        return self.problem(request, NotFound("page", request.url.path), actor=actor)

    def told_text(self, t: Catalog, told: Told) -> str:
        parts = []
        if told.members:
            parts.append(t.ngettext("{count} member by email", "{count} members by email", told.members))
        if told.staff:
            parts.append(t.ngettext("{count} service representative", "{count} service representatives", told.staff))
        return t.format_list(parts) if parts else t("nobody")


def sign_in_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)


def http_status(error: DomainError) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InvalidTransition | VersionConflict):
        return 409
    if isinstance(error, InvalidValue | PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        return 422  # the form's content cannot be accepted as it is
    return 400
