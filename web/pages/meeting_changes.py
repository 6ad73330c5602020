"""Moving and cancelling a meeting in the browser (``/meetings/{id}/reschedule``, ``/meetings/{id}/cancel``): each
a page that says beforehand who will be told, over the use cases ``raati meeting reschedule/cancel`` call."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.commands import CancelMeeting, RescheduleMeeting
from application.meetings.rescheduling import ChangePreview, cancel_meeting, change_preview, reschedule_meeting
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import DomainError, HealthDetailsNeedAcknowledgement, InvalidValue, PermissionDenied, PrivacyBlocked
from notifications.i18n import Catalog
from web.errors import Explained, explain
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.meetings import Refused, invalid_words, meeting_title, refused_status, starts_at

RESCHEDULE_FIELDS = ("date", "time", "ends", "late_reason")


def meeting_changes_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def view(request: Request, actor: Actor, meeting_id: int, template: str, *, refused: Refused | None = None,
             sent: dict[str, str] | None = None) -> Response:  # fmt: skip
        try:
            preview = change_preview(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        meeting = preview.meeting
        return pages.page(
            request,
            template,
            actor=actor,
            status=refused_status(refused),
            preview=preview,
            title=meeting_title(meeting, t),
            when=t.format_span(meeting.starts_at, meeting.end),
            telling=telling(preview, t, cancelling=template == "meeting_cancel.html"),
            refused=refused,
            sent=sent if sent is not None else current_time(preview),
        )

    @router.get("/meetings/{meeting_id}/reschedule", response_class=HTMLResponse)
    def reschedule_form(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return view(request, actor, meeting_id, "meeting_reschedule.html")

    @router.post("/meetings/{meeting_id}/reschedule", response_class=HTMLResponse)
    async def reschedule(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/reschedule")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "") for name in RESCHEDULE_FIELDS}
        try:
            new_start = starts_at(sent["date"], sent["time"])
            command = RescheduleMeeting(
                meeting_id=meeting_id,
                starts_at=new_start,
                ends_at=ends_at(new_start, sent["ends"]),
                late_reason=sent["late_reason"].strip() or None,
                actor=actor.name,
            )
            changed = reschedule_meeting(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            refused = Refused("reschedule", reschedule_problem(problem, t), sent)
            return view(request, actor, meeting_id, "meeting_reschedule.html", refused=refused, sent=sent)
        if changed.members_told:
            request.session["flash"] = t.ngettext(
                "The meeting is moved. {count} member is told of the new time by email.",
                "The meeting is moved. {count} members are told of the new time by email.",
                changed.members_told,
            )
        else:
            request.session["flash"] = t("The meeting is moved. The pre-brief will tell the members the new time.")
        return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)

    @router.get("/meetings/{meeting_id}/cancel", response_class=HTMLResponse)
    def cancel_form(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return view(request, actor, meeting_id, "meeting_cancel.html", sent={"reason": ""})

    @router.post("/meetings/{meeting_id}/cancel", response_class=HTMLResponse)
    async def cancel(request: Request, meeting_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/meetings/{meeting_id}/cancel")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {"reason": str(signed.form.get("reason") or "")}
        try:
            command = CancelMeeting(meeting_id=meeting_id, reason=sent["reason"], actor=actor.name)
            changed = cancel_meeting(command, uow=pages.uow_factory(), clock=pages.clock)
        except PermissionDenied as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            refused = Refused("cancel", cancel_problem(problem, t, sent["reason"]), sent)
            return view(request, actor, meeting_id, "meeting_cancel.html", refused=refused, sent=sent)
        request.session["flash"] = t.ngettext(
            "The meeting is cancelled. {count} member is told by email.",
            "The meeting is cancelled. {count} members are told by email.",
            changed.members_told,
        )
        return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)

    return router


def current_time(preview: ChangePreview) -> dict[str, str]:
    """The reschedule form's fields as the meeting stands now (Helsinki time)."""
    meeting = preview.meeting
    local = meeting.starts_at.astimezone(PANEL_TZ)
    ends = meeting.ends_at.astimezone(PANEL_TZ).strftime("%H:%M") if meeting.ends_at else ""
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "ends": ends, "late_reason": ""}


def ends_at(start: datetime, time: str) -> datetime | None:
    """The form's end time on the new day; empty keeps the meeting's length."""
    if not time.strip():
        return None
    try:
        moment = datetime.fromisoformat(f"{start.astimezone(PANEL_TZ).date().isoformat()}T{time.strip()}")
    except ValueError:
        raise InvalidValue("ends_at", "not a time") from None
    return moment.replace(tzinfo=PANEL_TZ)


def telling(preview: ChangePreview, t: Catalog, *, cancelling: bool) -> str:
    """Who hears of the change, said before it is made."""
    count = preview.recipients
    if cancelling:
        return t.ngettext(
            "{count} member is told by email that the meeting is cancelled and why, and the meeting is removed "
            "from their calendar if they saved it there. The meeting gets no pre-brief and no summary.",
            "{count} members are told by email that the meeting is cancelled and why, and the meeting is removed "
            "from their calendars if they saved it there. The meeting gets no pre-brief and no summary.",
            count,
        )
    if preview.prebrief_sent:
        return t.ngettext(
            "The pre-brief has gone out, so {count} member is told of the new time by email, and the entry in "
            "their calendar moves with it.",
            "The pre-brief has gone out, so {count} members are told of the new time by email, and the entries in "
            "their calendars move with it.",
            count,
        )
    return t(
        "The pre-brief has not gone out yet, so nobody is mailed now: the pre-brief tells the members the new time."
    )


def not_coming(t: Catalog) -> Explained:
    return Explained(
        t("Check the form"), t("The meeting has already begun, been held or been cancelled, so it cannot be changed.")
    )


def reschedule_problem(error: DomainError, t: Catalog) -> Explained:
    """A refused move in words, naming the form's field."""
    title = t("Check the form")
    if isinstance(error, InvalidValue):
        reason = error.reason
        if error.field == "meeting":
            return not_coming(t)
        if error.field == "at":
            if "future" in reason:
                return Explained(title, t("The meeting must start in the future."), field="date")
            if "days away" in reason:
                message = t(
                    "The new time is less than 3 days away, so the members cannot hear of it 3 days ahead. "
                    "Choose a later day, or write the reason for the short notice."
                )
                return Explained(title, message, field="date")
            if "already" in reason:
                return Explained(title, t("The meeting is at this time already: choose another day or time."),
                                 field="date")  # fmt: skip
            return Explained(title, t("Give the day and the time the meeting starts."), field="date")
        if error.field == "ends_at":
            return Explained(title, t("The meeting must end after it starts, on the same day."), field="ends")
        if error.field == "reason":
            return Explained(title, invalid_words(error, t("Reason for the short notice"), t), field="late_reason")
    return explain(error, t)


def cancel_problem(error: DomainError, t: Catalog, reason: str) -> Explained:
    """A refused cancellation in words: the reason the members read, with any personal details marked in it."""
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        found = explain(type(error)("reason", error.findings), t, text=reason, may_acknowledge=False)
        return Explained(found.title, found.message, field="reason", marks=found.marks, details=found.details)
    if isinstance(error, InvalidValue):
        if error.field == "meeting":
            return not_coming(t)
        return Explained(t("Check the form"), invalid_words(error, t("Reason for the members"), t), field="reason")
    return explain(error, t)
