"""Read models of the survey pages: a panel's surveys (``/panels/{id}/surveys``) and one survey with its report
(``/surveys/{id}``), as ``application.access.permissions`` lets the reader see them; and the report as CSV, the
same text the page offers for download and ``raati survey report --csv`` writes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from application.access import permissions
from application.ports.unit_of_work import UnitOfWork
from application.surveys import SurveyListing, list_surveys, survey_report
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.panels import Panel
from domain.survey_scoring import Breakdown, SurveyReport
from domain.surveys import Survey, SurveyStatus


@dataclass(frozen=True)
class SurveysPage:
    panel: Panel
    surveys: list[SurveyListing]  # newest first
    coordinates: bool  # the reader may create surveys and act on them


@dataclass(frozen=True)
class SurveyPage:
    survey: Survey
    panel: Panel
    invited: int
    answered: int
    report: SurveyReport | None  # None while a draft: nobody has been asked yet
    coordinates: bool
    # The free-text comments are left out of ``report`` for a reader who may not read them (a manager).
    comments_withheld: bool


def surveys_page(actor: Actor, panel_id: int, *, uow: UnitOfWork) -> SurveysPage:
    """The panel's surveys with their answers so far: for those who read the panel's survey results."""
    with uow:
        panel = _readable_panel(actor, panel_id, uow=uow)
    listed = list_surveys(str(panel.stored_id), uow=uow)
    listed.sort(key=lambda line: line.survey.stored_id, reverse=True)
    return SurveysPage(panel=panel, surveys=listed, coordinates=actor.coordinates(panel.stored_id))


def survey_page(actor: Actor, survey_id: int, *, uow: UnitOfWork) -> SurveyPage:
    """One survey, where it stands and (once opened) its report, from ``survey_report``, which suppresses small
    groups; the comments only for whom ``permissions.may_read_survey_comments`` allows."""
    with uow:
        survey = uow.surveys.get(survey_id)
        panel = _readable_panel(actor, survey.panel_id, uow=uow)
        invited, answered = uow.surveys.counts(survey_id)
    report = survey_report(survey_id, uow=uow) if survey.status is not SurveyStatus.DRAFT else None
    withheld = not permissions.may_read_survey_comments(actor, survey.panel_id)
    if report is not None and withheld:
        report = replace(report, comments=None)
    return SurveyPage(
        survey=survey,
        panel=panel,
        invited=invited,
        answered=answered,
        report=report,
        coordinates=actor.coordinates(survey.panel_id),
        comments_withheld=withheld,
    )


def report_csv(actor: Actor, survey_id: int, *, uow: UnitOfWork) -> str:
    """The report's CSV for a reader of the survey (it holds no comments)."""
    with uow:
        survey = uow.surveys.get(survey_id)
        _readable_panel(actor, survey.panel_id, uow=uow)
    return csv_text(survey_report(survey_id, uow=uow))


def _readable_panel(actor: Actor, panel_id: int, *, uow: UnitOfWork) -> Panel:
    """A panel's surveys are read by whoever reads its dashboard, which shows their results already: its
    coordinators, managers and the operator (a service owner is refused)."""
    allowed = permissions.dashboard_panels(actor)
    panel = uow.panels.by_id(panel_id)
    if allowed is not None and panel.stored_id not in allowed:
        raise PermissionDenied(actor.name, f"may not read the surveys of panel {panel_id}")
    return panel


# --- the report as CSV ---------------------------------------------------------------------------------------

CSV_HEADER = ["question", "text", "option", "count", "percent", "n", "suppressed"]
# The questions every survey asks besides its statements, as the CSV names them (in English, like its header).
RECOMMENDATION_TEXT = "Would you recommend the customer panel? (1–10)"
NPS_TEXT = "Net promoter score (NPS)"


def csv_rows(report: SurveyReport) -> list[list[str]]:
    """One row per option of each question; a suppressed breakdown is one row that says so, without numbers."""
    rows: list[list[str]] = [CSV_HEADER]

    def add(question: str, text: str, breakdown: Breakdown) -> None:
        if breakdown.n is None or breakdown.counts is None or breakdown.shares is None:
            rows.append([question, text, "", "", "", "", "true"])
            return
        for key, count, share in zip(breakdown.keys, breakdown.counts, breakdown.shares, strict=True):
            rows.append([question, text, key, str(count), str(share), str(breakdown.n), "false"])

    for statement in report.statements:
        add(f"statement_{statement.position}", statement.text, statement.breakdown)
    add("recommendation", RECOMMENDATION_TEXT, report.recommendation)
    suppressed = report.nps is None
    rows.append(["nps", NPS_TEXT, "", "", "" if suppressed else str(report.nps),
                 "" if suppressed else str(report.recommendation.n), str(suppressed).lower()])  # fmt: skip
    return rows


def csv_text(report: SurveyReport) -> str:
    """The CSV as text (lines end in CRLF, as the csv module writes them)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(report))
    return buffer.getvalue()
