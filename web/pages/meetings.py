"""The meeting page (``/meetings/{id}``), where staff mail about a meeting's pre-brief or summary leads: the meeting,
where its pre-brief and summary stand, the ideas raised in it, and what the coordinator does next, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date as babel_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from application.reads.meeting_page import MeetingPage, NextStep, meeting_page
from application.timezone import PANEL_TZ
from domain.errors import DomainError
from domain.meetings import Meeting
from notifications.content import Content
from notifications.i18n import Catalog
from web.pages.context import Pages, sign_in_redirect
from web.pages.staff import meeting_statuses
from web.rendering import content_in


@dataclass(frozen=True)
class Standing:
    """Where the pre-brief or the summary stands: a short status word and a sentence with its dates."""

    status: str
    words: str
    detail: str


def meetings_router(pages: Pages) -> APIRouter:
    router = APIRouter()

    @router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
    def meeting(request: Request, meeting_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            shown = meeting_page(actor, meeting_id, uow=pages.uow_factory(), clock=pages.clock)
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        now = pages.clock.now()
        return pages.page(
            request,
            "meeting.html",
            actor=actor,
            shown=shown,
            title=meeting_title(shown.meeting, t),
            when=t.format_span(shown.meeting.starts_at, shown.meeting.end),
            place=content_in(shown.meeting, "place", t.language) if shown.meeting.place else None,
            online_url=web_link(shown.meeting.online_url),
            tasks=[content_in(task, "text", t.language) for task in shown.meeting.tasks],
            prebrief=prebrief_standing(shown, t),
            summary=summary_standing(shown, t),
            next_heading=t("What you need to do next") if shown.coordinates else t("What the coordinator does next"),
            next_step=next_step_words(shown, t, now=now),
        )

    return router


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
    if meeting.summary_sent_at is not None:
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
