"""The survey pages: a panel's surveys with the form that creates one (``/panels/{id}/surveys``), and a survey
(``/surveys/{id}``) with what its state allows (statements, open, remind, close), its report and the report's CSV.
Each form calls the use case its ``raati survey`` command calls; the report is ``survey_report``'s."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.reads.survey_pages import SurveyPage, report_csv, survey_page, surveys_page
from application.surveys import (
    DEFAULT_OPEN_DAYS,
    DEFAULT_REMIND_EVERY_DAYS,
    CreateSurvey,
    OpenSurvey,
    add_statements,
    close_survey,
    create_survey,
    open_survey,
    remind_survey,
)
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import DomainError, InvalidTransition, InvalidValue, NotFound, PermissionDenied
from domain.survey_scoring import NO_ANSWER, Breakdown
from domain.surveys import MAX_STATEMENTS, SurveyClosed, SurveyStatus
from domain.translations import given
from domain.values import MAX_TITLE, single_line
from notifications.i18n import Catalog
from web.pages.context import Pages, SignedForm, sign_in_redirect
from web.pages.survey_results import option_labels, survey_status
from web.rendering import content_in
from web.settings import WebSettings

CREATE_FIELDS = ("title", "statements", "title_sv", "statements_sv", "title_en", "statements_en")
STATEMENT_FIELDS = ("statements", "statements_sv", "statements_en")
_TOO_LONG = re.compile(r"is (\d+) characters; at most (\d+)")


@dataclass(frozen=True)
class Refused:
    """A refused form, shown again: which form, each control's problem in words (in order), what was sent."""

    form: str  # "create", "statements", "open", or "actions" (remind, close)
    problems: dict[str, str]
    sent: dict[str, str] = field(default_factory=dict)
    status: int = 422


@dataclass(frozen=True)
class StatementView:
    """A statement of the report in the page's language, its figures, and its chart's data (None: suppressed)."""

    position: int
    text: Any  # a Content: the text and the language it is in
    breakdown: Breakdown
    chart: dict[str, Any] | None


def survey_labels(t: Catalog) -> dict[str, str]:
    """The controls of the survey forms as the forms call them, by the field a use case names."""
    return {
        "title": t("Title in Finnish"),
        "statements": t("Statements in Finnish"),
        "title_sv": t("Title in Swedish"),
        "statements_sv": t("Statements in Swedish"),
        "title_en": t("Title in English"),
        "statements_en": t("Statements in English"),
        "closes": t("Last day to answer"),
    }


def control_of(name: str) -> str:
    """The control a use case's field is about: ``translations.sv.statement[2]`` is ``statements_sv``."""
    name = name.split("[", 1)[0]
    if name.startswith("translations."):
        _, language, what = [*name.split("."), "", ""][:3]
        return f"{'statements' if what == 'statement' else 'title'}_{language}"
    return {"statement": "statements", "statements": "statements", "closes_at": "closes"}.get(name, name)


def problem_words(error: DomainError, t: Catalog) -> tuple[str, str]:
    """The control a refusal is about and a sentence that names it and says what to do."""
    labels = survey_labels(t)
    control = control_of(str(getattr(error, "field", "") or ""))
    label = labels.get(control, t("the form"))
    reason = str(getattr(error, "reason", ""))
    if "give at least one statement" in reason:
        return control, t("Write at least one statement in “{field}”, one per line.", field=label)
    if "statements; at most" in reason or "holds at most" in reason:
        return control, t("A survey holds at most {maximum} statements.", maximum=MAX_STATEMENTS)
    if " texts for " in reason:
        return control, t(
            "“{field}” has more lines than there are statements: write one line per statement, in the same order.",
            field=label,
        )
    if control == "closes":
        return control, t("Choose a last day to answer that is after today.")
    if control == "status":
        return "form", t("The survey is no longer a draft, so no statements can be added to it.")
    if control not in labels:
        control = "form"
    too_long = _TOO_LONG.search(reason)
    if too_long:
        return control, t(
            "“{field}” is {length} characters long; shorten it to at most {maximum}.",
            field=label,
            length=too_long.group(1),
            maximum=too_long.group(2),
        )
    if "required" in reason:
        return control, t("“{field}” is empty: fill it in.", field=label)
    if "single line" in reason:
        return control, t("Write “{field}” on a single line.", field=label)
    return control, t("Check “{field}”: it cannot be saved as it is.", field=label)


def last_day(sent: str) -> datetime | None:
    """The form's last day to answer: the survey closes when that day ends in Helsinki (``raati survey open
    --closes DATE`` does the same); empty leaves the use case's default."""
    text = sent.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidValue("closes_at", f"{sent!r} is not a date") from None
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=PANEL_TZ)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def statement_texts(sent: dict[str, str]) -> tuple[list[str], dict[str, Any] | None]:
    """The Finnish statements, one a line, and their Swedish and English versions by position (and the title's)."""
    translated = given(
        title=(sent.get("title_sv", "").strip() or None, sent.get("title_en", "").strip() or None),
        statement=(lines(sent["statements_sv"]) or None, lines(sent["statements_en"]) or None),
    )
    return lines(sent["statements"]), translated or None


