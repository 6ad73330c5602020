"""Survey scoring: shares add up to 100 (largest remainder), bands, NPS, suppression under 5 answers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.survey_scoring import (
    MIN_ANSWERS,
    band_of,
    breakdown,
    largest_remainder,
    net_promoter_score,
    round_half_away,
    score,
)
from domain.surveys import Agreement, Answer, Survey, SurveyStatus

A, SA, SD, D = Agreement.AGREE, Agreement.SOMEWHAT_AGREE, Agreement.SOMEWHAT_DISAGREE, Agreement.DISAGREE


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(lambda c: sum(c) > 0))
def test_shares_always_sum_to_100_and_stay_within_1_of_the_exact_share(counts: list[int]) -> None:
    shares = largest_remainder(counts)
    assert sum(shares) == 100
    total = sum(counts)
    for count, share in zip(counts, shares, strict=True):
        assert abs(Fraction(share) - Fraction(count * 100, total)) < 1
        assert share >= 0


@pytest.mark.slow
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=6).filter(lambda c: sum(c) > 0))
def test_rounding_is_deterministic_and_order_of_equal_counts_decides_ties(counts: list[int]) -> None:
    assert largest_remainder(counts) == largest_remainder(list(counts))


def test_ties_go_to_the_larger_count_then_the_earlier_option() -> None:
    # 1/3 each: the one point left over goes to the first option.
    assert largest_remainder([1, 1, 1]) == (34, 33, 33)
    assert largest_remainder([0, 1, 1, 1]) == (0, 34, 33, 33)


def test_rounding_refuses_nothing_to_share() -> None:
    with pytest.raises(ValueError, match="no answers"):
        largest_remainder([0, 0])


def test_net_promoter_score_is_promoters_minus_detractors_over_those_who_gave_a_number() -> None:
    # 3 promoters (9, 10, 10), 1 passive (8), 2 detractors (1, 6): (3 - 2) / 6 = 16.67 -> 17
    assert net_promoter_score([9, 10, 10, 8, 1, 6]) == 17
    assert net_promoter_score([10] * 5) == 100
    assert net_promoter_score([6] * 5) == -100
    assert net_promoter_score([7, 8, 7, 8, 7]) == 0
    assert net_promoter_score([10, 10, 10, 10]) is None  # fewer than 5: suppressed


def test_half_points_round_away_from_zero() -> None:
    assert round_half_away(1, 2) == 1
    assert round_half_away(-1, 2) == -1
    assert round_half_away(-5, 4) == -1
    assert round_half_away(250, 8) == 31  # 31.25


def test_bands_are_the_models() -> None:
    assert [band_of(n) for n in range(1, 11)] == ["1-3"] * 3 + ["4-7"] * 4 + ["8-10"] * 3


def test_a_breakdown_of_fewer_than_five_answers_shows_no_numbers() -> None:
    small = breakdown(("a", "b"), [3, 1])
    assert small.suppressed
    assert small.counts is None
    assert small.shares is None
    assert small.n is None
    assert small.as_dict() == {"suppressed": True}
    assert not breakdown(("a", "b"), [4, 1]).suppressed


def _survey(*statements: str) -> Survey:
    return Survey(id=7, panel_id=1, title="Syksyn arviointi", statements=list(statements), status=SurveyStatus.CLOSED)


def _answers(spec: list[tuple[Agreement | None, int]], recommendations: list[int | None]) -> list[Answer]:
    choices = [choice for choice, count in spec for _ in range(count)]
    assert len(choices) == len(recommendations)
    return [Answer((c,), r) for c, r in zip(choices, recommendations, strict=True)]


def _percents(entry: dict[str, object]) -> dict[str, int]:
    options = entry["options"]
    assert isinstance(options, list)
    return {o["option"]: o["percent"] for o in options}


def test_the_pilots_77_12_6_6_chart_from_52_answers_adds_up_to_100_where_naive_rounding_makes_101() -> None:
    """The slide's 77 % / 12 % / 6 % / 6 %: 40, 6, 3 and 3 of 52 round naively to exactly those, 101 in all."""
    counts = [40, 6, 3, 3]
    assert [round(c * 100 / 52) for c in counts] == [77, 12, 6, 6]  # what the slide shows
    assert sum(round(c * 100 / 52) for c in counts) == 101
    recommendations: list[int | None] = [9] * 26 + [8] * 10 + [6] * 8 + [5] * 4 + [2] * 4
    answers = _answers([(A, 40), (SA, 6), (SD, 3), (D, 3)], recommendations)
    report = score(_survey("Koen mielekkääksi osallistua palvelun kehittämiseen"), answers, invited=60).as_dict()
    statement = report["statements"][0]
    assert statement["n"] == 52
    assert report["n"] == 52
    assert _percents(statement) == {
        "agree": 77,
        "somewhat_agree": 11,  # 11.54 % gives way: the remainders of 5.77 % are larger
        "somewhat_disagree": 6,
        "disagree": 6,
        "no_answer": 0,
    }
    assert sum(_percents(statement).values()) == 100
    bands = _percents(report["recommendation"])
    # 1-3: 4/52 = 7.69, 4-7: 12/52 = 23.08, 8-10: 36/52 = 69.23 -> 8 + 23 + 69 = 100
    assert bands == {"1-3": 8, "4-7": 23, "8-10": 69, "no_answer": 0}
    # promoters 26 (9s), detractors 16 (6, 5, 2): (26 - 16) / 52 = 19.2
    assert report["recommendation"]["nps"] == 19


