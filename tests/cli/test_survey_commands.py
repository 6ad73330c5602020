"""``raati survey`` end to end on SQLite and PostgreSQL: create, open, answer through the mailed links,
close, and the report as text, JSON, CSV and an SVG chart (PNG with the optional matplotlib); bad input exits 2
naming the field."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from application.surveys import AnswerSurvey, answer_survey
from notifications.kinds import SURVEY_INVITATION
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.cli.harness import Raati
from tests.conftest import FixedClock

CHOICES = ["agree", "agree", "agree", "somewhat_agree", "disagree", "agree"]
NUMBERS = ["10", "9", "8", "7", "2", "9"]


def _survey_with_answers(raati: Raati, uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    assert raati("panel", "create", "Kaari").code == 0
    for i in range(7):
        assert raati("member", "add", "--panel", "Kaari", "--name", f"J {i}", "--email", f"j{i}@example.org").code == 0
    made = raati("survey", "create", "--panel", "Kaari", "--title", "Syksy 2026", "--statement",
                 "Koen osallistumisen mielekkääksi", "--json")  # fmt: skip
    assert made.code == 0, made.err
    assert json.loads(made.out)["status"] == "draft"
    opened = raati("survey", "open", "1", "--closes", "2099-12-31", "--json")
    assert json.loads(opened.out) == {"survey_id": 1, "invited": 7, "queued": 7}
    with uow_factory() as uow:
        links = [m.payload["survey_url"] for m in uow.outbox.list() if m.kind == SURVEY_INVITATION]
    assert len(links) == 7
    assert all(link.startswith("http") and "/survey/" in link for link in links)
    for link, choice, number in zip(links, CHOICES, NUMBERS, strict=False):
        token = link.rsplit("/", 1)[1]
        answer_survey(AnswerSurvey(token, (choice,), number, ""), uow=uow_factory(), clock=FixedClock())
    assert raati("survey", "close", "1").code == 0


def test_the_report_as_text_json_csv_and_chart(
    raati: Raati, uow_factory: Callable[[], SqlAlchemyUnitOfWork], tmp_path: Path
) -> None:
    _survey_with_answers(raati, uow_factory)
    listed = json.loads(raati("survey", "list", "--json").out)
    assert [(s["id"], s["status"], s["invited"], s["answered"]) for s in listed] == [(1, "closed", 7, 6)]
    report = json.loads(raati("survey", "report", "1", "--json").out)
    assert report["n"] == 6
    (statement,) = report["statements"]
    shares = {o["option"]: o["percent"] for o in statement["options"]}
    # 4, 1, 0, 1 of 6: 66.67, 16.67, 0, 16.67 -> 67, 17, 0, 16 (the tie goes to the earlier option)
    assert shares == {"agree": 67, "somewhat_agree": 17, "somewhat_disagree": 0, "disagree": 16, "no_answer": 0}
    bands = {o["option"]: o["percent"] for o in report["recommendation"]["options"]}
    assert bands == {"1-3": 17, "4-7": 16, "8-10": 67, "no_answer": 0}  # equal remainders: larger count, then earlier
    assert report["recommendation"]["nps"] == 33  # 3 promoters, 2 detractors of 6

    csv_path, chart_path = tmp_path / "report.csv", tmp_path / "report.svg"
    text = raati("survey", "report", "1", "--csv", str(csv_path), "--chart", str(chart_path), "--language", "fi")
    assert text.code == 0, text.err
    assert "n = 6 vastausta / 7 kutsuttu" in text.out
    assert "samaa mieltä" in text.out
    assert "67 %" in text.out
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    assert rows[0] == ["question", "text", "option", "count", "percent", "n", "suppressed"]
    assert ["statement_1", "Koen osallistumisen mielekkääksi", "agree", "4", "67", "6", "false"] in rows
    assert sum(int(r[4]) for r in rows if r[0] == "recommendation") == 100
    chart = ET.parse(chart_path).getroot()
    assert chart.tag == "{http://www.w3.org/2000/svg}svg"
    assert chart.findtext("{http://www.w3.org/2000/svg}title") == "Syksy 2026 — n = 6, NPS +33"
    assert "samaa mieltä 67 % (4)" in (chart.findtext("{http://www.w3.org/2000/svg}desc") or "")
    assert f"Chart: {chart_path}" in text.out


def test_bad_input_exits_2_naming_the_field(raati: Raati, tmp_path: Path) -> None:
    assert raati("panel", "create", "Kaari").code == 0
    cases = [
        (("survey", "report", "9"), "survey"),
        (("survey", "create", "--panel", "Kaari", "--title", " "), "title"),
        (("survey", "create", "--panel", "Kaari", "--title", "T", "--statement", ""), "statement"),
        (("survey", "create", "--panel", "Nowhere", "--title", "T"), "panel"),
        (("survey", "open", "1", "--closes", "ensi viikolla"), "closes"),
        (("survey", "report", "1", "--chart", str(tmp_path / "chart.gif")), "chart"),
        (("survey", "report", "1", "--csv", str(tmp_path / "no" / "such" / "r.csv")), "csv"),
        (("survey", "report", "1", "--language", "de"), "language"),
        (("survey", "report", "1", "--csv", str(tmp_path)), "csv"),
        (("survey", "report", "x"), "ID"),
    ]
    assert raati("survey", "create", "--panel", "Kaari", "--title", "T").code == 0
    for args, field in cases:
        run = raati(*args)
        assert run.code == 2, (args, run.out, run.err)
        assert field in run.err, (args, run.err)
    assert raati("survey", "open", "1").code == 0
    again = raati("survey", "open", "1")
    assert again.code == 2
    assert "state" in again.err
