"""The start page, signing in with a staff token and out again, and the staff pages' language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access import sessions
from domain.values import Role
from web.pages.context import SESSION_KEY, Pages
from web.rendering import CSRF_FIELD, csrf_ok
from web.texts import STAFF, STAFF_LANGUAGES


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
        t = STAFF[pages.language(request)]
        if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
            return pages.page(
                request, "sign_in.html", actor=None, status=403, next=target, error=("form", t["csrf_failed"])
            )
        signed_in = sessions.sign_in(token, uow=pages.uow_factory(), clock=pages.clock) if token else None
        if signed_in is None:
            return pages.page(
                request, "sign_in.html", actor=None, status=401, next=target, error=("token", t["token_invalid"])
            )
        language = pages.language(request)
        request.session.clear()  # a fresh session (and CSRF token) for the signed-in user
        request.session.update({SESSION_KEY: signed_in.session_id, "lang": language})
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

    @router.get("/language/{code}")
    def language(code: str, request: Request, next: Annotated[str, Query(max_length=300)] = "/") -> Response:
        if code in STAFF_LANGUAGES:
            request.session["lang"] = code
        return RedirectResponse(safe_next(next), status_code=303)

    return router
