"""A survey report as people read it: text in fi/sv/en, CSV rows, and a chart (SVG drawn by
``application.reads.survey_chart``; PNG only with the optional matplotlib, ``raati[charts]``).

Suppressed breakdowns (fewer than 5 answers) say so and show no numbers, in every format.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path

from application.reads.survey_chart import (
    AGREEMENT_COLOURS,
    BAND_COLOURS,
    NO_ANSWER_COLOUR,
    ChartWords,
    survey_chart_svg,
)
from application.reads.survey_pages import csv_text
from domain.survey_scoring import AGREEMENT_KEYS, BAND_KEYS, MIN_ANSWERS, NO_ANSWER, Breakdown, SurveyReport
from domain.surveys import AGREEMENT_LABELS, Agreement

LABELS: Mapping[str, Mapping[str, str]] = {
    "fi": {
        "answers": "vastausta",
        "invited": "kutsuttu",
        "recommendation": "Suosittelisitko asiakasraatia? (1–10)",
        "1-3": "1–3 ei todennäköisesti suosittele",
        "4-7": "4–7 saattaa suositella",
        "8-10": "8–10 todennäköisesti suosittelee",
        NO_ANSWER: "ei vastausta",
        "nps": "Suositteluindeksi (NPS)",
        "suppressed": f"ei näytetä (alle {MIN_ANSWERS} vastausta)",
        "comments": "Vapaat kommentit",
        "status": "tila",
        "draft": "luonnos",
        "open": "avoinna",
        "closed": "suljettu",
        "chart": "Vastausten osuudet prosentteina: pylväs kustakin väittämästä ja yksi suositteluhalukkuudesta.",
    },
    "sv": {
        "answers": "svar",
        "invited": "inbjudna",
        "recommendation": "Skulle du rekommendera kundrådet? (1–10)",
        "1-3": "1–3 rekommenderar sannolikt inte",
        "4-7": "4–7 kanske rekommenderar",
        "8-10": "8–10 rekommenderar sannolikt",
        NO_ANSWER: "inget svar",
        "nps": "Rekommendationsindex (NPS)",
        "suppressed": f"visas inte (färre än {MIN_ANSWERS} svar)",
        "comments": "Fria kommentarer",
        "status": "status",
        "draft": "utkast",
        "open": "öppen",
        "closed": "stängd",
        "chart": "Svarens andelar i procent: en stapel för varje påstående och en för viljan att rekommendera.",
    },
    "en": {
        "answers": "answers",
        "invited": "invited",
        "recommendation": "Would you recommend the customer panel? (1–10)",
        "1-3": "1–3 low (unlikely to recommend)",
        "4-7": "4–7 middle (might recommend)",
        "8-10": "8–10 high (likely to recommend)",
        NO_ANSWER: "no answer",
        "nps": "Net promoter score (NPS)",
        "suppressed": f"suppressed (fewer than {MIN_ANSWERS} answers)",
        "comments": "Free-text comments",
        "status": "status",
        "draft": "draft",
        "open": "open",
        "closed": "closed",
        "chart": "The answers' shares in per cent: a bar for each statement and one for the recommendation.",
    },
}


def option_label(key: str, language: str) -> str:
    if key in {a.value for a in Agreement}:
        return AGREEMENT_LABELS[language][Agreement(key)]
    return LABELS[language][key]


def _lines(breakdown: Breakdown, language: str, *, hide_empty_no_answer: bool = True) -> list[str]:
    if breakdown.n is None or breakdown.counts is None or breakdown.shares is None:
        return [f"   {LABELS[language]['suppressed']}"]
    width = max(len(option_label(k, language)) for k in breakdown.keys)
    return [
        f"   {option_label(key, language):<{width}}  {share:>3} %  ({count})"
        for key, count, share in zip(breakdown.keys, breakdown.counts, breakdown.shares, strict=True)
        if not (hide_empty_no_answer and key == NO_ANSWER and count == 0)
    ]


def report_text(report: SurveyReport, *, language: str = "en") -> str:
    """The report as plain text: each statement's shares (adding up to 100 %), then the recommendation bands."""
    t = LABELS[language]
    lines = [
        f"{report.title} (#{report.survey_id}, {t['status']}: {t.get(report.status, report.status)})",
        f"n = {report.respondents} {t['answers']} / {report.invited} {t['invited']}",
        "",
    ]
    for statement in report.statements:
        n = f" (n = {statement.breakdown.n})" if statement.breakdown.n is not None else ""
        lines += [f"{statement.position}. {statement.text}{n}", *_lines(statement.breakdown, language), ""]
    n = f" (n = {report.recommendation.n})" if report.recommendation.n is not None else ""
    lines += [f"{t['recommendation']}{n}", *_lines(report.recommendation, language)]
    nps = t["suppressed"] if report.nps is None else f"{report.nps:+d}"
    lines += [f"   {t['nps']}: {nps}", ""]
    if report.comments is None:
        lines += [f"{t['comments']}: {t['suppressed']}"]
    elif report.comments:
        lines += [f"{t['comments']} ({len(report.comments)}):", *(f"   – {c}" for c in report.comments)]
    return "\n".join(lines).rstrip() + "\n"