def chart_of(breakdown: Breakdown, options: dict[str, str], *, label: str) -> dict[str, Any] | None:
    """A breakdown as the dashboard's charts take it (raati.js); None when it is suppressed."""
    if breakdown.shares is None:
        return None
    return {"label": label, "labels": [options[k] for k in breakdown.keys], "values": list(breakdown.shares)}


def surveys_router(pages: Pages, *, public_url: str | None = None) -> APIRouter:
    """``public_url``: the app's own RAATI_BASE_URL (its settings), which the members' survey links lead to."""
    router = APIRouter()

    def base_url() -> str:
        return public_url or WebSettings().base_url

    def list_view(request: Request, actor: Actor, panel_id: int, *, refused: Refused | None = None) -> Response:
        try:
            listed = surveys_page(actor, panel_id, uow=pages.uow_factory())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        return pages.page(
            request,
            "surveys.html",
            actor=actor,
            status=refused.status if refused else 200,
            listed=listed,
            titles={line.survey.stored_id: content_in(line.survey, "title", t.language) for line in listed.surveys},
            states={s.value: survey_status(s.value, t) for s in SurveyStatus},
            day=lambda moment: t.format_date(moment.astimezone(PANEL_TZ).date()),
            refused=refused,
            sent=refused.sent if refused else {},
        )

    def one_view(request: Request, actor: Actor, survey_id: int, *, refused: Refused | None = None) -> Response:
        try:
            shown = survey_page(actor, survey_id, uow=pages.uow_factory())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        t = pages.catalog(request, actor)
        options = option_labels(t)
        return pages.page(
            request,
            "survey_admin.html",
            actor=actor,
            status=refused.status if refused else 200,
            shown=shown,
            title=content_in(shown.survey, "title", t.language),
            statements=statements_of(shown, t, options),
            all_statements=[statement_in(shown, i, t) for i in range(len(shown.survey.statements))],
            bands=chart_of(shown.report.recommendation, bands(t), label=t("Share, %")) if shown.report else None,
            band_names=bands(t),
            options=options,
            state=survey_status(shown.survey.status.value, t),
            day=lambda moment: t.format_date(moment.astimezone(PANEL_TZ).date()),
            closes_default=(pages.clock.now() + timedelta(days=DEFAULT_OPEN_DAYS)).astimezone(PANEL_TZ).date(),
            reminders_from=reminders_from(shown),
            signed=lambda n: ("+" if n > 0 else "") + t.format_number(n, decimals=0),
            refused=refused,
            sent=refused.sent if refused else {},
        )

    @router.get("/panels/{panel_id}/surveys", response_class=HTMLResponse)
    def survey_list(request: Request, panel_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return list_view(request, actor, panel_id)

    @router.post("/panels/{panel_id}/surveys", response_class=HTMLResponse)
    async def create(request: Request, panel_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/panels/{panel_id}/surveys#create")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "")[:20_000] for name in CREATE_FIELDS}
        statements, translated = statement_texts(sent)
        try:
            if not statements:
                # A survey made here starts with its statements; the title is checked too, to tell both at once.
                problems = [InvalidValue("statement", "give at least one statement")]
                try:
                    single_line(sent["title"], field="title", maximum=MAX_TITLE)
                except InvalidValue as title_problem:
                    problems.insert(0, title_problem)
                refused = Refused("create", dict(problem_words(p, t) for p in problems), sent)
                return list_view(request, actor, panel_id, refused=refused)
            command = CreateSurvey(
                panel=str(panel_id), title=sent["title"], statements=tuple(statements), translations=translated,
                actor=actor.name,
            )  # fmt: skip
            survey = create_survey(command, uow=pages.uow_factory(), clock=pages.clock)
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            refused = Refused("create", dict([problem_words(problem, t)]), sent)
            return list_view(request, actor, panel_id, refused=refused)
        request.session["flash"] = t("The survey is saved as a draft. Open it when it is ready.")
        return RedirectResponse(f"/surveys/{survey.stored_id}", status_code=303)

    @router.get("/surveys/{survey_id}", response_class=HTMLResponse)
    def survey(request: Request, survey_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        return one_view(request, actor, survey_id)

    @router.get("/surveys/{survey_id}/report.csv")
    def csv_download(request: Request, survey_id: int) -> Response:
        actor = pages.actor(request)
        if actor is None:
            return sign_in_redirect(request)
        try:
            text = report_csv(actor, survey_id, uow=pages.uow_factory())
        except DomainError as problem:
            return pages.problem(request, problem, actor=actor)
        return Response(
            text.encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="survey-{survey_id}.csv"'},
        )

    @router.post("/surveys/{survey_id}/statements", response_class=HTMLResponse)
    async def statements(request: Request, survey_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/surveys/{survey_id}#statements")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {name: str(signed.form.get(name) or "")[:20_000] for name in STATEMENT_FIELDS}
        added, translated = statement_texts(sent)
        try:
            add_statements(
                survey_id, added, uow=pages.uow_factory(), clock=pages.clock, actor=actor.name, translations=translated
            )
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except DomainError as problem:
            refused = Refused("statements", dict([problem_words(problem, t)]), sent)
            return one_view(request, actor, survey_id, refused=refused)
        request.session["flash"] = t.ngettext("{count} statement added.", "{count} statements added.", len(added))
        return RedirectResponse(f"/surveys/{survey_id}#statements", status_code=303)

    @router.post("/surveys/{survey_id}/open", response_class=HTMLResponse)
    async def open_(request: Request, survey_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/surveys/{survey_id}#open")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        sent = {"closes": str(signed.form.get("closes") or "")[:100]}
        try:
            command = OpenSurvey(survey_id, closes_at=last_day(sent["closes"]), actor=actor.name)
            run = open_survey(command, uow=pages.uow_factory(), clock=pages.clock, base_url=base_url())
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except InvalidTransition as problem:
            return one_view(request, actor, survey_id, refused=moved_on(problem, t))
        except DomainError as problem:
            return one_view(request, actor, survey_id, refused=Refused("open", dict([problem_words(problem, t)]), sent))
        request.session["flash"] = t.ngettext(
            "The survey is open. {count} member gets a link of their own by email.",
            "The survey is open. {count} members get a link of their own by email.",
            run.mailed,
        )
        return RedirectResponse(f"/surveys/{survey_id}", status_code=303)

    @router.post("/surveys/{survey_id}/remind", response_class=HTMLResponse)
    async def remind(request: Request, survey_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/surveys/{survey_id}")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            run = remind_survey(
                survey_id, uow=pages.uow_factory(), clock=pages.clock, base_url=base_url(), actor=actor.name
            )
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except SurveyClosed:
            message = t("The survey no longer takes answers, so nobody was reminded.")
            return one_view(request, actor, survey_id, refused=Refused("actions", {"form": message}, status=409))
        if run.round == 0:
            request.session["flash"] = t(
                "No reminders yet: the first ones can go out a week after the survey opened. Until then the members "
                "have the link they got."
            )
        elif run.mailed == 0:
            request.session["flash"] = t("Nobody was reminded: everyone has answered or has been reminded this week.")
        else:
            request.session["flash"] = t.ngettext(
                "{count} member who has not answered is reminded by email.",
                "{count} members who have not answered are reminded by email.",
                run.mailed,
            )
        return RedirectResponse(f"/surveys/{survey_id}", status_code=303)

    @router.post("/surveys/{survey_id}/close", response_class=HTMLResponse)
    async def close(request: Request, survey_id: int) -> Response:
        signed = await pages.signed_form(request, back=f"/surveys/{survey_id}")
        if not isinstance(signed, SignedForm):
            return signed
        actor, t = signed.current.actor, signed.t
        try:
            close_survey(survey_id, uow=pages.uow_factory(), clock=pages.clock, actor=actor.name)
        except (PermissionDenied, NotFound) as problem:
            return pages.problem(request, problem, actor=actor)
        except InvalidTransition as problem:
            return one_view(request, actor, survey_id, refused=moved_on(problem, t))
        request.session["flash"] = t("The survey is closed. Its links no longer work, and the report is final.")
        return RedirectResponse(f"/surveys/{survey_id}#report", status_code=303)

    return router


def moved_on(problem: InvalidTransition, t: Catalog) -> Refused:
    """Open or close asked of a survey already past that (a second tab, a double click): 409, in words."""
    message = t(
        "The survey is already “{state}”, so this cannot be done any more.", state=survey_status(problem.current, t)
    )
    return Refused("actions", {"form": message}, status=409)


def statement_in(shown: SurveyPage, index: int, t: Catalog) -> Any:
    """A statement in the page's language where it is translated, else in Finnish (with its language)."""
    survey = shown.survey
    translated = survey.statement_translations[index] if index < len(survey.statement_translations) else None
    return content_in({"text": survey.statements[index], "translations": translated}, "text", t.language)


def statements_of(shown: SurveyPage, t: Catalog, options: dict[str, str]) -> list[StatementView]:
    if shown.report is None:
        return []
    return [
        StatementView(
            s.position,
            statement_in(shown, s.position - 1, t),
            s.breakdown,
            chart_of(s.breakdown, options, label=t("Share, %")),
        )
        for s in shown.report.statements
    ]


def bands(t: Catalog) -> dict[str, str]:
    """The recommendation's bands in words, as the dashboard and the report name them."""
    return {
        "1-3": t("1–3: unlikely to recommend"),
        "4-7": t("4–7: might recommend"),
        "8-10": t("8–10: likely to recommend"),
        NO_ANSWER: t("no answer"),
    }


def reminders_from(shown: SurveyPage) -> date | None:
    """The first day reminders can go out: a round after the opening (``remind_survey``'s rule)."""
    opened = shown.survey.opened_at
    if opened is None:
        return None
    return (opened + timedelta(days=DEFAULT_REMIND_EVERY_DAYS)).astimezone(PANEL_TZ).date()
