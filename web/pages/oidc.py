"""Single sign-on pages: ``/sign-in/oidc`` sends the browser to the organisation's identity provider, and
``/sign-in/oidc/callback`` (the redirect URI registered there) signs the staff user in when it comes back.

The protocol is web/oidc.py's; who may sign in is application/access/single_sign_on.py's. Every refusal is a
page in the reader's language saying what happened and what to do, and a ``sign_in_failed`` in the audit trail
with a short reason; never a stack trace. When Raati's session ends (``/sign-out``), a session opened here also
ends at the provider where it offers that (``provider_sign_out_url``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access.single_sign_on import (
    ProviderSignIn,
    RoleMapping,
    SignInProblem,
    SignInRefused,
    record_refusal,
    sign_in_with_provider,
)
from web.metrics import count_sign_in
from web.oidc_refusals import UNREACHABLE, Refused
from web.oidc_settings import OidcSettings, load_oidc_settings, role_mapping
from web.pages.auth import home_of, safe_next
from web.pages.context import Pages, client_of

if TYPE_CHECKING:
    from web.oidc import OidcClient

log = logging.getLogger(__name__)

# In the signed cookie session: the sign-in under way (state, nonce, PKCE verifier, next, when it began) ...
PENDING_KEY = "oidc_pending"
# ... and, once signed in with single sign-on, the ID token for the provider's sign-out ("" if it was too long).
SIGNED_IN_KEY = "oidc_id_token"
START_PATH = "/sign-in/oidc"
# Why the last sign-in did not succeed (a kind below, and the address for the account pages) and its page.
PROBLEM_KEY = "oidc_problem"
PROBLEM_PATH = "/sign-in/oidc/problem"
# The ID token is kept in the signed cookie for the provider's sign-out only while the cookie stays small.
MAX_ID_TOKEN_HINT = 2400
UNREACHABLE_KIND, STALE_KIND, PROVIDER_KIND, FAILED_KIND = "unreachable", "stale", "provider", "failed"

# Refusals of the protocol, by reason: the page tells "start again", "try again later" or "it did not succeed".
STALE = frozenset({"missing_state", "unknown_state", "replayed_state", "state_expired"})


def install_oidc(app: FastAPI, pages: Pages, settings: OidcSettings | None = None) -> None:
    """Single sign-on for the app: its pages, and the client the sign-out uses (``app.state.oidc_client``).
    Without ``RAATI_OIDC_ISSUER`` the pages say that single sign-on is not in use. Settings that cannot work stop
    the start here (``InvalidValue`` naming the variable)."""
    settings = settings if settings is not None else load_oidc_settings()
    client = None
    if settings.configured:
        # Authlib is the optional raati[sso]: imported only where single sign-on is set up (check() refused its lack).
        from web.oidc import OidcClient

        client = OidcClient(settings)
    mapping = role_mapping(settings) if settings.configured else None
    app.state.oidc_client = client
    app.include_router(oidc_router(pages, client, settings=settings, mapping=mapping), include_in_schema=False)


def oidc_offer(request: Request, next_path: str = "") -> dict[str, str] | None:
    """For the sign-in page (``auth_router(organisation_sign_in=oidc_offer)``): where "Sign in with your
    organisation's account" leads, carrying the page's ``next``; None when single sign-on is not set up."""
    if getattr(request.app.state, "oidc_client", None) is None:
        return None
    target = safe_next(next_path, "")
    return {"href": START_PATH + (f"?{urlencode({'next': target})}" if target else "")}


async def provider_sign_out_url(request: Request) -> str | None:
    """Where to send the browser once Raati's session has ended: the provider's end-session endpoint (with the ID
    token as ``id_token_hint`` and ``post_logout_redirect_uri={RAATI_BASE_URL}/``) for a session opened with single
    sign-on, when the provider's discovery names one; else None. Call before the cookie session is cleared."""
    client = getattr(request.app.state, "oidc_client", None)
    id_token = request.session.get(SIGNED_IN_KEY)
    if client is None or not isinstance(id_token, str):
        return None
    return await anyio.to_thread.run_sync(client.end_session_url, id_token or None)


