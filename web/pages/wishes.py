"""A panel's topic wishes (``/panels/{id}/wishes``): the list with where each stands, and the coordinator's forms to
put one on a coming meeting's agenda, decline one with a note to its member, or record one on a member's behalf.

Each form calls the use case its command calls: ``raati wish schedule`` / ``wish decline`` / ``wish add``. Who may
read the page is ``permissions.participation_panel``'s answer (coordinators of the panel, managers); members'
names only for whom ``may_read_personal_data``."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.participation.topic_wishes import (
    AddTopicWish,
    DeclineTopicWish,
    ScheduleTopicWish,
    add_topic_wish,
    decline_topic_wish,
    schedule_topic_wish,
)
from application.reads.participation_pages import wishes_page
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
from domain.meetings import Meeting
from domain.topic_wishes import WishStatus
from notifications.i18n import Catalog
from web.errors import Mark, found_details, marked
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.meetings import meeting_name
from web.pages.panels import FormProblem, field_problem


@dataclass(frozen=True)
class Refused(FormProblem):
    """A refused wish form, with the privacy guard's findings marked in the text it sent."""

    marks: tuple[Mark, ...] = ()
    health: bool = False  # health details a coordinator may confirm (a checkbox appears)


def wish_labels(t: Catalog) -> dict[str, str]:
    """Each control of the wish forms (and the field a use case names for it) as the form calls it."""
    return {
        "note": t("Note to the member"),
        "text": t("The topic"),
        "meeting": t("Meeting"),
        "member": t("Whose wish"),
    }


def refusal(error: DomainError, t: Catalog, *, form: str, control: str, sent: dict[str, str]) -> Refused:
    """A use case's refusal in the form's words, on the control it is about."""
    labels = wish_labels(t)
    label = labels[control]
    text = sent.get(control, "")
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        details = t.format_list(found_details(error.findings, t))
        marks = marked(text.strip(), error.findings, t)
        if isinstance(error, PrivacyBlocked):
            message = t(
                "“{field}” contains {details}. Messages to the members must not identify anyone: "
                "remove the highlighted words and save again.",
                field=label,
                details=details,
            )
            return Refused(form, control, message, sent, marks=marks)
        message = t(
            "“{field}” mentions {details}. Members discuss health only in general terms: remove the highlighted "
            "words, or, as the panel's coordinator, confirm below that they may be sent.",
            field=label,
            details=details,
        )
        return Refused(form, control, message, sent, marks=marks, health=True)
    reason = str(getattr(error, "reason", ""))
    if isinstance(error, InvalidValue) and error.field == "wish":
        message = t("This wish has already been dealt with: it is on a meeting's agenda or declined.")
    elif control == "meeting" and "already on the agenda" in reason:
        message = t("The wish is already on the agenda of this meeting.")
    elif control == "meeting":
        message = t("Choose a coming meeting of this panel from the list.")
    elif control == "member":
        message = t("Choose a member of this panel from the list.")
    else:
        _, message = field_problem(error, t, labels, default=control)
    return Refused(form, control, message, sent)


