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
from web.rendering import render
from web.texts import STAFF, STAFF_LANGUAGES, STATES, STATUSES


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

    def language(self, request: Request) -> str:
        chosen = request.session.get("lang")
        return chosen if chosen in STAFF_LANGUAGES else "en"

    def page(
        self, request: Request, template: str, *, actor: Actor | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        lang = self.language(request)
        flash = request.session.pop("flash", None)
        return render(
            request,
            template,
            status=status,
            lang=lang,
            t=STAFF[lang],
            states=STATES[lang],
            statuses=STATUSES[lang],
            actor=actor,
            flash=flash,
            path=request.url.path,
            prefect_ui=self.prefect_ui() if actor is not None else None,
            **context,
        )

    def problem(self, request: Request, error: DomainError, *, actor: Actor | None) -> HTMLResponse:
        """A page for an error that is not about one form: permission, or something missing."""
        return self.page(request, "message.html", actor=actor, status=http_status(error), title="", message=str(error))

    def told_text(self, request: Request, told: Told) -> str:
        t = STAFF[self.language(request)]
        parts = []
        if told.members:
            parts.append(t["told_members"].format(n=told.members))
        if told.staff:
            parts.append(t["told_staff"].format(n=told.staff))
        return ", ".join(parts) or t["told_nobody"]


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
