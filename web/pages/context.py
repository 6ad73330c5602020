"""What the staff pages share: their adapters, the signed-in actor, the page language and common errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from application.access.audit import client_network
from application.access.sessions import Current, SignedIn, current_session, sign_out, start_session
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
from domain.sign_in import SessionRules, SignInMethod
from notifications.i18n import LANGUAGES, Catalog, negotiate
from web.api.problems import domain_problem, problem_catalog
from web.errors import explain, state_name, wants_json
from web.rendering import CSRF_FIELD, catalog_for, csrf_ok, render


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


def client_of(request: Request) -> str | None:
    """The client's network (``203.0.113.0/24``), never its full address, for the audit trail.

    Behind a reverse proxy the address is the one uvicorn takes from ``X-Forwarded-For`` when the proxy is trusted
    (uvicorn's ``FORWARDED_ALLOW_IPS``, by default 127.0.0.1); otherwise the connection's own."""
    return client_network(request.client.host if request.client else None)


@dataclass(frozen=True)
class SignedForm:
    """A form a signed-in user sent, its CSRF token checked, and the catalog of their language."""

    current: Current
    form: FormData
    t: Catalog


@dataclass(frozen=True)
class Pages:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    prefect_ui: Callable[[], str | None] = prefect_ui_url
    session_rules: SessionRules = field(default_factory=SessionRules)

    def actor(self, request: Request) -> Actor | None:
        current = self.current(request)
        return current.actor if current is not None else None

    def current(self, request: Request) -> Current | None:
        """The signed-in user and their session (its ``session.id`` marks "this browser" in a list), or None."""
        session_id = request.session.get(SESSION_KEY)
        if not isinstance(session_id, str) or not session_id:
            return None
        current = current_session(session_id, uow=self.uow_factory(), clock=self.clock, rules=self.session_rules)
        if current is None:  # signed out, timed out, ended elsewhere, or the user was deactivated
            request.session.pop(SESSION_KEY, None)
        return current

    def open_session(self, request: Request, *, user_id: int, method: SignInMethod | str) -> SignedIn:
        """Sign a staff user in on this browser: ``start_session`` (with the client's network and browser, and this
        app's timeouts), then a fresh cookie session (and CSRF token) holding only the new session's id."""
        signed_in = start_session(
            user_id=user_id,
            method=method,
            client=client_of(request),
            user_agent=request.headers.get("user-agent"),
            uow=self.uow_factory(),
            clock=self.clock,
            rules=self.session_rules,
        )
        self.keep_session(request, signed_in)
        return signed_in

    async def signed_form(self, request: Request, *, back: str) -> SignedForm | Response:
        """A signed-in user's posted form with its CSRF token checked; else the answer to give: the sign-in page
        without a session, or back to ``back`` with a note when the form had expired."""
        current = self.current(request)
        if current is None:
            return sign_in_redirect(request)
        form = await request.form()
        t = self.catalog(request, current.actor)
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            request.session["flash"] = t("The form had expired. Please try again.")
            return RedirectResponse(back, status_code=303)
        return SignedForm(current=current, form=form, t=t)

    def keep_session(self, request: Request, signed_in: SignedIn) -> None:
        """Hold a new session's id in the cookie, in a fresh cookie session (and CSRF token); a session this browser
        held before ends on the server (signing in again leaves no session open that no browser holds)."""
        previous = request.session.get(SESSION_KEY)
        if isinstance(previous, str) and previous != signed_in.session_id:
            sign_out(previous, client=client_of(request), uow=self.uow_factory(), clock=self.clock)
        request.session.clear()
        request.session[SESSION_KEY] = signed_in.session_id

    def catalog(self, request: Request, actor: Actor | None = None) -> Catalog:
        return catalog_for(chosen_language(request, actor))

    def page(
        self,
        request: Request,
        template: str,
        *,
        actor: Actor | None,
        status: int = 200,
        language: str | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """The page in ``language`` when given (else the reader's: ``chosen_language``)."""
        t = catalog_for(language) if language in LANGUAGES else self.catalog(request, actor)
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

    def problem(self, request: Request, error: DomainError, *, actor: Actor | None) -> Response:
        """A page for an error that is not about one form: permission, or something missing; to a JSON client (its
        Accept header ranks JSON above HTML) the API's problem body instead."""
        if wants_json(request.headers.get("accept")):
            return domain_problem(error, problem_catalog(request.headers.get("accept-language")))
        explained = explain(error, self.catalog(request, actor), reading=True)
        return self.page(
            request,
            "message.html",
            actor=actor,
            status=http_status(error),
            title=explained.title,
            message=explained.message,
        )

    def not_found(self, request: Request) -> Response:
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
    """To the sign-in page, which comes back here (the path and its query) after signing in."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(here, safe='/')}", status_code=303)


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
