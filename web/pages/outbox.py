"""The outbox page (``/outbox``): delivery health per panel, the failed mail with its reasons in words, and the
retry buttons, which call ``raati outbox retry``'s use case (``application.mail_retry``)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.mail_retry import RetryMail, retry_failed_mail
from application.reads import outbox_page as read
from domain.errors import DomainError
from notifications import kinds
from notifications.i18n import Catalog
from notifications.outbox import OutboxStatus
from web.pages.context import Pages, SignedForm, sign_in_redirect


def kind_names(t: Catalog) -> dict[str, str]:
    """Each kind of mail as a coordinator calls it."""
    return {
        kinds.IDEA_UPDATE: t("News of an idea"),
        kinds.IDEA_SENT_TO_SERVICE: t("An idea sent to a service"),
        kinds.PREBRIEF: t("Pre-brief"),
        kinds.SUMMARY: t("Meeting summary"),
        kinds.WELCOME: t("Welcome mail"),
        kinds.REMINDER: t("Reminder to a service"),
        kinds.ESCALATION: t("Overdue ideas to the coordinator"),
        kinds.DIGEST: t("Weekly digest"),
        kinds.SURVEY_INVITATION: t("Survey invitation"),
        kinds.PROGRESS_REPORT: t("Progress report"),
        kinds.TOPIC_WISH_SCHEDULED: t("Topic wish on the agenda"),
        kinds.SIGN_IN_LINK: t("Sign-in link"),
        kinds.STAFF_WELCOME: t("Welcome mail to staff"),
        kinds.TOPIC_WISH_DECLINED: t("Topic wish declined"),
        kinds.MEETING_RESCHEDULED: t("Meeting moved"),
        kinds.MEETING_CANCELLED: t("Meeting cancelled"),
    }


def reason_texts(t: Catalog) -> dict[str, str]:
    """What went wrong, in a coordinator's words (``read.reason_kind`` sorts the stored reasons into these)."""
    return {
        read.ADDRESS: t("The address does not exist or takes no mail. Check the address with the recipient."),
        read.REFUSED: t("The receiving mail server refused the message."),
        read.GAVE_UP: t("The mail server could not be reached; sending stopped after several tries."),
        read.OTHER: t("The message could not be sent."),
    }


def outbox_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/outbox", response_class=HTMLResponse)
    def outbox(
        request: Request,
        panel: Annotated[int | None, Query(ge=1)] = None,
        status: Annotated[str, Query(max_length=16)] = "",
    ) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        t = pages.catalog(request, actor)
        wrong = ""
        if status.strip() not in read.STATUSES:
            # A filter the page does not know: the page unfiltered by it, the filter named (422), nothing else.
            wrong, status = t("“Show” can be every panel's delivery or only mail that could not be delivered."), ""
        try:
            shown = read.outbox_page(
                actor, panel_id=panel, status=status.strip(), uow=pages.uow_factory(), clock=pages.clock
            )
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        return pages.page(
            request,
            "outbox.html",
            actor=actor,
            status=422 if wrong else 200,
            wrong=wrong,
            shown=shown,
            kind_names=kind_names(t),
            reasons=reason_texts(t),
            here=_address(shown.panel_id, shown.status),
            FAILED=OutboxStatus.FAILED,
            PENDING=OutboxStatus.PENDING,
            SENT=OutboxStatus.SENT,
            CANCELLED=OutboxStatus.CANCELLED,
        )

    @router.post("/outbox/retry")
    async def retry(request: Request) -> Response:
        signed = await pages.signed_form(request, back="/outbox")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t, form = signed.current.actor, signed.t, signed.form
        panel = str(form.get("panel") or "").strip()
        row = str(form.get("id") or "").strip()
        back = _address(int(panel) if panel.isdigit() else None, str(form.get("status") or "").strip())
        try:
            count = retry_failed_mail(
                RetryMail(ids=(row,) if row else None, panel=panel or None),
                actor=actor,
                uow=pages.uow_factory(),
                clock=pages.clock,
            )
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        request.session["flash"] = (
            t.ngettext(
                "{count} message is back in the queue and goes out at the next sending.",
                "{count} messages are back in the queue and go out at the next sending.",
                count,
            )
            if count
            else t("Nothing was put back in the queue: the message is no longer waiting to be sent again.")
        )
        return RedirectResponse(back, status_code=303)

    return router


def _address(panel_id: int | None, status: str) -> str:
    """The page's own address with its filters, to come back to after a retry."""
    given = {"panel": str(panel_id or ""), "status": status if status in read.STATUSES else ""}
    query = urlencode({name: value for name, value in given.items() if value})
    return "/outbox" + (f"?{query}" if query else "")
