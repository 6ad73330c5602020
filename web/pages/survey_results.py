"""Survey results on the dashboard: the reports of the panel's latest opened surveys (application/surveys.py).

Reports come from ``survey_report``, which suppresses groups of fewer than five answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from domain.survey_scoring import NO_ANSWER, SurveyReport
from domain.surveys import AGREEMENT_LABELS, Agreement

SURVEYS_SHOWN = 3
NO_ANSWER_LABEL = {"fi": "ei vastausta", "en": "no answer"}


def survey_results(panel_id: int, *, uow_factory: Callable[[], UnitOfWork]) -> list[SurveyReport]:
    """The reports of the panel's latest surveys that have been opened (newest first)."""
    from application.surveys import latest_reports

    return latest_reports(panel_id, limit=SURVEYS_SHOWN, uow=uow_factory())


def option_labels(language: str) -> dict[str, str]:
    labels = AGREEMENT_LABELS.get(language) or AGREEMENT_LABELS["en"]
    named = {choice.value: labels[choice] for choice in Agreement}
    return {**named, NO_ANSWER: NO_ANSWER_LABEL.get(language, "no answer")}


def band_chart(report: SurveyReport, *, label: str, no_answer: str) -> dict[str, Any] | None:
    """The recommendation bands as chart data, or None when the group is too small to show."""
    breakdown = report.recommendation
    if breakdown.shares is None:
        return None
    labels = [no_answer if key == NO_ANSWER else key for key in breakdown.keys]
    return {"label": label, "labels": labels, "values": list(breakdown.shares)}
