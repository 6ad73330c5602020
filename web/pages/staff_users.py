"""The staff page of a coordinator: the coordinators and service representatives of their panels, whether they are
signed in anywhere, and a button that ends a user's sessions (``sessions.end_sessions``, the use case the user's
own settings page and ``raati user end-sessions`` call). Others are refused by ``permissions.staff_list_panels``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.access.sessions import EndSessions, end_sessions
from application.reads.staff_users import staff_of_panels
from domain.errors import DomainError
from web.pages.audit import role_name
from web.pages.context import SESSION_KEY, Pages, SignedForm, client_of, sign_in_redirect


def staff_users_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/staff", response_class=HTMLResponse)
    def staff(request: Request) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            lines = staff_of_panels(actor, uow=pages.uow_factory(), clock=pages.clock, rules=pages.session_rules)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        return pages.page(
            request,
            "staff_users.html",
            actor=actor,
            lines=lines,
            role=lambda role: role_name(role, t),
            when=lambda moment: t.format_datetime(moment) if moment is not None else t("Never signed in"),
        )

    @router.post("/staff/end-sessions")
    async def end(request: Request) -> Response:
        signed = await pages.signed_form(request, back="/staff")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        email = str(signed.form.get("email") or "")
        here = request.session.get(SESSION_KEY)
        command = EndSessions(
            email=email,
            keep=here if isinstance(here, str) else None,  # the coordinator's own session here stays
            client=client_of(request),
            actor=actor.name,
        )
        try:
            ended = end_sessions(command, uow=pages.uow_factory(), clock=pages.clock, rules=pages.session_rules)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        if ended:
            request.session["flash"] = t.ngettext(
                "{count} session of {email} ended: they must sign in again.",
                "{count} sessions of {email} ended: they must sign in again.",
                ended,
                email=email.strip(),
            )
        else:
            request.session["flash"] = t("{email} was not signed in anywhere.", email=email.strip())
        return RedirectResponse("/staff", status_code=303)

    return router