def write_csv(report: SurveyReport, path: Path) -> None:
    """The report's CSV, the same text the survey page's download gives (``application.reads.survey_pages``)."""
    path.write_bytes(csv_text(report).encode("utf-8"))


def chart_words(report: SurveyReport, language: str) -> ChartWords:
    """The chart's words in ``language``: option names as in the text report, the heading with n and NPS."""
    t = LABELS[language]
    nps = "–" if report.nps is None else f"{report.nps:+d}"
    return ChartWords(
        language=language,
        heading=f"{report.title} — n = {report.respondents}, NPS {nps}",
        description=t["chart"],
        recommendation=t["recommendation"],
        options={key: option_label(key, language) for key in (*AGREEMENT_KEYS, *BAND_KEYS)},
        suppressed=t["suppressed"],
    )


CHART_SUFFIXES = (".svg", ".png")
PNG_EXTRA = "pip install 'raati[charts]'"


def chart_problem(path: Path) -> str | None:
    """Why ``path`` cannot take the chart (its suffix, or a PNG without the optional matplotlib), or None."""
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        return f"{str(path)!r} must end in .svg (or .png, with matplotlib: {PNG_EXTRA})"
    if suffix == ".png" and importlib.util.find_spec("matplotlib") is None:
        return f"a PNG chart needs matplotlib, which is not installed ({PNG_EXTRA}); or give FILE.svg (built in)"
    return None


def write_chart(report: SurveyReport, path: Path, *, language: str = "en") -> None:
    """The chart as SVG (built in), or as PNG when the path ends in .png (the optional matplotlib)."""
    if path.suffix.lower() == ".png":
        _write_png(report, path, language=language)
        return
    path.write_text(survey_chart_svg(report, words=chart_words(report, language)), encoding="utf-8")


def _write_png(report: SurveyReport, path: Path, *, language: str) -> None:
    """Stacked horizontal bars: one per statement and one for the recommendation bands, labelled in per cent."""
    import matplotlib  # optional (raati[charts]) and heavy: only a PNG chart loads it

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.patches import Rectangle

    agreement = (*(fill for fill, _ in AGREEMENT_COLOURS), NO_ANSWER_COLOUR[0])
    bands = (*(fill for fill, _ in BAND_COLOURS), NO_ANSWER_COLOUR[0])
    rows: list[tuple[str, Breakdown, tuple[str, ...]]] = [
        (f"{s.position}. {s.text}", s.breakdown, agreement) for s in report.statements
    ]
    rows.append((LABELS[language]["recommendation"], report.recommendation, bands))
    figure, axes = pyplot.subplots(figsize=(11, 1.1 + 0.8 * len(rows)))
    try:
        for y, (_label, breakdown, colours) in enumerate(reversed(rows)):
            _bar(axes, y, breakdown, colours, language)
        axes.set_yticks(range(len(rows)), [_wrap(label) for label, _, _ in reversed(rows)], fontsize=9)
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        axes.set_title(chart_words(report, language).heading, fontsize=11)
        handles = [Rectangle((0, 0), 1, 1, color=c) for c in (*agreement[:4], *bands[:3], agreement[4])]
        names = [option_label(a.value, language) for a in Agreement]
        names += [LABELS[language][b] for b in ("1-3", "4-7", "8-10", NO_ANSWER)]
        figure.legend(handles, names, loc="lower center", ncol=4, fontsize=8, frameon=False)
        figure.tight_layout(rect=(0, 0.12, 1, 1))
        figure.savefig(path, format="png", dpi=120)
    finally:
        pyplot.close(figure)


def _bar(axes: object, y: int, breakdown: Breakdown, colours: tuple[str, ...], language: str) -> None:
    if breakdown.shares is None:
        axes.barh(y, 100, color="#f0f0f0")  # type: ignore[attr-defined]
        axes.text(50, y, LABELS[language]["suppressed"], ha="center", va="center", fontsize=9)  # type: ignore[attr-defined]
        return
    left = 0
    for share, colour in zip(breakdown.shares, colours, strict=True):
        if share:
            axes.barh(y, share, left=left, color=colour)  # type: ignore[attr-defined]
            if share >= 4:
                ink = dict((*AGREEMENT_COLOURS, *BAND_COLOURS, NO_ANSWER_COLOUR)).get(colour, "#000000")
                axes.text(left + share / 2, y, f"{share} %", ha="center", va="center", fontsize=8,  # type: ignore[attr-defined]
                          color=ink)  # fmt: skip
        left += share


def _wrap(text: str, width: int = 38) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
