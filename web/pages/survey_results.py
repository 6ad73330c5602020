"""Survey results on the dashboard: the reports of the panel's latest opened surveys (application/surveys.py).

Reports come from ``survey_report``, which suppresses groups of fewer than five answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from domain.survey_scoring import NO_ANSWER, SurveyReport
from domain.surveys import Agreement, Survey
from notifications.i18n import Catalog

SURVEYS_SHOWN = 3


def survey_results(panel_id: int, *, uow_factory: Callable[[], UnitOfWork]) -> list[SurveyReport]:
    """The reports of the panel's latest surveys that have been opened (newest first)."""
    from application.surveys import latest_reports

    return latest_reports(panel_id, limit=SURVEYS_SHOWN, uow=uow_factory())


def surveys_of(panel_id: int, *, uow_factory: Callable[[], UnitOfWork]) -> dict[int, Survey]:
    """The panel's surveys by id: their title and statements in every language, for the reports' headings."""
    from application.surveys import list_surveys

    return {listing.survey.stored_id: listing.survey for listing in list_surveys(str(panel_id), uow=uow_factory())}


def agreement_labels(t: Catalog) -> dict[str, str]:
    """The four-point scale of a survey statement, in the reader's words."""
    return {
        Agreement.AGREE.value: t.pgettext("agreement", "Agree completely"),
        Agreement.SOMEWHAT_AGREE.value: t.pgettext("agreement", "Agree somewhat"),
        Agreement.SOMEWHAT_DISAGREE.value: t.pgettext("agreement", "Disagree somewhat"),
        Agreement.DISAGREE.value: t.pgettext("agreement", "Disagree completely"),
    }


def option_labels(t: Catalog) -> dict[str, str]:
    return {**agreement_labels(t), NO_ANSWER: t("no answer")}


def survey_status(status: str, t: Catalog) -> str:
    """A survey's state as the dashboard says it (never the code ``open``)."""
    names = {"draft": t("not yet sent"), "open": t("open for answers"), "closed": t("closed")}
    return names.get(status, "")


def band_chart(report: SurveyReport, *, label: str, no_answer: str) -> dict[str, Any] | None:
    """The recommendation bands as chart data, or None when the group is too small to show."""
    breakdown = report.recommendation
    if breakdown.shares is None:
        return None
    labels = [no_answer if key == NO_ANSWER else key for key in breakdown.keys]
    return {"label": label, "labels": labels, "values": list(breakdown.shares)}
