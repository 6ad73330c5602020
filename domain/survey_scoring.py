"""Survey scoring: shares that add up to exactly 100, the recommendation bands and the net promoter score.

Shares are rounded by the largest remainder method: every share is its exact value rounded down,
and the points still missing from 100 go to the largest remainders (ties: the larger count, then
the earlier option), so each share is within 1 of its exact value and the shares sum to 100.
A breakdown of fewer than ``MIN_ANSWERS`` answers is suppressed: no counts, no shares, no n.

Net promoter score, as standard NPS: the share of promoters (9–10) minus the share of detractors
(0–6; this scale starts at 1, so 1–6), over those who gave a number, in points from −100 to 100,
rounded to the nearest whole point (halves away from zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.surveys import Agreement, Answer, Survey

MIN_ANSWERS = 5
NO_ANSWER = "no_answer"
AGREEMENT_KEYS: tuple[str, ...] = (*(a.value for a in Agreement), NO_ANSWER)
# The model's bands: 1–3 low (unlikely to recommend), 4–7 middle, 8–10 high (likely to recommend).
BANDS: tuple[tuple[str, int, int], ...] = (("1-3", 1, 3), ("4-7", 4, 7), ("8-10", 8, 10))
BAND_KEYS: tuple[str, ...] = (*(band for band, _, _ in BANDS), NO_ANSWER)
PROMOTERS = range(9, 11)
DETRACTORS = range(7)  # 0-6; this scale starts at 1


def largest_remainder(counts: Sequence[int], *, total: int = 100) -> tuple[int, ...]:
    """Whole-number shares of ``total`` proportional to ``counts`` that add up to exactly ``total``."""
    if any(c < 0 for c in counts):
        raise ValueError("counts must not be negative")
    n = sum(counts)
    if n == 0:
        raise ValueError("no answers to share out")
    shares = [c * total // n for c in counts]
    remainders = [c * total % n for c in counts]
    missing = total - sum(shares)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], -counts[i], i))
    for i in order[:missing]:
        shares[i] += 1
    return tuple(shares)


def round_half_away(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` to the nearest integer, halves away from zero (denominator > 0)."""
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    return sign * (quotient + (1 if 2 * remainder >= denominator else 0))


@dataclass(frozen=True)
class Breakdown:
    """The answers to one question by option; ``counts``/``shares``/``n`` are None when suppressed."""

    keys: tuple[str, ...]
    n: int | None
    counts: tuple[int, ...] | None
    shares: tuple[int, ...] | None

    @property
    def suppressed(self) -> bool:
        return self.n is None

    def as_dict(self) -> dict[str, Any]:
        if self.n is None or self.counts is None or self.shares is None:
            return {"suppressed": True}
        options = [
            {"option": k, "count": c, "percent": s} for k, c, s in zip(self.keys, self.counts, self.shares, strict=True)
        ]
        return {"suppressed": False, "n": self.n, "options": options}


def breakdown(keys: Sequence[str], counts: Sequence[int]) -> Breakdown:
    n = sum(counts)
    if n < MIN_ANSWERS:
        return Breakdown(tuple(keys), None, None, None)
    return Breakdown(tuple(keys), n, tuple(counts), largest_remainder(counts))


def band_of(recommendation: int) -> str:
    for band, low, high in BANDS:
        if low <= recommendation <= high:
            return band
    raise ValueError(f"recommendation {recommendation} is outside 1-10")


def net_promoter_score(recommendations: Sequence[int]) -> int | None:
    """None when fewer than ``MIN_ANSWERS`` people gave a number (suppressed)."""
    if len(recommendations) < MIN_ANSWERS:
        return None
    promoters = sum(1 for r in recommendations if r in PROMOTERS)
    detractors = sum(1 for r in recommendations if r in DETRACTORS)
    return round_half_away((promoters - detractors) * 100, len(recommendations))


@dataclass(frozen=True)
class StatementResult:
    position: int
    text: str
    breakdown: Breakdown


@dataclass(frozen=True)
class SurveyReport:
    """What the report shows; ``respondents`` is n of the whole survey."""

    survey_id: int
    panel_id: int
    title: str
    status: str
    invited: int
    respondents: int
    statements: tuple[StatementResult, ...]
    recommendation: Breakdown
    nps: int | None
    # Sorted, so their order says nothing about who answered when; None when suppressed.
    comments: tuple[str, ...] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "survey_id": self.survey_id,
            "panel_id": self.panel_id,
            "title": self.title,
            "status": self.status,
            "invited": self.invited,
            "n": self.respondents,
            "min_answers": MIN_ANSWERS,
            "statements": [{"position": s.position, "text": s.text, **s.breakdown.as_dict()} for s in self.statements],
            "recommendation": {
                **self.recommendation.as_dict(),
                "nps": self.nps,
                "nps_suppressed": self.nps is None,
            },
            "comments": list(self.comments) if self.comments is not None else None,
            "comments_suppressed": self.comments is None,
        }


def score(survey: Survey, answers: Sequence[Answer], *, invited: int) -> SurveyReport:
    """The report of a survey from its anonymous answers."""
    statements = []
    for position, text in enumerate(survey.statements):
        counts = dict.fromkeys(AGREEMENT_KEYS, 0)
        for answer in answers:
            choice = answer.agreements[position] if position < len(answer.agreements) else None
            counts[choice.value if choice is not None else NO_ANSWER] += 1
        statements.append(
            StatementResult(position + 1, text, breakdown(AGREEMENT_KEYS, [counts[k] for k in AGREEMENT_KEYS]))
        )
    bands = dict.fromkeys(BAND_KEYS, 0)
    numbers = [a.recommendation for a in answers if a.recommendation is not None]
    for number in numbers:
        bands[band_of(number)] += 1
    bands[NO_ANSWER] = len(answers) - len(numbers)
    comments = sorted((a.comment for a in answers if a.comment), key=lambda c: (c.casefold(), c))
    return SurveyReport(
        survey_id=survey.stored_id,
        panel_id=survey.panel_id,
        title=survey.title,
        status=survey.status.value,
        invited=invited,
        respondents=len(answers),
        statements=tuple(statements),
        recommendation=breakdown(BAND_KEYS, [bands[k] for k in BAND_KEYS]),
        nps=net_promoter_score(numbers),
        comments=tuple(comments) if len(answers) >= MIN_ANSWERS else None,
    )
