"""The survey answer page behind a one-time link: ``GET``/``POST /survey/{token}`` in the member's language.

No CSRF token and no session: the link's own token is single use and is the only thing that authorises the
form, and an anonymous answer gets no cookie. An unknown link gives 404 (in the browser's language: whose it is
cannot be known), a used link or a closed survey 410, a form with a missing choice 422 (the form again, with
what to fix); nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.ports.unit_of_work import Clock, UnitOfWork
from application.surveys import AnswerSurvey, SurveyLink, answer_survey, survey_for_token
from domain.errors import InvalidValue
from domain.survey_scoring import BANDS
from domain.surveys import SKIP, InvalidAnswer, SurveyClosed, SurveyLinkUsed, UnknownSurveyLink
from notifications.i18n import Catalog, negotiate
from web.pages.survey_results import agreement_labels
from web.rendering import catalog_for, render_html

MAX_BODY = 64_000


def _html(template: str, t: Catalog, *, status: int = 200, **context: Any) -> HTMLResponse:
    html = render_html(f"member/{template}", t, links={}, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Language": t.language})


def _message(t: Catalog, title: str, message: str, *, status: int, role: str = "") -> HTMLResponse:
    return _html("survey_message.html", t, status=status, title=title, message=message, role=role)


def problem_messages(error: InvalidValue | None, t: Catalog) -> list[tuple[str, str]]:
    """(message, field id) for each kind of problem; every unanswered statement shares one line."""
    if error is None:
        return []
    problems = error.problems if isinstance(error, InvalidAnswer) else (error,)
    messages: dict[str, str] = {}
    for problem in problems:
        kind = problem.field.split("_")[0]
        if kind == "statement":
            text = t("Choose an option, or “I'd rather not answer”, for every statement.")
        elif kind == "recommendation":
            text = t("Choose a number from 1 to 10, or “I'd rather not answer”.")
        elif kind == "comment":
            text = t("Remove contact details and identity codes from your comment so that it stays anonymous.")
        else:
            text = t("The form was out of date. Please reload the page.")
        messages.setdefault(text, problem.field)
    return list(messages.items())


def _form(
    link: SurveyLink,
    action: str,
    *,
    values: Mapping[str, str] | None = None,
    error: InvalidValue | None = None,
    status: int = 200,
) -> HTMLResponse:
    t = catalog_for(link.language)
    problems = error.problems if isinstance(error, InvalidAnswer) else (error,) if error is not None else ()
    return _html(
        "survey.html",
        t,
        status=status,
        survey=link.survey,
        action=action,
        values=values or {},
        wrong={p.field for p in problems},
        messages=problem_messages(error, t),
        options=[*agreement_labels(t).items(), (SKIP, t("I'd rather not answer"))],
        numbers=list(range(BANDS[0][1], BANDS[-1][2] + 1)),
        skip=SKIP,
    )


def survey_router(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> APIRouter:
    router = APIRouter()

    def look_up(token: str, request: Request) -> SurveyLink | HTMLResponse:
        try:
            link = survey_for_token(token, uow=uow_factory(), clock=clock)
        except UnknownSurveyLink:
            t = catalog_for(negotiate(request.headers.get("accept-language")))
            message = t("This survey link is not known. Please check that you copied the whole link from the email.")
            return _message(t, t("Link not found"), message, status=404)
        if link.used:
            return _gone(link.language, "used")
        if not link.accepts_answers:
            return _gone(link.language, "closed")
        return link

    @router.get("/survey/{token}", response_class=HTMLResponse)
    def show(token: str, request: Request) -> HTMLResponse:
        found = look_up(token, request)
        if isinstance(found, HTMLResponse):
            return found
        return _form(found, str(request.url.path))

    @router.post("/survey/{token}", response_class=HTMLResponse)
    async def submit(token: str, request: Request) -> HTMLResponse:
        found = look_up(token, request)
        if isinstance(found, HTMLResponse):
            return found
        t = catalog_for(found.language)
        body = await request.body()
        if len(body) > MAX_BODY:
            return _message(t, found.survey.title, t("The answer was too long."), status=413, role="alert")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        count = len(found.survey.statements)
        try:
            answer_survey(
                AnswerSurvey(
                    token=token,
                    agreements=tuple(form.get(f"statement_{i}") for i in range(1, count + 1)),
                    recommendation=form.get("recommendation"),
                    comment=form.get("comment"),
                ),
                uow=uow_factory(),
                clock=clock,
            )
        except InvalidValue as error:
            return _form(found, str(request.url.path), values=form, error=error, status=422)
        except SurveyLinkUsed:  # another tab or a double click got there first
            return _gone(found.language, "used")
        except SurveyClosed:
            return _gone(found.language, "closed")
        thanks = t("Thank you for your answers! They have been stored anonymously.")
        return _message(t, t("Thank you!"), thanks, status=200, role="status")

    return router


def _gone(language: str, why: str) -> HTMLResponse:
    t = catalog_for(language)
    if why == "used":
        title = t("This link has been used")
        message = t("This link has already been used to answer, and the answer is stored. Each link works only once.")
    else:
        title = t("The survey has closed")
        message = t("The survey has closed and takes no more answers. Thank you for your interest!")
    return _message(t, title, message, status=410)
