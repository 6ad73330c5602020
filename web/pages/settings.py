"""A staff user's settings page: where they are signed in (ending the other sessions, or all), and their personal
API tokens for integrations (created with a name and an optional last day, shown once, revoked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access.personal_tokens import (
    CreatedToken,
    CreateToken,
    RevokeToken,
    TokenListing,
    create_token,
    last_day,
    list_tokens,
    revoke_token,
    today_in_helsinki,
)
from application.access.sessions import Current, EndSessions, active_sessions, end_sessions
from application.timezone import PANEL_TZ
from domain.errors import DomainError, InvalidValue
from domain.sign_in import MAX_TOKEN_NAME, StaffSession
from notifications.i18n import Catalog
from web.pages.audit import method_name
from web.pages.context import SESSION_KEY, Pages, SignedForm, client_of, sign_in_redirect
from web.rendering import CSRF_FIELD, csrf_ok

# The page that shows a new token's value is never stored by a browser or a proxy, nor sent on as a referrer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# A few words for a browser, from its User-Agent: the first that matches (Edge says "Chrome" and "Safari" too).
BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True)
class SessionLine:
    method: str
    started: str
    last_active: str
    network: str
    browser: str
    this_browser: bool


@dataclass(frozen=True)
class TokenLine:
    id: int
    name: str
    script: bool
    created: str
    expires: str
    expired: bool
    last_used: str


@dataclass(frozen=True)
class TokenForm:
    """What the create form sent, and what was wrong with it (``field``: "name" or "expires")."""

    name: str = ""
    expires: str = ""
    field: str = ""
    message: str = ""


def browser_of(user_agent: str | None, t: Catalog) -> str:
    """ "Firefox on Windows" from a User-Agent; "–" when it says nothing known."""
    agent = user_agent or ""
    browser = next((name for mark, name in BROWSERS if mark in agent), None)
    system = next((name for mark, name in SYSTEMS if mark in agent), None)
    if browser and system:
        return t("{browser} on {system}", browser=browser, system=system)
    return browser or system or "–"


def session_line(session: StaffSession, current: Current, t: Catalog) -> SessionLine:
    return SessionLine(
        method=method_name(session.method, t),
        started=t.format_datetime(session.created_at),
        last_active=t.format_datetime(session.last_seen_at),
        network=session.client or "–",
        browser=browser_of(session.user_agent, t),
        this_browser=session.id == current.session.id,
    )


def token_line(listing: TokenListing, t: Catalog) -> TokenLine:
    token = listing.token
    if token.expires_at is None:
        expires = t("Until revoked")
    else:  # the last day it works: the day before the Helsinki midnight it stops
        last = (token.expires_at.astimezone(PANEL_TZ) - timedelta(days=1)).date()
        day = t.format_date(last)
        expires = t("Expired after {date}", date=day) if listing.expired else t("Works through {date}", date=day)
    return TokenLine(
        id=token.id,
        name=token.name or t("Command-line token"),
        script=listing.script,
        created=t.format_datetime(token.created_at),
        expires=expires,
        expired=listing.expired,
        last_used=t.format_datetime(token.last_used_at) if token.last_used_at else t("Never used"),
    )


def token_problem(error: DomainError, t: Catalog) -> TokenForm:
    """A refused token form in words, naming the field."""
    field = getattr(error, "field", "")
    if field == "name":
        reason = getattr(error, "reason", "")
        if "at most" in reason:
            message = t("The name can be at most {count} characters.", count=MAX_TOKEN_NAME)
        elif "single line" in reason:
            message = t("Write the name on one line.")
        else:
            message = t("Give the token a name, for example the integration that uses it.")
        return TokenForm(field="name", message=message)
    if field == "expires":
        reason = getattr(error, "reason", "")
        if "today or a later day" in reason:
            message = t("The last day must be today or later.")
        elif "five years" in reason:
            message = t("The last day can be at most five years from today.")
        else:
            message = t("Write the last day as a date, for example 2026-12-31, or leave it empty.")
        return TokenForm(field="expires", message=message)
    return TokenForm(field="form", message=t("The form had expired. Please try again."))


def settings_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def settings_page(
        request: Request,
        current: Current,
        *,
        status: int = 200,
        form: TokenForm | None = None,
        created: CreatedToken | None = None,
    ) -> HTMLResponse:
        actor = current.actor
        t = pages.catalog(request, actor)
        uow, clock = pages.uow_factory, pages.clock
        sessions = active_sessions(actor, uow=uow(), clock=clock, rules=pages.session_rules)
        tokens = list_tokens(actor, uow=uow(), clock=clock)
        response = pages.page(
            request,
            "settings.html",
            actor=actor,
            status=status,
            sessions=[session_line(s, current, t) for s in sessions],
            others=sum(1 for s in sessions if s.id != current.session.id),
            tokens=[token_line(listing, t) for listing in tokens],
            form=form or TokenForm(),
            created=created,
            today=today_in_helsinki(clock).isoformat(),
            max_name=MAX_TOKEN_NAME,
        )
        response.headers.update(PRIVATE)
        return response

    @router.get("/settings", response_class=HTMLResponse)
    def settings(request: Request) -> Response:
        current = pages.current(request)
        if current is None:
            return sign_in_redirect(request)
        return settings_page(request, current)

    @router.post("/settings/tokens", response_class=HTMLResponse)
    async def create(request: Request) -> Response:
        current = pages.current(request)
        if current is None:
            return sign_in_redirect(request)
        form = await request.form()
        name, expires = str(form.get("name") or ""), str(form.get("expires") or "")
        t = pages.catalog(request, current.actor)
        try:
            if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
                raise InvalidValue("form", "the form's CSRF token is missing or has expired")
            day = last_day(expires, today=today_in_helsinki(pages.clock))
            command = CreateToken(name=name, last_day=day, client=client_of(request), actor=current.actor.name)
            created = create_token(command, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            refused = token_problem(problem, t)
            sent = TokenForm(name=name[:200], expires=expires[:20], field=refused.field, message=refused.message)
            return settings_page(request, current, status=403 if sent.field == "form" else 422, form=sent)
        # Shown in this answer only: a reload of /settings lists the token without its value.
        return settings_page(request, current, created=created)

    @router.post("/settings/tokens/{token_id}/revoke")
    async def revoke(request: Request, token_id: int) -> Response:
        signed = await pages.signed_form(request, back="/settings#tokens")
        if not isinstance(signed, SignedForm):
            return signed
        current, t = signed.current, signed.t
        try:
            command = RevokeToken(token_id=token_id, client=client_of(request), actor=current.actor.name)
            revoked = revoke_token(command, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=current.actor)
        name = revoked.name or t("Command-line token")
        request.session["flash"] = t("The token “{name}” is revoked and no longer works.", name=name)
        return RedirectResponse("/settings#tokens", status_code=303)

    @router.post("/settings/sessions/end")
    async def end(request: Request) -> Response:
        signed = await pages.signed_form(request, back="/settings#sessions")
        if not isinstance(signed, SignedForm):
            return signed
        current, t = signed.current, signed.t
        everywhere = signed.form.get("which") == "all"
        here = request.session.get(SESSION_KEY)
        keep = None if everywhere or not isinstance(here, str) else here
        command: Any = EndSessions(keep=keep, client=client_of(request), actor=current.actor.name)
        ended = end_sessions(command, uow=pages.uow_factory(), clock=pages.clock, rules=pages.session_rules)
        if everywhere:
            request.session.clear()
            title = t("You are signed out everywhere")
            message = t("Every session of yours has ended, on this browser too. Sign in again to go on.")
            return pages.page(request, "message.html", actor=None, title=title, message=message)
        request.session["flash"] = t.ngettext(
            "Signed out on {count} other browser or device.", "Signed out on {count} other browsers or devices.", ended
        )
        return RedirectResponse("/settings#sessions", status_code=303)

    return router
