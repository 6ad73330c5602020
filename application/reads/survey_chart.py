"""A survey report as an SVG chart, drawn as plain text: a stacked bar per statement and one for the
recommendation bands, each share written on the bar and beside it in words, so nothing rests on colour alone.

The caller gives the words (``ChartWords``) in the reader's language; the same report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from domain.survey_scoring import AGREEMENT_KEYS, BAND_KEYS, NO_ANSWER, Breakdown, SurveyReport

# Agreement in blues to reds, the unanswered in grey; bands low to high. Each colour carries black or white
# text at 4.5:1 or more (the second of each pair).
AGREEMENT_COLOURS = (("#1f5fa8", "#ffffff"), ("#8fb8e0", "#000000"), ("#f2a07b", "#000000"), ("#b03224", "#ffffff"))
BAND_COLOURS = (("#8e3b7a", "#ffffff"), ("#f2c14e", "#000000"), ("#237046", "#ffffff"))
NO_ANSWER_COLOUR = ("#c8c8c8", "#000000")

WIDTH = 960
MARGIN = 32
BAR_WIDTH = WIDTH - 2 * MARGIN
BAR_HEIGHT = 30
LINE = 18
FONT = "font-family=\"'Helvetica Neue', Arial, sans-serif\""
# Text cannot wrap itself in SVG: lines are broken at about this many characters of 13 px text.
CHARS_PER_LINE = 130
SHARE_ON_BAR = 6  # narrower segments keep their share to the words under the bar


@dataclass(frozen=True)
class ChartWords:
    """The chart's words in one language: the heading, the description's first sentence, the bands' row,
    each option's name (agreement keys, band keys and ``no_answer``) and what a suppressed row says."""

    language: str
    heading: str
    description: str
    recommendation: str
    options: Mapping[str, str]
    suppressed: str


def survey_chart_svg(report: SurveyReport, *, words: ChartWords) -> str:
    """The report as a standalone SVG document (UTF-8 text), with its title and description for screen readers."""
    rows: list[tuple[str, Breakdown, Sequence[tuple[str, str]]]] = [
        (f"{s.position}. {s.text}", s.breakdown, AGREEMENT_COLOURS) for s in report.statements
    ]
    rows.append((words.recommendation, report.recommendation, BAND_COLOURS))
    body: list[str] = []
    y = MARGIN
    for line in _wrap(words.heading, CHARS_PER_LINE - 20):
        body.append(f'<text x="{MARGIN}" y="{y + 16}" font-size="17" font-weight="bold">{escape(line)}</text>')
        y += 24
    y += 8
    summaries = []
    for label, breakdown, colours in rows:
        drawn, y = _row(label, breakdown, colours, words, y)
        body.extend(drawn)
        summaries.append(f"{label}: {_in_words(breakdown, words)}")
    legend, y = _legend(words, y + 4)
    body.extend(legend)
    height = y + MARGIN
    description = " ".join([words.description, *(f"{s}." for s in summaries)])
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" '
            f'xml:lang="{escape(words.language)}" lang="{escape(words.language)}">',
            f'<title id="chart-title">{escape(words.heading)}</title>',
            f'<desc id="chart-desc">{escape(description)}</desc>',
            f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
            f'<g {FONT} fill="#000000">',
            *body,
            "</g>",
            "</svg>",
            "",
        ]
    )


def _row(
    label: str, breakdown: Breakdown, colours: Sequence[tuple[str, str]], words: ChartWords, y: int
) -> tuple[list[str], int]:
    """One question: its label, its bar (or the suppressed notice) and its shares in words; the next free y."""
    out = []
    for line in _wrap(label, CHARS_PER_LINE):
        out.append(f'<text x="{MARGIN}" y="{y + 14}" font-size="14" font-weight="bold">{escape(line)}</text>')
        y += LINE + 2
    y += 4
    if breakdown.shares is None or breakdown.counts is None:
        out.append(
            f'<rect x="{MARGIN}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#f0f0f0" stroke="#767676"/>'
        )
        out.append(
            f'<text x="{WIDTH // 2}" y="{y + BAR_HEIGHT // 2 + 5}" font-size="13" text-anchor="middle">'
            f"{escape(words.suppressed)}</text>"
        )
        return out, y + BAR_HEIGHT + 22
    left = 0
    for (key, count, share), (fill, ink) in zip(_options(breakdown), _colours_of(breakdown, colours), strict=True):
        if not share:
            continue
        x = MARGIN + round(left * BAR_WIDTH / 100)
        width = MARGIN + round((left + share) * BAR_WIDTH / 100) - x
        name = escape(f"{words.options[key]}: {share} % ({count})")
        out.append(
            f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{fill}"><title>{name}</title></rect>'
        )
        if share >= SHARE_ON_BAR:
            out.append(
                f'<text x="{x + width // 2}" y="{y + BAR_HEIGHT // 2 + 5}" font-size="13" text-anchor="middle" '
                f'fill="{ink}">{share} %</text>'
            )
        left += share
    y += BAR_HEIGHT + 4
    for line in _wrap(_in_words(breakdown, words), CHARS_PER_LINE):
        out.append(f'<text x="{MARGIN}" y="{y + 13}" font-size="13">{escape(line)}</text>')
        y += LINE
    return out, y + 18


def _options(breakdown: Breakdown) -> Iterator[tuple[str, int, int]]:
    return zip(breakdown.keys, breakdown.counts or (), breakdown.shares or (), strict=True)


def _colours_of(breakdown: Breakdown, colours: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The row's colours by position; the last option (no answer) is grey."""
    return [*colours[: len(breakdown.keys) - 1], NO_ANSWER_COLOUR]


def _in_words(breakdown: Breakdown, words: ChartWords) -> str:
    """The row's shares as a sentence; options nobody chose are left out, so that the line stays short."""
    if breakdown.n is None:
        return words.suppressed
    shown = [f"{words.options[key]} {share} % ({count})" for key, count, share in _options(breakdown) if count]
    return f"n = {breakdown.n}: " + " · ".join(shown)


def _legend(words: ChartWords, y: int) -> tuple[list[str], int]:
    """Every colour with its name, flowed into lines."""
    entries = [
        *((k, c) for k, (c, _) in zip(AGREEMENT_KEYS[:-1], AGREEMENT_COLOURS, strict=True)),
        *((k, c) for k, (c, _) in zip(BAND_KEYS[:-1], BAND_COLOURS, strict=True)),
        (NO_ANSWER, NO_ANSWER_COLOUR[0]),
    ]
    out, x = [], MARGIN
    for key, colour in entries:
        name = words.options[key]
        width = 22 + 7 * len(name) + 18
        if x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + LINE + 4
        out.append(f'<rect x="{x}" y="{y + 2}" width="14" height="14" fill="{colour}" stroke="#767676"/>')
        out.append(f'<text x="{x + 20}" y="{y + 14}" font-size="13">{escape(name)}</text>')
        x += width
    return out, y + LINE + 4


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]
