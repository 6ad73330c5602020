"""The survey answer page behind a one-time link: ``GET``/``POST /survey/{token}`` in the member's language.

No CSRF token: the link's own token is single use and is the only thing that authorises the form. An
unknown link gives 404, a used link or a closed survey 410, a form with a missing choice 422 (the form
again, with what to fix); nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from application.ports.unit_of_work import Clock, UnitOfWork
from application.surveys import AnswerSurvey, SurveyLink, answer_survey, survey_for_token
from domain.errors import InvalidValue
from domain.survey_scoring import BANDS
from domain.surveys import (
    AGREEMENT_LABELS,
    SKIP,
    Agreement,
    InvalidAnswer,
    SurveyClosed,
    SurveyLinkUsed,
    UnknownSurveyLink,
)
from web.pages.survey_texts import TEXTS, UNKNOWN_PAGE

MAX_BODY = 64_000


def _page(language: str, title: str, body: str, *, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.5;color:#1a1a1a}fieldset{border:1px solid #767676;border-radius:4px;margin:0 0 1.2rem;"
        "padding:.6rem 1rem}legend{font-weight:600;padding:0 .3rem}.choice{margin:.3rem 0}"
        ".scale{display:flex;flex-wrap:wrap;gap:.2rem 1rem}"
        "input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:middle}"
        "textarea{width:100%;font:inherit}.error{color:#a00000;font-weight:600}"
        "[aria-invalid=true]{border:2px solid #a00000}"
        "button{font-size:1rem;padding:.6rem 1.2rem;background:#0000bf;color:#fff;border:0;border-radius:4px;"
        "cursor:pointer}:focus-visible{outline:3px solid #ffbf00;outline-offset:2px}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _radio(name: str, value: str, label: str, *, chosen: str | None, describedby: str = "") -> str:
    ident = f"{name}-{value}"
    checked = " checked" if chosen == value else ""
    described = f' aria-describedby="{describedby}"' if describedby else ""
    return (
        f'<div class="choice"><input type="radio" id="{ident}" name="{name}" value="{escape(value)}"'
        f'{checked}{described}> <label for="{ident}">{escape(label)}</label></div>'
    )


def _form(
    link: SurveyLink, action: str, *, values: Mapping[str, str] | None = None, error: InvalidValue | None = None
) -> str:
    t = TEXTS[link.language]
    values = values or {}
    problems = error.problems if isinstance(error, InvalidAnswer) else (error,) if error is not None else ()
    wrong = {p.field for p in problems}
    parts = []
    if problems:
        # One line per kind of problem (every unanswered statement shares one), each linking to its first field.
        messages: dict[str, str] = {}
        for problem in problems:
            key = f"error.{problem.field.split('_')[0]}"
            messages.setdefault(t.get(key, t["error.statement"]), problem.field)
        items = "".join(f'<li><a href="#{escape(f)}">{escape(m)}</a></li>' for m, f in messages.items())
        parts.append(f'<div role="alert" id="errors"><p class="error">{escape(t["fix"])}</p><ul>{items}</ul></div>')
    parts.append(f"<p>{escape(t['intro'])}</p><p>{escape(t['once'])}</p>")
    parts.append(f'<form method="post" action="{escape(action)}" novalidate>')
    if link.survey.statements:
        parts.append(f"<h2>{escape(t['statements'])}</h2>")
    for position, text in enumerate(link.survey.statements, start=1):
        name = f"statement_{position}"
        invalid = ' aria-invalid="true"' if name in wrong else ""
        options = [(a.value, AGREEMENT_LABELS[link.language][a]) for a in Agreement] + [(SKIP, t["skip"])]
        radios = "".join(_radio(name, v, label, chosen=values.get(name)) for v, label in options)
        parts.append(f'<fieldset id="{name}"{invalid}><legend>{position}. {escape(text)}</legend>{radios}</fieldset>')
    invalid = ' aria-invalid="true"' if "recommendation" in wrong else ""
    numbers = "".join(
        _radio("recommendation", str(n), str(n), chosen=values.get("recommendation"), describedby="recommendation-hint")
        for n in range(BANDS[0][1], BANDS[-1][2] + 1)
    )
    skip = _radio("recommendation", SKIP, t["skip"], chosen=values.get("recommendation"))
    parts.append(
        f'<fieldset id="recommendation"{invalid}><legend>{escape(t["recommendation"])}</legend>'
        f'<p id="recommendation-hint">{escape(t["recommendation_hint"])}</p>'
        f'<div class="scale">{numbers}</div>{skip}</fieldset>'
    )
    invalid = ' aria-invalid="true"' if "comment" in wrong else ""
    parts.append(
        f'<p><label for="comment">{escape(t["comment"])}</label><br>'
        f'<span id="comment-hint">{escape(t["comment_hint"])}</span><br>'
        f'<textarea id="comment" name="comment" rows="5" maxlength="4000" aria-describedby="comment-hint"{invalid}>'
        f"{escape(values.get('comment', ''))}</textarea></p>"
        f'<p><button type="submit">{escape(t["submit"])}</button></p></form>'
    )
    return "".join(parts)


def survey_router(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> APIRouter:
    router = APIRouter()

    def look_up(token: str) -> SurveyLink | HTMLResponse:
        try:
            link = survey_for_token(token, uow=uow_factory(), clock=clock)
        except UnknownSurveyLink:
            return _page("fi", UNKNOWN_PAGE[0], UNKNOWN_PAGE[1], status=404)
        if link.used:
            return _gone(link.language, "used")
        if not link.accepts_answers:
            return _gone(link.language, "closed")
        return link

    @router.get("/survey/{token}", response_class=HTMLResponse)
    def show(token: str, request: Request) -> HTMLResponse:
        found = look_up(token)
        if isinstance(found, HTMLResponse):
            return found
        return _page(found.language, found.survey.title, _form(found, str(request.url.path)))

    @router.post("/survey/{token}", response_class=HTMLResponse)
    async def submit(token: str, request: Request) -> HTMLResponse:
        found = look_up(token)
        if isinstance(found, HTMLResponse):
            return found
        body = await request.body()
        if len(body) > MAX_BODY:
            return _page(
                found.language, found.survey.title, f"<p>{escape(TEXTS[found.language]['too_long'])}</p>", status=413
            )
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
            page = _form(found, str(request.url.path), values=form, error=error)
            return _page(found.language, found.survey.title, page, status=422)
        except SurveyLinkUsed:  # another tab or a double click got there first
            return _gone(found.language, "used")
        except SurveyClosed:
            return _gone(found.language, "closed")
        t = TEXTS[found.language]
        return _page(found.language, t["thanks_title"], f'<p role="status">{escape(t["thanks"])}</p>')

    return router


def _gone(language: str, why: str) -> HTMLResponse:
    t = TEXTS[language]
    return _page(language, t[f"{why}_title"], f"<p>{escape(t[why])}</p>", status=410)