def oidc_router(
    pages: Pages, client: OidcClient | None, *, settings: OidcSettings, mapping: RoleMapping | None
) -> APIRouter:
    router = APIRouter()

    @router.get(START_PATH, response_class=HTMLResponse)
    def start(request: Request, next: Annotated[str, Query(max_length=300)] = "") -> Response:
        if client is None:
            return _not_in_use(pages, request)
        request.session.pop(PROBLEM_KEY, None)
        try:
            started = client.begin(next_path=safe_next(next, ""), now=pages.clock.now().timestamp())
        except Refused as refused:
            return _refused(pages, request, refused.reason)
        request.session[PENDING_KEY] = started.pending
        return RedirectResponse(started.url, status_code=303)

    @router.get(START_PATH + "/callback", response_class=HTMLResponse)
    def callback(request: Request) -> Response:
        if client is None:
            return _not_in_use(pages, request)
        pending = request.session.pop(PENDING_KEY, None)  # a state opens one sign-in at most
        try:
            verified = client.finish(dict(request.query_params), pending, now=pages.clock.now().timestamp())
        except Refused as refused:
            return _refused(pages, request, refused.reason)
        command = ProviderSignIn(
            claims=verified.claims,
            client=client_of(request),
            user_agent=request.headers.get("user-agent"),
            email_claim=settings.email_claim,
            trust_email=settings.trust_email,
        )
        try:
            signed_in = sign_in_with_provider(
                command, mapping=mapping, uow=pages.uow_factory(), clock=pages.clock, rules=pages.session_rules
            )
        except SignInRefused as refused:
            log.info("single sign-on refused: %s", refused.problem.value)
            count_sign_in("oidc", "refused")
            return _problem(request, refused.problem.value, email=refused.email)
        count_sign_in("oidc", "success")
        pages.keep_session(request, signed_in)
        request.session[SIGNED_IN_KEY] = verified.id_token if len(verified.id_token) <= MAX_ID_TOKEN_HINT else ""
        return RedirectResponse(safe_next(verified.next, "") or home_of(signed_in.actor.role), status_code=303)

    @router.get(PROBLEM_PATH, response_class=HTMLResponse)
    def problem(request: Request) -> Response:
        """Why the last sign-in did not succeed: a page of its own (the language switcher comes back here, not to
        the callback's used code and state)."""
        found = request.session.get(PROBLEM_KEY)
        if not isinstance(found, dict) or not isinstance(found.get("kind"), str):
            return RedirectResponse("/sign-in", status_code=303)
        return _explained(pages, request, found["kind"], email=str(found.get("email") or ""))

    return router


def _refused(pages: Pages, request: Request, reason: str) -> Response:
    """A refusal of the protocol: audited with its reason, explained without it."""
    log.info("single sign-on refused: %s", reason)
    count_sign_in("oidc", "refused")
    record_refusal(reason, client=client_of(request), uow=pages.uow_factory(), clock=pages.clock)
    if reason in UNREACHABLE:
        kind = UNREACHABLE_KIND
    elif reason in STALE:
        kind = STALE_KIND
    elif reason.startswith("provider_"):
        kind = PROVIDER_KIND
    else:
        kind = FAILED_KIND
    return _problem(request, kind)


def _problem(request: Request, kind: str, *, email: str | None = None) -> Response:
    request.session[PROBLEM_KEY] = {"kind": kind, "email": email}
    return RedirectResponse(PROBLEM_PATH, status_code=303)


def _explained(pages: Pages, request: Request, kind: str, *, email: str) -> HTMLResponse:
    """The page for a kind of problem: what happened, what to do, whom to ask (and whether to try again)."""
    t = pages.catalog(request)
    pages_by_kind: dict[str, tuple[int, bool, str, str]] = {
        UNREACHABLE_KIND: (
            503,
            True,
            t("The sign-in service cannot be reached"),
            t(
                "Raati could not reach your organisation's sign-in service. Please try again in a moment. "
                "If this goes on, tell the system's administrator."
            ),
        ),
        STALE_KIND: (
            400,
            True,
            t("This sign-in has expired"),
            t("The sign-in was already used, or it was not finished within ten minutes. Please start again."),
        ),
        PROVIDER_KIND: (
            401,
            True,
            t("You were not signed in"),
            t("Your organisation's sign-in service did not sign you in, or the sign-in was cancelled."),
        ),
        FAILED_KIND: (
            401,
            True,
            t("Sign-in did not succeed"),
            t(
                "Raati could not confirm the answer of your organisation's sign-in service, so you were not signed "
                "in. Please try again. If it happens again, tell the system's administrator."
            ),
        ),
        SignInProblem.UNKNOWN_USER.value: (
            403,
            False,
            t("Your account is not in Raati"),
            t(
                "You signed in as {email}, but Raati has no staff account with this address. Ask the coordinator "
                "of your customer panel, or the system's administrator, to add you.",
                email=email,
            ),
        ),
        SignInProblem.DEACTIVATED.value: (
            403,
            False,
            t("Your Raati account is not in use"),
            t(
                "The Raati account of {email} has been deactivated. If you still need Raati, ask the coordinator "
                "of your customer panel, or the system's administrator, to take it into use again.",
                email=email,
            ),
        ),
        SignInProblem.EMAIL_NOT_VERIFIED.value: (
            403,
            False,
            t("Raati could not tell who you are"),
            t(
                "Your organisation's account did not give Raati a confirmed email address, and Raati knows its staff "
                "by their email address. Ask your organisation's IT support to check the email address of your "
                "account, or ask the system's administrator."
            ),
        ),
        SignInProblem.NOT_SET_UP.value: (
            403,
            False,
            t("Your account could not be set up"),
            t(
                "Your organisation's account gives you a role in Raati, but Raati could not add you with it: "
                "the panel or service it names is not in Raati. Tell the system's administrator."
            ),
        ),
    }
    status, retry, title, message = pages_by_kind.get(kind, pages_by_kind[FAILED_KIND])
    return _page(pages, request, status=status, title=title, message=message, retry=retry)


def _not_in_use(pages: Pages, request: Request) -> HTMLResponse:
    t = pages.catalog(request)
    title = t("Single sign-on is not in use")
    message = t("Raati has not been set up to sign in with your organisation's account.")
    return _page(pages, request, status=404, title=title, message=message, retry=False)


def _page(pages: Pages, request: Request, *, status: int, title: str, message: str, retry: bool) -> HTMLResponse:
    context: dict[str, Any] = {"title": title, "message": message, "retry": START_PATH if retry else None}
    return pages.page(request, "oidc_refused.html", actor=None, status=status, **context)
