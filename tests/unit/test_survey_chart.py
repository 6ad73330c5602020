"""The survey chart as SVG (application/reads/survey_chart.py, words from cli/survey_exports.py): well-formed XML
with a title and a description, every share written out in words in fi/sv/en, suppressed rows without numbers."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from application.reads.survey_chart import survey_chart_svg
from cli.survey_exports import chart_problem, chart_words, write_chart
from domain.survey_scoring import AGREEMENT_KEYS, BAND_KEYS, StatementResult, SurveyReport, breakdown

SVG = "{http://www.w3.org/2000/svg}"


def _report(*, title: str = "Syksy 2026", small: bool = False) -> SurveyReport:
    statements = (
        StatementResult(1, "Koen osallistumisen mielekkääksi", breakdown(AGREEMENT_KEYS, (4, 1, 0, 1, 0))),
        StatementResult(2, "Tieto kulkee & <minulle> ajoissa", breakdown(AGREEMENT_KEYS, (1, 1, 0, 0, 1))),
    )
    bands = breakdown(BAND_KEYS, (1, 1, 4, 0) if not small else (1, 1, 1, 0))
    return SurveyReport(1, 1, title, "closed", 7, 6, statements, bands, None if small else 33, None)


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_the_chart_is_valid_xml_with_a_title_and_a_description_for_screen_readers() -> None:
    svg = survey_chart_svg(_report(), words=chart_words(_report(), "fi"))
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Syksy 2026 — n = 6, NPS +33"
    # The description alone tells every figure: a screen reader needs nothing drawn.
    assert "1. Koen osallistumisen mielekkääksi: n = 6: samaa mieltä 67 % (4)" in (desc.text or "")
    assert "8–10 todennäköisesti suosittelee 67 % (4)" in (desc.text or "")


def test_each_share_is_written_on_its_bar_and_named_in_words_not_by_colour_alone() -> None:
    texts = _texts(survey_chart_svg(_report(), words=chart_words(_report(), "en")))
    assert texts.count("67 %") == 2  # agree, and the 8–10 band, on their bars
    assert "n = 6: agree 67 % (4) · somewhat agree 17 % (1) · disagree 16 % (1)" in texts
    assert "Would you recommend the customer panel? (1–10)" in texts
    # The legend names each colour.
    assert {"agree", "somewhat disagree", "1–3 low (unlikely to recommend)", "no answer"} <= set(texts)


def test_a_group_under_five_answers_shows_no_numbers() -> None:
    report = _report(small=True)
    svg = survey_chart_svg(report, words=chart_words(report, "sv"))
    texts = _texts(svg)
    assert texts.count("visas inte (färre än 5 svar)") == 2  # statement 2 and the bands
    assert "Syksy 2026 — n = 6, NPS –" in texts
    recommendation = texts.index("Skulle du rekommendera kundrådet? (1–10)")
    assert texts[recommendation + 1] == "visas inte (färre än 5 svar)"


def test_text_is_escaped_and_the_same_report_gives_the_same_bytes() -> None:
    report = _report(title='Kevät <2027> & "uusi"')
    first = survey_chart_svg(report, words=chart_words(report, "fi"))
    assert first == survey_chart_svg(report, words=chart_words(report, "fi"))
    texts = _texts(first)
    assert 'Kevät <2027> & "uusi" — n = 6, NPS +33' in texts
    assert "2. Tieto kulkee & <minulle> ajoissa" in texts


@pytest.mark.parametrize(
    ("name", "reason"),
    [("chart.gif", "must end in .svg"), ("chart.SVG", None), ("chart.svg", None)],
)
def test_the_chart_file_names_its_format(name: str, reason: str | None) -> None:
    problem = chart_problem(Path(name))
    assert problem == reason if reason is None else reason in (problem or "")


def test_a_png_chart_without_matplotlib_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # matplotlib is an optional extra: a None in sys.modules is how Python marks a module as absent.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    problem = chart_problem(Path("chart.png")) or ""
    assert "pip install 'raati[charts]'" in problem
    assert "FILE.svg" in problem


@pytest.mark.slow  # matplotlib loads for seconds
def test_a_png_chart_with_the_optional_matplotlib(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="PNG charts need the optional extra raati[charts]")
    assert chart_problem(tmp_path / "chart.png") is None
    write_chart(_report(), tmp_path / "chart.png", language="sv")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "chart.png").stat().st_size > 10_000
