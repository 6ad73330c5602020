"""The staff pages: the queue of open ideas, an idea with its timeline and the move form, the panel dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.commands import MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from application.reads import dashboard, idea_queue
from domain.actors import Actor
from domain.errors import DomainError, HealthDetailsNeedAcknowledgement, InvalidValue
from domain.ideas import IdeaState
from domain.survey_scoring import NO_ANSWER
from web.pages.context import Pages, http_status, sign_in_redirect
from web.pages.survey_results import band_chart, option_labels, survey_results
from web.rendering import CSRF_FIELD, csrf_ok
from web.texts import STAFF, STATES

# Which form control an error's field points at; anything else is shown for the whole form.
FORM_FIELDS = {"state": "to", "to": "to", "note": "note", "service": "service"}


@dataclass(frozen=True)
class FormError:
    idea_id: int
    field: str  # "to", "note" or "form"
    message: str
    to: str
    note: str
    service: str
    status: int
    health: bool = False  # the note names health details: offer the coordinator's acknowledgement


def staff_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def queue_page(request: Request, actor: Actor, page: int, *, error: FormError | None = None) -> HTMLResponse:
        queue = idea_queue.idea_queue(actor, page=page, uow=pages.uow_factory(), clock=pages.clock)  # type: ignore[arg-type]
        told = {item.id: {c: pages.told_text(request, item.told[c]) for c in item.choices} for item in queue.items}
        services = {item.id: service_options(pages, request, item.services) for item in queue.items}
        status = 200 if error is None else error.status
        return pages.page(
            request, "queue.html", actor=actor, status=status, queue=queue, told=told, services=services, error=error
        )

    def idea_view_page(request: Request, actor: Actor, idea_id: int, *, error: FormError | None = None) -> Response:
        try:
            shown = idea_queue.idea_page(actor, idea_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        told = {c: pages.told_text(request, shown.told[c]) for c in shown.choices}
        services = service_options(pages, request, shown.services)
        status = 200 if error is None else error.status
        return pages.page(
            request, "idea.html", actor=actor, status=status, shown=shown, told=told, services=services, error=error
        )

    @router.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            return queue_page(request, actor, page)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)

    @router.get("/ideas/{idea_id}", response_class=HTMLResponse)
    def idea(request: Request, idea_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return idea_view_page(request, actor, idea_id)

    @router.post("/ideas/{idea_id}/move", response_class=HTMLResponse)
    async def move(request: Request, idea_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        form = await request.form()
        choice, note = str(form.get("to") or ""), str(form.get("note") or "")
        service = str(form.get("service") or "") or None
        origin = "queue" if form.get("from") == "queue" else "idea"
        page = _int(str(form.get("page") or "1"), default=1)
        acknowledge = form.get("acknowledge_health") == "yes"
        try:
            if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
                raise InvalidValue("form", STAFF[pages.language(request)]["csrf_failed"])
            version = _version(str(form.get("expected_version") or ""))
            if choice == idea_queue.NOTE:
                command: Any = NoteIdea(
                    idea_id, text=note, expected_version=version, actor=actor.name, acknowledge_health=acknowledge
                )
                view = note_idea(command, uow=pages.uow_factory(), clock=pages.clock)
            else:
                chosen = service if choice == IdeaState.SENT_TO_SERVICE else None
                command = MoveIdea(
                    idea_id,
                    to=choice,
                    note=note or None,
                    service=chosen,
                    expected_version=version,
                    actor=actor.name,
                    acknowledge_health=acknowledge,
                )
                view = move_idea(command, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            field = FORM_FIELDS.get(getattr(problem, "field", ""), "form")
            health = isinstance(problem, HealthDetailsNeedAcknowledgement)
            error = FormError(idea_id, field, str(problem), choice, note, service or "", http_status(problem), health)
            if origin == "queue":
                return queue_page(request, actor, page, error=error)
            return idea_view_page(request, actor, idea_id, error=error)
        t = STAFF[pages.language(request)]
        request.session["flash"] = t["saved"].format(n=view.queued_notifications)
        return RedirectResponse(f"/ideas/{idea_id}", status_code=303)

    @router.get("/dashboard", response_class=HTMLResponse)
    def panel_dashboard(request: Request, panel: Annotated[int | None, Query(ge=1)] = None) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            board = dashboard.panel_dashboard(actor, panel, uow=pages.uow_factory(), clock=pages.clock)  # type: ignore[arg-type]
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        language = pages.language(request)
        t, options = STAFF[language], option_labels(language)
        surveys = survey_results(board.panel.stored_id, uow_factory=pages.uow_factory)
        return pages.page(
            request,
            "dashboard.html",
            actor=actor,
            board=board,
            surveys=surveys,
            survey_charts=[band_chart(r, label=t["share"], no_answer=options[NO_ANSWER]) for r in surveys],
            options=options,
            charts=charts(board, t, STATES[language]),
        )

    return router


@dataclass(frozen=True)
class ServiceOption:
    id: int
    name: str
    told_text: str


def service_options(pages: Pages, request: Request, services: list[idea_queue.ServiceChoice]) -> list[ServiceOption]:
    return [ServiceOption(s.id, s.name, pages.told_text(request, s.told)) for s in services]


def charts(board: dashboard.PanelDashboard, t: dict[str, str], states: dict[str, str]) -> dict[str, Any]:
    """The figures each chart draws (the page shows the same figures as tables)."""
    timed = [line for line in board.services if line.median_days_to_first_response is not None]
    return {
        "states": {
            "label": t["count"],
            "labels": [states[state] for state in board.by_state],
            "values": list(board.by_state.values()),
        },
        "services": {
            "label": t["median_days"],
            "labels": [line.name for line in timed],
            "values": [line.median_days_to_first_response for line in timed],
        },
    }


def _version(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidValue("expected_version", f"{text!r} is not a whole number") from None


def _int(text: str, *, default: int) -> int:
    try:
        return max(int(text), 1)
    except ValueError:
        return default
