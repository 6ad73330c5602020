"""The start page, signing in with a staff token and out again, and the staff pages' language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access import sessions
from application.access.identity import set_language
from domain.actors import Actor
from domain.errors import DomainError
from domain.values import Role
from notifications.i18n import LANGUAGES
from web.pages.context import LANGUAGE_COOKIE, SESSION_KEY, Pages
from web.rendering import CSRF_FIELD, csrf_ok

# A year: the switcher's choice is kept on this browser until changed.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def home_of(role: Role) -> str:
    return "/queue" if role is Role.SERVICE_OWNER else "/dashboard"


def auth_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def start(request: Request) -> Response:
        actor = pages.actor(request)
        if actor is not None:
            return RedirectResponse(home_of(actor.role), status_code=303)
        return pages.page(request, "start.html", actor=None)

    @router.get("/sign-in", response_class=HTMLResponse)
    def sign_in_form(request: Request, next: Annotated[str, Query(max_length=300)] = "") -> HTMLResponse:
        return pages.page(request, "sign_in.html", actor=None, next=safe_next(next, ""), error=None)

    @router.post("/sign-in", response_class=HTMLResponse)
    async def sign_in(request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token") or "").strip()
        target = safe_next(str(form.get("next") or ""), "")
        t = pages.catalog(request)
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            expired = t("The form had expired. Please try again.")
            return pages.page(request, "sign_in.html", actor=None, status=403, next=target, error=("form", expired))
        signed_in = sessions.sign_in(token, uow=pages.uow_factory(), clock=pages.clock) if token else None
        if signed_in is None:
            refused = t(
                "The access key is not valid. Check that you copied all of it, or ask your coordinator for a new one."
            )
            return pages.page(request, "sign_in.html", actor=None, status=401, next=target, error=("token", refused))
        request.session.clear()  # a fresh session (and CSRF token) for the signed-in user
        request.session[SESSION_KEY] = signed_in.session_id
        return RedirectResponse(target or home_of(signed_in.actor.role), status_code=303)

    @router.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        form = await request.form()
        if csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            session_id = request.session.get(SESSION_KEY)
            if isinstance(session_id, str):  # ended on the server: a saved copy of the cookie opens nothing
                sessions.sign_out(session_id, uow=pages.uow_factory(), clock=pages.clock)
            request.session.clear()
        return RedirectResponse("/", status_code=303)

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
