"""The staff pages: the queue of open ideas, an idea with its timeline and the move form, the panel dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.commands import MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from application.reads import dashboard, idea_queue
from application.reads.views import TimelineEntry, list_meetings, list_panels
from domain.actors import Actor
from domain.errors import DomainError, InvalidValue
from domain.ideas import IdeaState
from domain.meetings import Meeting
from domain.panels import Panel
from domain.survey_scoring import NO_ANSWER
from domain.values import Role
from notifications.i18n import Catalog
from web.errors import TRANSLATED_NOTES, Explained, explain, form_control, state_name
from web.pages.context import Pages, http_status, sign_in_redirect
from web.pages.meeting_room import duration
from web.pages.survey_results import band_chart, option_labels, survey_results, survey_status, surveys_of
from web.rendering import CSRF_FIELD, csrf_ok


@dataclass(frozen=True)
class FormError:
    """A refused move form, shown again with what was sent and what to do (web/errors.py)."""

    idea_id: int
    explained: Explained
    to: str
    note: str
    service: str
    status: int
    version: int | None = None  # the version the form was for: a stale form shows the changes since
    # The note's Swedish and English versions as sent: {"note_sv": …, "note_en": …}.
    translated: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def field(self) -> str:
        return self.explained.field


def staff_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def queue_page(
        request: Request,
        actor: Actor,
        page: int,
        *,
        error: FormError | None = None,
        narrowed: idea_queue.QueueFilter | None = None,
    ) -> HTMLResponse:
        queue = idea_queue.idea_queue(
            actor,
            page=page,
            uow=pages.uow_factory(),  # type: ignore[arg-type]
            clock=pages.clock,
            narrowed=narrowed,
        )
        t = pages.catalog(request, actor)
        told = {item.id: {c: pages.told_text(t, item.told[c]) for c in item.choices} for item in queue.items}
        services = {item.id: service_options(pages, t, item.services) for item in queue.items}
        status = 200 if error is None else error.status
        changes = stale_changes(pages, actor, error)
        return pages.page(
            request,
            "queue.html",
            actor=actor,
            status=status,
            queue=queue,
            # The queue's rows name their panel (by its Finnish name): its other names come from the panel.
            panels={panel.name: panel for panel in readable_panels(pages, actor).values()},
            told=told,
            services=services,
            error=error,
            changes=changes,
            can_act_on=lambda idea_id: queue.can_act and any(i.id == idea_id and i.choices for i in queue.items),
            filter_query=filter_query(queue.filter),
            filter_fields=filter_fields(queue.filter),
        )

    def idea_view_page(request: Request, actor: Actor, idea_id: int, *, error: FormError | None = None) -> Response:
        try:
            shown = idea_queue.idea_page(actor, idea_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        told = {c: pages.told_text(t, shown.told[c]) for c in shown.choices}
        services = service_options(pages, t, shown.services)
        status = 200 if error is None else error.status
        changes = changed_since(shown.idea.timeline, error)
        return pages.page(
            request,
            "idea.html",
            actor=actor,
            status=status,
            shown=shown,
            panel=readable_panels(pages, actor).get(shown.idea.panel),
            told=told,
            services=services,
            error=error,
            changes=changes,
            can_act_on=lambda _idea_id: shown.can_act and bool(shown.choices),
        )

    @router.get("/queue", response_class=HTMLResponse)
    def queue(
        request: Request,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        state: Annotated[str, Query(max_length=32)] = "",
        panel: Annotated[str, Query(max_length=12)] = "",
        service: Annotated[str, Query(max_length=12)] = "",
        q: Annotated[str, Query(max_length=200)] = "",
        overdue: Annotated[str, Query(max_length=8)] = "",
    ) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            narrowed = idea_queue.QueueFilter(
                state=state.strip(),
                panel_id=_chosen_id("panel", panel),
                service_id=_chosen_id("service", service),
                search=q.strip(),
                overdue=_flag("overdue", overdue),
            )
            return queue_page(request, actor, page, narrowed=narrowed)
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
        translated = {name: str(form.get(name) or "") for name in TRANSLATED_NOTES}
        version: int | None = None
        try:
            if not csrf_ok(request, str(form.get(CSRF_FIELD) or "")):
                raise InvalidValue("form", "the form's CSRF token is missing or has expired")
            version = _version(str(form.get("expected_version") or ""))
            if choice == idea_queue.NOTE:
                command: Any = NoteIdea(
                    idea_id,
                    text=note,
                    expected_version=version,
                    actor=actor.name,
                    acknowledge_health=acknowledge,
                    translations=note_translations(translated, "text"),
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
                    translations=note_translations(translated, "note"),
                )
                view = move_idea(command, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            t = pages.catalog(request, actor)
            # Only a coordinator (or the operator) may let health details through; a service owner asks one.
            may_acknowledge = actor.role in (Role.COORDINATOR, Role.OPERATOR)
            # The privacy guard's findings are highlighted in the text they were found in: the note or a translation.
            text = translated.get(form_control(getattr(problem, "field", "")), note)
            explained = explain(problem, t, requested=choice, text=text, may_acknowledge=may_acknowledge)
            error = FormError(
                idea_id, explained, choice, note, service or "", http_status(problem), version, translated
            )
            if origin == "queue":
                try:
                    narrowed = idea_queue.QueueFilter(
                        state=str(form.get("filter_state") or "").strip()[:32],
                        panel_id=_chosen_id("panel", str(form.get("filter_panel") or "")),
                        service_id=_chosen_id("service", str(form.get("filter_service") or "")),
                        search=str(form.get("filter_q") or "").strip()[:200],
                        overdue=_flag("overdue", str(form.get("filter_overdue") or "")),
                    )
                    return queue_page(request, actor, page, error=error, narrowed=narrowed)
                except DomainError:  # the filters no longer apply: the whole queue, with the form's error
                    return queue_page(request, actor, page, error=error)
            return idea_view_page(request, actor, idea_id, error=error)
        t = pages.catalog(request, actor)
        request.session["flash"] = t.ngettext(
            "Saved. {count} notification is on its way.",
            "Saved. {count} notifications are on their way.",
            view.queued_notifications,
        )
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
        t = pages.catalog(request, actor)
        options = option_labels(t)
        surveys = survey_results(board.panel.stored_id, uow_factory=pages.uow_factory)
        return pages.page(
            request,
            "dashboard.html",
            actor=actor,
            board=board,
            panels=readable_panels(pages, actor),
            meetings=panel_meetings(pages, actor, board.panel.stored_id),
            surveys=surveys,
            survey_texts=surveys_of(board.panel.stored_id, uow_factory=pages.uow_factory),
            survey_charts=[band_chart(r, label=t("Share, %"), no_answer=options[NO_ANSWER]) for r in surveys],
            options=options,
            charts=charts(board, t),
            links=drill(board),
            statuses=meeting_statuses(t),
            survey_states={r.status: survey_status(r.status, t) for r in surveys},
            signed=lambda n: ("+" if n > 0 else "") + t.format_number(n, decimals=0),
            duration=lambda seconds: duration(seconds, t),
        )

    return router


def note_translations(translated: dict[str, str], name: str) -> dict[str, dict[str, str]] | None:
    """The form's Swedish and English notes as the use cases take them (``{"sv": {name: …}}``, as the API
    passes them): a move's note is ``note``, a progress note's ``text``; empty ones are left out."""
    given = {
        language: {name: text.strip()}
        for language, text in ((TRANSLATED_NOTES[control], translated.get(control, "")) for control in TRANSLATED_NOTES)
        if text.strip()
    }
    return given or None


def readable_panels(pages: Pages, actor: Actor) -> dict[int, Panel]:
    """The panels the actor may read, by id: their names in every language for the page."""
    try:
        return {panel.stored_id: panel for panel in list_panels(actor=actor, uow=pages.uow_factory())}
    except DomainError:
        return {}


def panel_meetings(pages: Pages, actor: Actor, panel_id: int) -> dict[int, Meeting]:
    """The panel's meetings by id: their titles in every language for the dashboard's list."""
    try:
        return {m.stored_id: m for m in list_meetings(str(panel_id), actor=actor, uow=pages.uow_factory())}
    except DomainError:
        return {}


@dataclass(frozen=True)
class ServiceOption:
    id: int
    name: str
    told_text: str
    suggested: bool = False


def service_options(pages: Pages, t: Catalog, services: list[idea_queue.ServiceChoice]) -> list[ServiceOption]:
    return [ServiceOption(s.id, s.name, pages.told_text(t, s.told), s.suggested) for s in services]


def changed_since(timeline: list[TimelineEntry], error: FormError | None) -> list[TimelineEntry]:
    """What others did to the idea after the version a stale form was for (a timeline entry's seq is the
    idea's version after it), oldest first."""
    if error is None or not error.explained.stale or error.version is None:
        return []
    since = error.version
    return [entry for entry in timeline if entry.seq > since]


def stale_changes(pages: Pages, actor: Actor, error: FormError | None) -> list[TimelineEntry]:
    """For a stale form on the queue: the changes to its idea since the form was read."""
    if error is None or not error.explained.stale:
        return []
    try:
        shown = idea_queue.idea_page(actor, error.idea_id, uow=pages.uow_factory(), clock=pages.clock)
    except DomainError:
        return []
    return changed_since(shown.idea.timeline, error)


def meeting_statuses(t: Catalog) -> dict[str, str]:
    """Where a meeting's pre-brief and summary stand, in words."""
    return {
        "sent_on_time": t.pgettext("mail status", "sent on time"),
        "sent_late": t.pgettext("mail status", "sent late"),
        "due": t.pgettext("mail status", "coming"),
        "late": t.pgettext("mail status", "late"),
        "not_yet": t.pgettext("mail status", "not yet"),
        "not_needed": t.pgettext("mail status", "not needed"),
    }


def charts(board: dashboard.PanelDashboard, t: Catalog) -> dict[str, Any]:
    """The figures each chart draws (the page shows the same figures as tables), and where each bar leads: the
    address its row in the table leads to (``drill``)."""
    timed = [line for line in board.services if line.median_days_to_first_response is not None]
    links = drill(board)
    return {
        "states": {
            "label": t("Ideas"),
            "labels": [state_name(state, t) for state in board.by_state],
            "values": list(board.by_state.values()),
            "links": [links["state"][state] for state in board.by_state],
        },
        "services": {
            "label": t("Median days to the first answer"),
            "labels": [line.name for line in timed],
            "values": [line.median_days_to_first_response for line in timed],
            "links": [links["service"][line.service_id] for line in timed],
        },
    }


def drill(board: dashboard.PanelDashboard) -> dict[str, Any]:
    """Where each of the dashboard's figures leads: the list of the ideas or mail behind it."""
    panel = board.panel.stored_id
    return {
        "state": {state: "/queue?" + urlencode({"state": state, "panel": panel}) for state in board.by_state},
        "service": {
            s.service_id: "/queue?" + urlencode({"panel": panel, "service": s.service_id}) for s in board.services
        },
        "overdue": {
            s.service_id: "/queue?" + urlencode({"panel": panel, "service": s.service_id, "overdue": 1})
            for s in board.services
        },
        "outbox": f"/outbox?panel={panel}",
        "failed": f"/outbox?panel={panel}&status=failed",
    }


def filter_fields(narrowed: idea_queue.QueueFilter) -> dict[str, str]:
    """The queue's filters for a move form's hidden fields: a refused form shows the same narrowed queue again."""
    given = {
        "state": narrowed.state,
        "panel": str(narrowed.panel_id or ""),
        "service": str(narrowed.service_id or ""),
        "q": narrowed.search,
        "overdue": "1" if narrowed.overdue else "",
    }
    return {name: value for name, value in given.items() if value}


def filter_query(narrowed: idea_queue.QueueFilter) -> str:
    """The queue's filters as a query string (for the pager's links), empty when nothing is narrowed."""
    return urlencode(filter_fields(narrowed))


def _chosen_id(name: str, text: str) -> int | None:
    """A filter's chosen id from the address: empty is "all"; anything but a whole number is refused by name."""
    if not text.strip():
        return None
    try:
        chosen = int(text)
    except ValueError:
        raise InvalidValue(name, f"{text!r} is not a whole number") from None
    if chosen < 1:
        raise InvalidValue(name, f"{text!r} is not a whole number")
    return chosen


def _flag(name: str, text: str) -> bool:
    """A yes/no filter from the address or a checkbox: empty or "0" is no, "1" (or "on") is yes; else refused."""
    value = text.strip().lower()
    if value in ("", "0"):
        return False
    if value in ("1", "on"):
        return True
    raise InvalidValue(name, f"{text!r} is not 1 or 0")


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
