"""A survey report as people read it: text in fi/sv/en, CSV rows, and a chart image (matplotlib, loaded lazily).

Suppressed breakdowns (fewer than 5 answers) say so and show no numbers, in every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from application.reads.survey_pages import csv_text
from domain.survey_scoring import MIN_ANSWERS, NO_ANSWER, Breakdown, SurveyReport
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


# Agreement in blues to reds, the unanswered in grey; bands low to high.
AGREEMENT_COLOURS = ("#1f5fa8", "#8fb8e0", "#f2a07b", "#c0392b", "#c8c8c8")
BAND_COLOURS = ("#8e3b7a", "#f2c14e", "#2e8b57", "#c8c8c8")


def write_chart(report: SurveyReport, path: Path, *, language: str = "en") -> None:
    """Stacked horizontal bars: one per statement and one for the recommendation bands, labelled in per cent."""
    import matplotlib  # heavy: only the commands that draw load it

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.patches import Rectangle

    rows: list[tuple[str, Breakdown, tuple[str, ...]]] = [
        (f"{s.position}. {s.text}", s.breakdown, AGREEMENT_COLOURS) for s in report.statements
    ]
    rows.append((LABELS[language]["recommendation"], report.recommendation, BAND_COLOURS))
    figure, axes = pyplot.subplots(figsize=(11, 1.1 + 0.8 * len(rows)))
    try:
        for y, (_label, breakdown, colours) in enumerate(reversed(rows)):
            _bar(axes, y, breakdown, colours, language)
        axes.set_yticks(range(len(rows)), [_wrap(label) for label, _, _ in reversed(rows)], fontsize=9)
        axes.set_xlim(0, 100)
        axes.set_xlabel("%")
        nps = "–" if report.nps is None else f"{report.nps:+d}"
        axes.set_title(f"{report.title} — n = {report.respondents}, NPS {nps}", fontsize=11)
        handles = [
            Rectangle((0, 0), 1, 1, color=c) for c in (*AGREEMENT_COLOURS[:4], *BAND_COLOURS[:3], AGREEMENT_COLOURS[4])
        ]
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
                dark = colour in ("#1f5fa8", "#c0392b", "#2e8b57", "#8e3b7a")
                axes.text(left + share / 2, y, f"{share} %", ha="center", va="center", fontsize=8,  # type: ignore[attr-defined]
                          color="white" if dark else "black")  # fmt: skip
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
