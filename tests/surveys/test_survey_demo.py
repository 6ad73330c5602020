"""The demo panel ends its season with a closed survey whose report a person can read (SQLite and PostgreSQL)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from application.demo.pilot import build_demo
from application.surveys import survey_report
from cli.survey_exports import report_text, write_chart
from persistence.unit_of_work import SqlAlchemyUnitOfWork


@pytest.mark.slow  # the whole demo season, and a chart drawn
def test_the_demo_panel_has_a_closed_survey_with_a_readable_report(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork], tmp_path: Path
) -> None:
    result = build_demo(uow_factory, now=datetime(2026, 11, 28, 10, tzinfo=UTC))
    report = survey_report(result.survey_id, uow=uow_factory())
    assert report.status == "closed"
    assert (report.invited, report.respondents) == (12, 11)
    assert all(not s.breakdown.suppressed for s in report.statements)
    assert all(sum(s.breakdown.shares or ()) == 100 for s in report.statements)
    assert report.nps == 18
    text = report_text(report, language="fi")
    assert "n = 11 vastausta / 12 kutsuttu" in text
    assert "samaa mieltä                  73 %  (8)" in text
    write_chart(report, tmp_path / "survey.svg", language="fi")
    chart = ET.parse(tmp_path / "survey.svg").getroot()
    assert "samaa mieltä 73 % (8)" in (chart.findtext("{http://www.w3.org/2000/svg}desc") or "")