def wishes_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    def page(request: Request, actor: Actor, panel_id: int, *, problem: Refused | None = None) -> Response:
        t = pages.catalog(request, actor)
        try:
            shown = wishes_page(actor, panel_id, now=pages.clock.now(), uow=pages.uow_factory())
        except DomainError as error:
            return pages.problem(request, error, actor=actor)

        def meeting_label(meeting: Meeting) -> str:
            return meeting_name(meeting, t)

        return pages.page(
            request,
            "wishes.html",
            actor=actor,
            status=422 if problem else 200,
            shown=shown,
            problem=problem or Refused(),
            statuses=WishStatus,
            meeting_label=meeting_label,
            day=lambda moment: t.format_date(moment.astimezone(PANEL_TZ).date()),
        )

    @router.get("/panels/{panel_id}/wishes", response_class=HTMLResponse)
    def wishes(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return page(request, actor, panel_id)

    @router.post("/panels/{panel_id}/wishes/{wish_id}/schedule")
    async def schedule(request: Request, panel_id: int, wish_id: int) -> Response:
        back = f"/panels/{panel_id}/wishes"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {"meeting": str(signed.form.get("meeting") or "").strip()}
        form = f"schedule-{wish_id}"
        try:
            _same_panel(pages, actor, panel_id, wish_id)
            if not sent["meeting"].isdigit():
                raise InvalidValue("meeting", "is required and may not be empty")
            result = schedule_topic_wish(
                ScheduleTopicWish(wish_id=wish_id, meeting_id=int(sent["meeting"]), actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            if isinstance(error, NotFound) and error.field == "meeting":
                return page(
                    request, actor, panel_id, problem=refusal(error, t, form=form, control="meeting", sent=sent)
                )
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            return page(request, actor, panel_id, problem=refusal(error, t, form=form, control="meeting", sent=sent))
        if result.queued_notifications:
            request.session["flash"] = t("The wish is on the meeting's agenda. Its member will be told by email.")
        else:
            request.session["flash"] = t("The wish is on the meeting's agenda.")
        return RedirectResponse(f"{back}#wish-{wish_id}", status_code=303)

    @router.post("/panels/{panel_id}/wishes/{wish_id}/decline")
    async def decline(request: Request, panel_id: int, wish_id: int) -> Response:
        back = f"/panels/{panel_id}/wishes"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {"note": str(signed.form.get("note") or "")[:10000]}
        acknowledge = signed.form.get("acknowledge_health") == "yes"
        form = f"decline-{wish_id}"
        try:
            _same_panel(pages, actor, panel_id, wish_id)
            result = decline_topic_wish(
                DeclineTopicWish(wish_id=wish_id, note=sent["note"], acknowledge_health=acknowledge, actor=actor.name),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except (PermissionDenied, NotFound) as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            return page(request, actor, panel_id, problem=refusal(error, t, form=form, control="note", sent=sent))
        if result.queued_notifications:
            request.session["flash"] = t("The wish is declined. Its member will be told why by email.")
        else:
            request.session["flash"] = t("The wish is declined.")
        return RedirectResponse(f"{back}#wish-{wish_id}", status_code=303)

    @router.post("/panels/{panel_id}/wishes")
    async def add(request: Request, panel_id: int) -> Response:
        back = f"/panels/{panel_id}/wishes"
        signed = await pages.signed_form(request, back=back)
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {
            "text": str(signed.form.get("text") or "")[:10000],
            "member": str(signed.form.get("member") or "").strip(),
        }
        try:
            if sent["member"] and not sent["member"].isdigit():
                raise InvalidValue("member", "is not a member id")
            wish = add_topic_wish(
                AddTopicWish(
                    panel=str(panel_id),
                    text=sent["text"],
                    member_id=int(sent["member"]) if sent["member"] else None,
                    actor=actor.name,
                ),
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except PermissionDenied as error:
            return pages.problem(request, error, actor=actor)
        except DomainError as error:
            control = "member" if getattr(error, "field", "") == "member" else "text"
            return page(request, actor, panel_id, problem=refusal(error, t, form="add", control=control, sent=sent))
        request.session["flash"] = t("The wish is recorded.")
        return RedirectResponse(f"{back}#wish-{wish.id}", status_code=303)

    return router


def _same_panel(pages: Pages, actor: Actor, panel_id: int, wish_id: int) -> None:
    """A wish is changed only through its own panel's page (another panel's wish is not found here)."""
    shown = wishes_page(actor, panel_id, now=pages.clock.now(), uow=pages.uow_factory())
    if not shown.coordinates:
        raise PermissionDenied(actor.name, f"is not a coordinator of panel {panel_id}")
    if wish_id not in {line.wish.id for line in shown.wishes}:
        raise NotFound("wish", wish_id)
