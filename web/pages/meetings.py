"""The meeting page (``/meetings/{id}``), where staff mail about a meeting's pre-brief or summary leads: the meeting,
where its pre-brief and summary stand, the ideas raised in it, and what the coordinator does next, in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel.dates import format_date as babel_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.commands import ApproveSummary, DraftSummary, RaiseIdea, ScheduleMeeting, UpdateMeeting
from application.ideas.changes import raise_idea
from application.meeting_room import meeting_balance
from application.meetings.changes import approve_summary, draft_summary, schedule_meeting, update_meeting
from application.participation.attendance import RecordAttendance, record_attendance
from application.ports.unit_of_work import UnitOfWork
from application.reads.meeting_page import MeetingPage, NextStep, meeting_page, panel_meetings
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import (
    DomainError,
    HealthDetailsNeedAcknowledgement,
    InvalidValue,
    NotFound,
    PermissionDenied,
    PrivacyBlocked,
)
from domain.meetings import Meeting, MeetingStatus, TaskCategory, TaskKind
from domain.translations import given
from notifications.content import Content
from notifications.i18n import Catalog
from web.errors import Explained, explain
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.meeting_room import duration
from web.pages.staff import meeting_statuses
from web.rendering import content_in

# The idea rows of the fast form on the meeting page (rows left empty are ignored).
IDEA_ROWS = 5
_TOO_LONG = re.compile(r"is (\d+) characters; at most (\d+)")


@dataclass(frozen=True)
class Refused:
    """A refused form, shown again with what was sent: the control it is about and the reason in words."""

    form: str  # which form on the page: "schedule", "edit", "attendance", "ideas", "draft" (the summary), "approve"
    explained: Explained
    sent: dict[str, str] = field(default_factory=dict)
    rows: dict[int, Explained] = field(default_factory=dict)  # the ideas form: each bad row's reason

    @property
    def field(self) -> str:
        return self.explained.field


@dataclass(frozen=True)
class Standing:
    """Where the pre-brief or the summary stands: a short status word and a sentence with its dates."""

    status: str
    words: str
    detail: str


def meetings_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def meeting_view(request: Request, actor: Actor, meeting_id: int, *, refused: Refused | None = None) -> Response:
        try:
            shown = meeting_page(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        now = pages.clock.now()
        meeting = shown.meeting
        open_meeting = meeting.status is not MeetingStatus.CANCELLED
        # After the meeting has begun: its speaking balance from the room (names only for its coordinators).
        speaking = None
        if now >= meeting.starts_at:
            try:
                speaking = meeting_balance(meeting_id, actor=actor, uow=pages.uow_factory())
            except PermissionDenied:
                speaking = None
        return pages.page(
            request,
            "meeting.html",
            actor=actor,
            status=refused_status(refused),
            shown=shown,
            title=meeting_title(meeting, t),
            when=t.format_span(meeting.starts_at, meeting.end),
            place=content_in(meeting, "place", t.language) if meeting.place else None,
            online_url=web_link(meeting.online_url),
            tasks=[content_in(task, "text", t.language) for task in meeting.tasks],
            prebrief=prebrief_standing(shown, t),
            summary=summary_standing(shown, t),
            next_heading=t("What you need to do next") if shown.coordinates else t("What the coordinator does next"),
            next_step=next_step_words(shown, t, now=now),
            refused=refused,
            # What the coordinator may do now: attendance and the summary once the meeting has begun.
            begun=open_meeting and now >= meeting.starts_at,
            summary_open=open_meeting and now >= meeting.starts_at and meeting.summary_sent_at is None,
            idea_rows=range(1, IDEA_ROWS + 1),
            sent=refused.sent if refused else {},
            summary_values=refused.sent if refused and refused.form in ("draft", "approve") else summary_of(meeting),
            room_open=shown.coordinates and open_meeting,
            speaking=speaking,
            duration=lambda seconds: duration(seconds, t),
        )

    @router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
    def meeting(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return meeting_view(request, actor, meeting_id)

    def list_view(request: Request, actor: Actor, panel_id: int, template: str, **context: Any) -> Response:
        try:
            listed = panel_meetings(actor, panel_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        if template != "meeting_list.html" and not listed.coordinates:
            return pages.problem(request, PermissionDenied(actor.name, "may not schedule meetings"), actor=actor)
        return pages.page(
            request,
            template,
            actor=actor,
            listed=listed,
            names={row.meeting.stored_id: meeting_name(row.meeting, t) for row in listed.upcoming + listed.past},
            statuses=meeting_statuses(t),
            kinds=task_kinds(t),
            categories=task_categories(t),
            **context,
        )

    @router.get("/panels/{panel_id}/meetings", response_class=HTMLResponse)
    def meeting_list(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return list_view(request, actor, panel_id, "meeting_list.html")

    @router.get("/panels/{panel_id}/meetings/new", response_class=HTMLResponse)
    def schedule_form(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return list_view(request, actor, panel_id, "meeting_schedule.html", refused=None, sent={})

    @router.post("/panels/{panel_id}/meetings/new", response_class=HTMLResponse)
    async def schedule(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}/meetings/new")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "") for name in SCHEDULE_FIELDS}
        try:
            command = schedule_command(panel_id, sent, actor=actor)
            scheduled = schedule_meeting(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            refused = Refused("schedule", schedule_problem(problem, t, sent), sent)
            response = list_view(request, actor, panel_id, "meeting_schedule.html", refused=refused, sent=sent)
            response.status_code = refused_status(refused)
            return response
        request.session["flash"] = t("The meeting is scheduled.")
        return RedirectResponse(f"/meetings/{scheduled.stored_id}", status_code=303)

    @router.post("/meetings/{meeting_id}/attendance", response_class=HTMLResponse)
    async def attendance(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}#attendance")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            present = tuple(int(str(v)) for v in signed.form.getlist("present") if str(v).isdigit())
            command = RecordAttendance(meeting_id=meeting_id, present=present, actor=actor.name)
            attended = record_attendance(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            explained = Explained(t("Check the form"), attendance_problem(problem, t), field="present")
            return meeting_view(request, actor, meeting_id, refused=Refused("attendance", explained))
        request.session["flash"] = t.ngettext(
            "Attendance saved: {count} member attended.", "Attendance saved: {count} members attended.", len(attended)
        )
        return RedirectResponse(f"/meetings/{meeting_id}#attendance", status_code=303)

    @router.post("/meetings/{meeting_id}/ideas", response_class=HTMLResponse)
    async def ideas(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}#raise")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        form = signed.form
        sent = {
            f"{name}_{row}": str(form.get(f"{name}_{row}") or "")
            for row in range(1, IDEA_ROWS + 1)
            for name in ("title", "text", "service")
        }
        commands = {
            row: RaiseIdea(
                meeting_id=meeting_id,
                title=sent[f"title_{row}"],
                text=sent[f"text_{row}"].strip() or None,
                service=sent[f"service_{row}"] or None,
                actor=actor.name,
            )
            for row in range(1, IDEA_ROWS + 1)
            if sent[f"title_{row}"].strip() or sent[f"text_{row}"].strip()
        }
        if not commands:
            explained = Explained(t("Check the form"), t("Write at least one idea: its title, and a text if you like."))
            return meeting_view(request, actor, meeting_id, refused=Refused("ideas", explained, sent))
        # All or nothing: every row is first raised in a rehearsal that is never committed, and saved only if
        # none is refused.
        bad: dict[int, Explained] = {}
        for row, command in commands.items():
            try:
                raise_idea(command, uow=Rehearsal(pages.uow_factory()), clock=pages.clock)
            except PermissionDenied as problem:
                return pages.problem(request, problem, actor=actor)
            except DomainError as problem:
                bad[row] = idea_row_problem(problem, t, command)
        if bad:
            explained = Explained(
                t("Nothing was saved"),
                t.ngettext(
                    "{count} row could not be saved, so none of the ideas were saved. Correct it and save again.",
                    "{count} rows could not be saved, so none of the ideas were saved. Correct them and save again.",
                    len(bad),
                ),
                field=f"title_{min(bad)}",
            )
            return meeting_view(request, actor, meeting_id, refused=Refused("ideas", explained, sent, bad))
        for command in commands.values():
            raise_idea(command, uow=pages.uow_factory(), clock=pages.clock)
        request.session["flash"] = t.ngettext("{count} idea saved.", "{count} ideas saved.", len(commands))
        return RedirectResponse(f"/meetings/{meeting_id}#ideas-heading", status_code=303)

    @router.post("/meetings/{meeting_id}/summary", response_class=HTMLResponse)
    async def summary(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}#summary")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "") for name in SUMMARY_FIELDS}
        steps = tuple(_lines(sent["next_steps"]))
        # A summary is written whole, with its translations: those in the form (shown as they are) are sent.
        translations = given(
            text=(sent["summary_text_sv"].strip() or None, sent["summary_text_en"].strip() or None),
            next_steps=(_lines(sent["next_steps_sv"]) or None, _lines(sent["next_steps_en"]) or None),
        )
        try:
            command = DraftSummary(
                meeting_id=meeting_id,
                text=sent["summary_text"],
                next_steps=steps,
                translations=translations or None,
                actor=actor.name,
            )
            draft_summary(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            explained = summary_problem(problem, t, sent)
            return meeting_view(request, actor, meeting_id, refused=Refused("draft", explained, sent))
        request.session["flash"] = t("The summary draft is saved. Approve it when it is ready to go to the members.")
        return RedirectResponse(f"/meetings/{meeting_id}#summary", status_code=303)

    @router.post("/meetings/{meeting_id}/summary/approve", response_class=HTMLResponse)
    async def approve(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}#summary")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        acknowledge = signed.form.get("acknowledge_health") == "yes"
        try:
            command = ApproveSummary(meeting_id=meeting_id, actor=actor.name, acknowledge_health=acknowledge)
            approved = approve_summary(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            try:
                drafted = meeting_page(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock).meeting
            except DomainError as missing:
                return pages.problem(request, missing, actor=actor)
            sent = summary_of(drafted)
            explained = summary_problem(problem, t, sent)
            return meeting_view(request, actor, meeting_id, refused=Refused("approve", explained, sent))
        del approved
        request.session["flash"] = t("The summary is approved. It goes out to the members automatically.")
        return RedirectResponse(f"/meetings/{meeting_id}#summary", status_code=303)

    def edit_view(request: Request, actor: Actor, meeting_id: int, *, refused: Refused | None = None) -> Response:
        try:
            shown = meeting_page(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        if not shown.coordinates:
            return pages.problem(request, PermissionDenied(actor.name, "may not change the meeting"), actor=actor)
        t = pages.catalog(request, actor)
        return pages.page(
            request,
            "meeting_edit.html",
            actor=actor,
            status=refused_status(refused),
            shown=shown,
            title=meeting_title(shown.meeting, t),
            refused=refused,
            sent=refused.sent if refused else details_of(shown.meeting),
        )

    @router.get("/meetings/{meeting_id}/edit", response_class=HTMLResponse)
    def edit_form(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return edit_view(request, actor, meeting_id)

    @router.post("/meetings/{meeting_id}/edit", response_class=HTMLResponse)
    async def edit(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/edit")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "") for name in DETAIL_FIELDS}
        try:
            command = UpdateMeeting(
                meeting_id=meeting_id,
                title=sent["title"].strip(),
                place=sent["place"].strip(),
                online_url=sent["online_url"].strip(),
                agenda=tuple(_lines(sent["agenda"])),
                # Every translation is sent as it stands in the form: an emptied one is removed.
                translations=given(
                    title=(sent["title_sv"].strip(), sent["title_en"].strip()),
                    place=(sent["place_sv"].strip(), sent["place_en"].strip()),
                ),
                actor=actor.name,
            )
            update_meeting(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            return edit_view(
                request, actor, meeting_id, refused=Refused("edit", schedule_problem(problem, t, sent), sent)
            )
        request.session["flash"] = t("The meeting's details are saved.")
        return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)

    return router


SUMMARY_FIELDS = (
    "summary_text",
    "next_steps",
    "summary_text_sv",
    "summary_text_en",
    "next_steps_sv",
    "next_steps_en",
)


def summary_of(meeting: Meeting) -> dict[str, str]:
    """The summary form's values as the meeting has them now, its Swedish and English versions too."""

    def lines(value: object) -> str:
        if isinstance(value, str):
            return value
        return "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else ""

    return {
        "summary_text": meeting.summary,
        "next_steps": "\n".join(meeting.next_steps),
        **{
            f"{control}_{lang}": lines(meeting.translations.get(lang, name))
            for control, name in (("summary_text", "summary"), ("next_steps", "next_steps"))
            for lang in ("sv", "en")
        },
    }


