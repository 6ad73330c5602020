"""The start page, signing in (a one-time link by email; single sign-on beside it when configured) and out again,
and the staff pages' language."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from application.access import sessions
from application.access.identity import set_language
from application.access.sign_in_links import (
    RequestLink,
    check_link,
    follow_link,
    link_language,
    send_link,
    take_request,
)
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import DomainError, InvalidValue
from domain.sign_in import LINK_VALID, LinkProblem
from domain.values import Role
from notifications.i18n import LANGUAGES
from notifications.links import LinkSigner
from web.metrics import count_sign_in
from web.pages.context import LANGUAGE_COOKIE, SESSION_KEY, Pages, client_of
from web.pages.home import home_page
from web.rendering import CSRF_FIELD, csrf_ok
from web.settings import WebSettings

log = logging.getLogger(__name__)
# A year: the switcher's choice is kept on this browser until changed.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
MAX_NEXT = 300
# The link's page carries its token in the address: it is never cached, and never sent on as a referrer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# What the sign-in page offers above the email form: ``organisation_sign_in(request, next)`` gives the single
# sign-on button's context (``{"href": ...}``) or None when it is not set up (web/pages/oidc.py's ``oidc_offer``).
OrganisationSignIn = Callable[[Request, str], Any]
# Where to send the browser once Raati's session has ended (the provider's own sign-out), or None for the start
# page; called before the cookie session is cleared (web/pages/oidc.py's ``provider_sign_out_url``).
AfterSignOut = Callable[[Request], Awaitable[str | None]]


def send_quietly(asked: RequestLink, *, uow: UnitOfWork, clock: Clock, signer: LinkSigner) -> None:
    """Queue the link after the answer has gone; a failure is logged without the address (it is personal data)."""
    try:
        send_link(asked, uow=uow, clock=clock, signer=signer)
    except Exception as error:
        log.error("a sign-in link could not be queued: %s", type(error).__name__)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: never another host (no open redirect). ``//host``, ``/\\host`` and a path with a
    control character or white space (browsers drop tabs and newlines: ``/\\t/host`` is ``//host``) fall back."""
    if (
        target
        and len(target) <= MAX_NEXT
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target)
    ):
        return target
    return fallback


def home_of(role: Role) -> str:
    """Where a role starts: a coordinator's home page (``/``: what needs doing now), an owner's queue, the overview."""
    if role is Role.COORDINATOR:
        return "/"
    return "/queue" if role is Role.SERVICE_OWNER else "/overview"