def test_the_pilots_47_24_18_6_chart_from_17_answers_one_unanswered() -> None:
    """The other slide, 47 % / 24 % / 18 % / 6 % (95 % shown): 8, 4, 3, 1 of 17 and one who did not answer."""
    counts = [8, 4, 3, 1, 1]
    assert [round(c * 100 / 17) for c in counts[:4]] == [47, 24, 18, 6]
    assert sum(round(c * 100 / 17) for c in counts) == 101  # naive, with the unanswered 6 %
    answers = _answers(
        [(A, 8), (SA, 4), (SD, 3), (D, 1), (None, 1)], [10, 9, 9, 8, 8, 8, 8, 7, 7, 5, 4, 3, 9, 10, 8, 7, None]
    )
    report = score(_survey("Raatiin osallistuminen oli mielekästä"), answers, invited=20)
    shares = _percents(report.as_dict()["statements"][0])
    assert shares == {"agree": 47, "somewhat_agree": 23, "somewhat_disagree": 18, "disagree": 6, "no_answer": 6}
    assert sum(shares.values()) == 100
    assert report.recommendation.n == 17
    assert report.recommendation.counts == (1, 5, 10, 1)


def test_a_survey_with_four_answers_is_suppressed_everywhere() -> None:
    answers = [Answer((A,), 9, "Hyvä raati"), Answer((A,), 10), Answer((D,), 2), Answer((SA,), 7)]
    report = score(_survey("Väite"), answers, invited=10).as_dict()
    assert report["n"] == 4
    assert report["statements"][0] == {"position": 1, "text": "Väite", "suppressed": True}
    assert report["recommendation"] == {"suppressed": True, "nps": None, "nps_suppressed": True}
    assert report["comments"] is None
    assert report["comments_suppressed"] is True


def test_comments_are_sorted_so_their_order_says_nothing_about_when_they_came() -> None:
    answers = [Answer((A,), 9, text) for text in ("Öisin", "bussit", "Aamut", "", "Kahvi")]
    assert score(_survey("Väite"), answers, invited=5).comments == ("Aamut", "bussit", "Kahvi", "Öisin")


def test_min_answers_is_five() -> None:
    assert MIN_ANSWERS == 5