DETAIL_FIELDS = ("title", "place", "online_url", "agenda", "title_sv", "title_en", "place_sv", "place_en")


def details_of(meeting: Meeting) -> dict[str, str]:
    """The edit form's values as the meeting has them now (its Swedish and English versions too)."""

    def translated(language: str, name: str) -> str:
        found = meeting.translations.get(language, name)
        return found if isinstance(found, str) else ""

    return {
        "title": meeting.title,
        "place": meeting.place,
        "online_url": meeting.online_url,
        "agenda": "\n".join(meeting.agenda),
        **{
            f"{name}_{language}": translated(language, name) for name in ("title", "place") for language in ("sv", "en")
        },
    }


class Rehearsal:
    """A unit of work whose commit writes nothing: a use case run in it checks everything it would check, and
    leaving it rolls everything back (the fast idea form saves its rows only when none is refused)."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    def __enter__(self) -> Rehearsal:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)  # type: ignore[arg-type]

    def commit(self) -> None:
        """Nothing is written: leaving the unit of work rolls back."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def refused_status(refused: Refused | None) -> int:
    return 200 if refused is None else 422


SCHEDULE_FIELDS = (
    "date",
    "time",
    "service",
    "tasks",
    "task_kind",
    "category",
    "title",
    "place",
    "online_url",
    "agenda",
    "late_reason",
    "title_sv",
    "title_en",
    "tasks_sv",
    "tasks_en",
)
# The use case's fields, by the schedule form's control they are about.
SCHEDULE_CONTROLS = {
    "at": "date",
    "service": "service",
    "task": "tasks",
    "task_kind": "task_kind",
    "category": "category",
    "title": "title",
    "place": "place",
    "online_url": "online_url",
    "agenda": "agenda",
    "reason": "late_reason",
    "translations.sv.title": "title_sv",
    "translations.en.title": "title_en",
    "translations.sv.task": "tasks_sv",
    "translations.en.task": "tasks_en",
    "translations.sv.place": "place_sv",
    "translations.en.place": "place_en",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def starts_at(date: str, time: str) -> datetime:
    """The form's day and time, in Helsinki."""
    if not time.strip():
        raise InvalidValue("at", "no time given")
    try:
        moment = datetime.fromisoformat(f"{date.strip()}T{time.strip()}")
    except ValueError:
        raise InvalidValue("at", "not a date and time") from None
    return moment.replace(tzinfo=PANEL_TZ) if moment.tzinfo is None else moment


def schedule_command(panel_id: int, sent: dict[str, str], *, actor: Actor) -> ScheduleMeeting:
    """The schedule form as the command ``raati meeting schedule`` gives the same use case."""
    starts = starts_at(sent["date"], sent["time"])  # the form's first field is checked first
    if not sent["service"].strip():
        raise InvalidValue("service", "required")
    translations = given(
        title=(sent["title_sv"].strip() or None, sent["title_en"].strip() or None),
        task=(_lines(sent["tasks_sv"]) or None, _lines(sent["tasks_en"]) or None),
    )
    return ScheduleMeeting(
        panel=str(panel_id),
        starts_at=starts,
        service=sent["service"],
        tasks=tuple(_lines(sent["tasks"])),
        task_kind=sent["task_kind"] or "question",
        category=sent["category"] or "other",
        place=sent["place"].strip(),
        online_url=sent["online_url"].strip() or None,
        title=sent["title"].strip() or None,
        agenda=tuple(_lines(sent["agenda"])),
        late_reason=sent["late_reason"].strip() or None,
        translations=translations or None,
        actor=actor.name,
    )


def schedule_labels(t: Catalog) -> dict[str, str]:
    return {
        "date": t("Day"),
        "time": t("Starts at"),
        "service": t("Leading service"),
        "tasks": t("Development tasks"),
        "task_kind": t("Kind of task"),
        "category": t("Category"),
        "title": t("Title"),
        "place": t("Place"),
        "online_url": t("Online meeting link"),
        "agenda": t("Agenda"),
        "late_reason": t("Reason for the short notice"),
        "title_sv": t("Title in Swedish"),
        "title_en": t("Title in English"),
        "tasks_sv": t("Tasks in Swedish"),
        "tasks_en": t("Tasks in English"),
        "place_sv": t("Place in Swedish"),
        "place_en": t("Place in English"),
    }


def invalid_words(error: InvalidValue, label: str, t: Catalog) -> str:
    """An invalid value in words, naming the form's field."""
    too_long = _TOO_LONG.search(error.reason)
    if too_long:
        return t(
            "“{field}” is {length} characters long; shorten it to at most {maximum}.",
            field=label,
            length=too_long.group(1),
            maximum=too_long.group(2),
        )
    if "required" in error.reason or error.reason == "is empty" or "at least one" in error.reason:
        return t("“{field}” is empty: fill it in.", field=label)
    if "single line" in error.reason:
        return t("Write “{field}” on a single line.", field=label)
    return t("Check “{field}”: it cannot be saved as it is.", field=label)


def schedule_problem(error: DomainError, t: Catalog, sent: dict[str, str]) -> Explained:
    """A refused schedule form in words, naming the control."""
    labels = schedule_labels(t)
    title = t("Check the form")
    raw = str(getattr(error, "field", ""))
    control = SCHEDULE_CONTROLS.get(re.sub(r"\[\d+\]$", "", raw), "form")
    if isinstance(error, NotFound) and error_about(error, "service"):
        return Explained(title, t("Choose the leading service from the list."), field="service")
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        renamed = type(error)("title", error.findings)
        return explain(renamed, t, text=sent.get(control, ""))
    if isinstance(error, InvalidValue):
        if raw == "at":
            if "future" in error.reason:
                return Explained(title, t("The meeting must start in the future."), field="date")
            if "days away" in error.reason:
                message = t(
                    "The meeting is less than 3 days away, so the members cannot get the pre-brief 3 days ahead. "
                    "Choose a later day, or write the reason for the short notice."
                )
                return Explained(title, message, field="date")
            return Explained(title, t("Give the day and the time the meeting starts."), field="date")
        if raw == "online_url":
            return Explained(title, t("The online meeting link must start with https://."), field="online_url")
        if raw.startswith("translations.") and "gives" in error.reason:
            message = t("Give as many translated tasks as Finnish ones, one per line, in the same order.")
            return Explained(title, message, field=control)
        if control in labels:
            return Explained(title, invalid_words(error, labels[control], t), field=control)
    return explain(error, t)


def error_about(error: NotFound, what: str) -> bool:
    return error.kind == what


def attendance_problem(error: DomainError, t: Catalog) -> str:
    reason = str(getattr(error, "reason", ""))
    if reason.endswith("was cancelled; nobody attended it"):  # domain.attendance's words
        return t("The meeting was cancelled, so nobody attended it.")
    if "not started" in reason:
        return t("Attendance is recorded once the meeting has started.")
    return t("Choose the members who attended from the list.")


def idea_row_problem(error: DomainError, t: Catalog, command: RaiseIdea) -> Explained:
    """What is wrong with one row of the fast idea form."""
    raw = str(getattr(error, "field", ""))
    labels = {"title": t("Title"), "text": t("Text"), "service": t("Suggested service")}
    control = raw.rsplit(".", 1)[-1] if raw.rsplit(".", 1)[-1] in labels else "title"
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        text = command.text or "" if control == "text" else command.title
        found = explain(type(error)(control, error.findings), t, text=text, may_acknowledge=False)
        return Explained(found.title, found.message, field=control, marks=found.marks, details=found.details)
    if isinstance(error, NotFound):
        return Explained(t("Check the form"), t("Choose the suggested service from the list."), field="service")
    if isinstance(error, InvalidValue):
        return Explained(t("Check the form"), invalid_words(error, labels[control], t), field=control)
    return explain(error, t)


_SUMMARY_FIELD = re.compile(r"(?:translations\.(sv|en)\.)?(summary|text|next_steps)(?:\[(\d+)\])?")


def summary_problem(error: DomainError, t: Catalog, values: dict[str, str]) -> Explained:
    """A refused summary (a draft or its approval) in words; the privacy guard's findings marked in the text (or
    the translation, or the next step) they were found in."""
    raw = str(getattr(error, "field", ""))
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        where = _SUMMARY_FIELD.fullmatch(raw)
        language, name, item = where.groups() if where else (None, "summary", None)
        control = ("next_steps" if name == "next_steps" else "summary_text") + (f"_{language}" if language else "")
        checked = values.get(control, "")
        if item is not None:
            lines = _lines(checked)
            checked = lines[int(item)] if int(item) < len(lines) else checked
        found = explain(type(error)("text", error.findings), t, text=checked)
        return Explained(
            found.title, found.message, field=control, marks=found.marks, health=found.health, details=found.details
        )
    if isinstance(error, InvalidValue):
        reason = error.reason
        if "write the summary" in reason:
            return Explained(t("Check the form"), t("Write the summary before approving it."), field="summary_text")
        if "has not been held" in reason:
            message = t("The summary is approved after the meeting has been held.")
            return Explained(t("Check the form"), message, field="summary_text")
        if "already been sent" in reason:
            message = t("The summary has already gone out to the members.")
            return Explained(t("Check the form"), message, field="summary_text")
        label = t("Next steps") if raw.startswith("next_steps") else t("Summary for the members")
        control = "next_steps" if raw.startswith("next_steps") else "summary_text"
        return Explained(t("Check the form"), invalid_words(error, label, t), field=control)
    return explain(error, t)


def task_kinds(t: Catalog) -> dict[str, str]:
    return {
        TaskKind.QUESTION.value: t("A question to the members"),
        TaskKind.MATERIAL.value: t("Material to comment on"),
    }


def task_categories(t: Catalog) -> dict[str, str]:
    return {
        TaskCategory.COMMUNICATIONS.value: t("Communications"),
        TaskCategory.WEB_SERVICES.value: t("Web services"),
        TaskCategory.CUSTOMER_INSTRUCTIONS.value: t("Customer instructions"),
        TaskCategory.OTHER.value: t("Other"),
    }


def meeting_name(meeting: Meeting, t: Catalog) -> str:
    """A meeting on a list: its date and what it is about ("19.10.2026 — Omaolon ohjeet")."""
    date = t.format_date(meeting.starts_at.astimezone(PANEL_TZ).date())
    about = meeting.display_title_in(t.language) if t.language != "fi" else None
    about = about or meeting.display_title
    return f"{date} — {about}" if about else date


def meeting_title(meeting: Meeting, t: Catalog) -> Content:
    """The meeting's title in the page's language where translated; a meeting without one is named by its date."""
    translated = meeting.display_title_in(t.language) if t.language != "fi" else None
    if translated:
        return Content(translated, t.language)
    if meeting.display_title:
        return content_in({"title": meeting.display_title}, "title", t.language)
    return Content(t("Meeting on {date}", date=day(t, meeting.starts_at)), t.language)


def web_link(url: str) -> str | None:
    """An online meeting's link, only if it is a web address (never a ``javascript:`` href)."""
    cleaned = url.strip()
    return cleaned if cleaned.lower().startswith(("https://", "http://")) and " " not in cleaned else None


def day(t: Catalog, moment: datetime) -> str:
    """A due date in running text: the short weekday and the date in Helsinki ("pe 22.1.2027", "fre 22.1.2027",
    "Fri 22 January 2027"); a short weekday reads right in any case of a Finnish sentence."""
    pattern = t.pgettext("format", "EEE d MMMM y")
    return babel_date(moment.astimezone(PANEL_TZ).date(), format=pattern, locale=t.locale)


def prebrief_standing(shown: MeetingPage, t: Catalog) -> Standing:
    status = shown.prebrief
    sent = shown.meeting.prebrief_sent_at
    if sent is not None:
        detail = t("Sent to the members on {when}.", when=t.format_datetime(sent))
    elif status == "not_needed":
        detail = t("Not needed: the meeting was cancelled.")
    elif status == "late":
        detail = t("Not sent. It should have reached the members by {date}.", date=day(t, shown.prebrief_deadline))
    else:
        detail = t(
            "Goes out to the members on {date}, and must reach them by {deadline} at the latest.",
            date=day(t, shown.prebrief_goes_out),
            deadline=day(t, shown.prebrief_deadline),
        )
    return Standing(status, meeting_statuses(t)[status], detail)


def summary_standing(shown: MeetingPage, t: Catalog) -> Standing:
    meeting, status = shown.meeting, shown.summary
    if meeting.summary_sent_at is not None and shown.summary_recipients is not None:
        detail = t.ngettext(
            "Sent on {when} to {count} member.",
            "Sent on {when} to {count} members.",
            shown.summary_recipients,
            when=t.format_datetime(meeting.summary_sent_at),
        )
    elif meeting.summary_sent_at is not None:
        detail = t("Sent to the members on {when}.", when=t.format_datetime(meeting.summary_sent_at))
    elif status == "not_needed":
        detail = t("Not needed: the meeting was cancelled.")
    elif meeting.summary_approved_at is not None:
        detail = t(
            "Approved on {when}. It goes out to the members automatically.",
            when=t.format_datetime(meeting.summary_approved_at),
        )
    elif shown.summary_written:
        detail = t("A draft is written but not yet approved. Due by {date}.", date=day(t, shown.summary_due))
    else:
        detail = t("Not written yet. Due by {date}.", date=day(t, shown.summary_due))
    return Standing(status, meeting_statuses(t)[status], detail)


def next_step_words(shown: MeetingPage, t: Catalog, *, now: datetime) -> str:
    """The next step in a sentence: what is due and by when, never how in the terminal."""
    summary_due = day(t, shown.summary_due)
    late = shown.summary == "late"
    step = shown.next_step
    if step is NextStep.CANCELLED:
        return t("The meeting was cancelled. Nothing is left to do.")
    if step is NextStep.ADD_PLACE:
        return t(
            "Add the meeting's place or online link by {date}, so that the members get the pre-brief "
            "at least three days before the meeting.",
            date=day(t, shown.prebrief_deadline),
        )
    if step is NextStep.PREBRIEF_LATE:
        return t(
            "The pre-brief is late. Add the meeting's place or online link now, so that the members still hear "
            "of the meeting."
        )
    if step is NextStep.PREBRIEF_COMING:
        if now >= shown.prebrief_goes_out:
            return t("Nothing to do now: the pre-brief is on its way to the members.")
        return t(
            "Nothing to do now: the pre-brief goes out to the members automatically on {date}. "
            "Check the meeting's details before then.",
            date=day(t, shown.prebrief_goes_out),
        )
    if step is NextStep.PREBRIEF_SENT:
        return t(
            "Nothing to do before the meeting. After it, write and approve the summary by {date}.", date=summary_due
        )
    if step is NextStep.UNDER_WAY:
        return t("The meeting is under way. After it, write and approve the summary by {date}.", date=summary_due)
    if step is NextStep.WRITE_SUMMARY:
        if late:
            return t(
                "The summary is late: it was due by {date}. Write and approve it as soon as you can.", date=summary_due
            )
        return t("Write and approve the summary by {date}.", date=summary_due)
    if step is NextStep.APPROVE_SUMMARY:
        if late:
            return t("The summary is late: it was due by {date}. Approve it as soon as you can.", date=summary_due)
        return t("Approve the summary by {date}, so that it goes out to the members.", date=summary_due)
    if step is NextStep.SUMMARY_GOING:
        return t("Nothing to do: the approved summary goes out to the members automatically.")
    return t("Nothing left to do: the summary has gone out to the members.")