def auth_router(
    pages: Pages,
    *,
    signer: Callable[[], LinkSigner],
    settings: WebSettings | None = None,
    organisation_sign_in: OrganisationSignIn | None = None,
    after_sign_out: AfterSignOut | None = None,
) -> APIRouter:
    """The sign-in pages; single sign-on plugs in through ``organisation_sign_in`` and ``after_sign_out``."""
    router = APIRouter()
    web = settings or WebSettings()
    offer = organisation_sign_in or (lambda _request, _next: None)

    def sign_in_page(
        request: Request,
        template: str = "sign_in.html",
        *,
        status: int = 200,
        next: str = "",
        error: tuple[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        response = pages.page(
            request,
            template,
            actor=None,
            status=status,
            next=next,
            error=error,
            email=context.pop("email", ""),
            email_sign_in=web.email_sign_in,
            oidc=offer(request, next),
            valid_minutes=int(LINK_VALID.total_seconds() // 60),
            **context,
        )
        response.headers.update(PRIVATE)
        return response

    @router.get("/", response_class=HTMLResponse)
    def start(request: Request) -> Response:
        actor = pages.actor(request)
        if actor is not None and home_of(actor.role) == "/":
            return home_page(pages, request, actor)
        if actor is not None:
            return RedirectResponse(home_of(actor.role), status_code=303)
        return pages.page(request, "start.html", actor=None)

    @router.get("/sign-in", response_class=HTMLResponse)
    def sign_in_form(request: Request, next: Annotated[str, Query(max_length=MAX_NEXT)] = "") -> Response:
        target = safe_next(next, "")
        actor = pages.actor(request)
        if actor is not None:  # signed in already (another tab signed in meanwhile): on to the page
            return RedirectResponse(target or home_of(actor.role), status_code=303)
        return sign_in_page(request, next=target)

    @router.post("/sign-in", response_class=HTMLResponse)
    async def ask_for_link(request: Request) -> Response:
        form = await request.form()
        address = str(form.get("email") or "").strip()
        target = safe_next(str(form.get("next") or ""), "")
        t = pages.catalog(request)
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            expired = t("The form had expired. Please try again.")
            return sign_in_page(request, status=403, next=target, email=address, error=("form", expired))
        if not web.email_sign_in:
            return sign_in_page(request, "sign_in_off.html", status=403, next=target)
        asked_for = RequestLink(
            email=address,
            next=target or None,
            client=client_of(request),
            language=t.language,
            client_address=request.client.host if request.client else None,
        )
        try:
            # Counted now, the same for any address; the link itself is queued after the answer has gone, so that
            # neither the answer nor its time tells whether the address is a user's.
            asked = await run_in_threadpool(
                take_request, asked_for, uow=pages.uow_factory(), clock=pages.clock, signer=signer()
            )
        except InvalidValue:
            count_sign_in("link_request", "invalid_email")
            wrong = t("Enter your email address, for example name@example.org.")
            return sign_in_page(request, status=422, next=target, email=address[:254], error=("email", wrong))
        if asked.retry_after is not None:
            count_sign_in("link_request", "rate_limited")
            wait = max(1, math.ceil((asked.retry_after - pages.clock.now()).total_seconds()))
            response = sign_in_page(
                request, "sign_in_limited.html", status=429, next=target, retry_at=t.format_time(asked.retry_after)
            )
            response.headers["Retry-After"] = str(wait)
            return response
        count_sign_in("link_request", "requested")
        answer = sign_in_page(request, "sign_in_sent.html", next=target, email=address)
        answer.background = BackgroundTask(
            send_quietly, asked_for, uow=pages.uow_factory(), clock=pages.clock, signer=signer()
        )
        return answer

    @router.get("/sign-in/link/{token}", response_class=HTMLResponse)
    def link_page(request: Request, token: Annotated[str, Path(max_length=200)]) -> Response:
        """A button that signs in: following the link alone (a mail scanner checking it) uses nothing up."""
        problem = check_link(token, uow=pages.uow_factory(), clock=pages.clock)
        # In the language of the mail it came in, unless this browser chose one with the switcher.
        language = None if LANGUAGE_COOKIE in request.cookies else link_language(token, uow=pages.uow_factory())
        if problem is not None:
            return link_problem(request, problem, language=language)
        return sign_in_page(request, "sign_in_link.html", token=token, problem=None, language=language)

    @router.post("/sign-in/link/{token}", response_class=HTMLResponse)
    async def use_link(request: Request, token: Annotated[str, Path(max_length=200)]) -> Response:
        form = await request.form()
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            count_sign_in("email_link", "form_expired")
            expired = pages.catalog(request)("The form had expired. Please try again.")
            return sign_in_page(
                request, "sign_in_link.html", status=403, token=token, problem=None, error=("form", expired)
            )
        if not web.email_sign_in:  # switched off since the link was sent: it opens nothing any more
            return sign_in_page(request, "sign_in_off.html", status=403, next="")
        followed = follow_link(
            token,
            client=client_of(request),
            user_agent=request.headers.get("user-agent"),
            uow=pages.uow_factory(),
            clock=pages.clock,
            rules=pages.session_rules,
        )
        if followed.signed_in is None:
            count_sign_in("email_link", (followed.problem or LinkProblem.INVALID).value)
            return link_problem(request, followed.problem or LinkProblem.INVALID)
        count_sign_in("email_link", "success")
        pages.keep_session(request, followed.signed_in)
        target = safe_next(followed.next, "") or home_of(followed.signed_in.actor.role)
        return RedirectResponse(target, status_code=303, headers=PRIVATE)

    def link_problem(request: Request, problem: LinkProblem, *, language: str | None = None) -> HTMLResponse:
        # Gone for a used or expired link; a link that never was (or whose user was deactivated) is a bad request.
        status = 400 if problem is LinkProblem.INVALID else 410
        return sign_in_page(
            request, "sign_in_link.html", status=status, problem=problem.value, token=None, language=language
        )

    @router.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        form = await request.form()
        target = "/"
        if csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            session_id = request.session.get(SESSION_KEY)
            if isinstance(session_id, str):  # ended on the server: a saved copy of the cookie opens nothing
                sessions.sign_out(session_id, client=client_of(request), uow=pages.uow_factory(), clock=pages.clock)
            if after_sign_out is not None:
                target = await after_sign_out(request) or target
            request.session.clear()
        return RedirectResponse(target, status_code=303)

    @router.post("/language")
    async def language(request: Request) -> Response:
        """The switcher: the choice is kept in a cookie, and saved with a signed-in user's account."""
        form = await request.form()
        code = str(form.get("language") or "")
        back = RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)
        if code not in LANGUAGES or not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            return back
        back.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=LANGUAGE_COOKIE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        actor = pages.actor(request)
        if actor is not None:
            save_language(pages, actor, code)
        return back

    return router


def save_language(pages: Pages, actor: Actor, code: str) -> None:
    """Save the choice with the staff user's account, so that it follows them to another browser."""
    try:
        set_language(pages.uow_factory(), actor=actor, language=code, clock=pages.clock)
    except DomainError:
        return  # the operator has no account to save it in; the cookie holds the choice
