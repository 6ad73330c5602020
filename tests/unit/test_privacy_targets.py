"""The privacy guard meets its targets on the hand-labelled sentences (tests/data/privacy_labelled.jsonl)."""

from __future__ import annotations

import pytest

from bench.privacy_eval import IDENTIFIERS, load, score, totals
from domain.privacy_detectors import Kind


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return load()


def test_the_labelled_set_has_at_least_200_sentences_in_three_languages_and_every_kind(records):
    assert len(records) >= 200
    assert {r["lang"] for r in records} == {"fi", "sv", "en"}
    assert {r["split"] for r in records} == {"tuning", "holdout", "late"}
    kinds = {span["kind"] for r in records for span in r["spans"]}
    assert kinds == {k.value for k in Kind}
    for record in records:  # spans lie inside the text and do not cut words
        text = record["text"]
        for span in record["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]] != " "
            assert text[span["end"] - 1] != " "


def test_every_century_sign_has_a_labelled_identity_code(records):
    codes = [r["text"][s["start"] : s["end"]] for r in records for s in r["spans"] if s["kind"] == "identity_code"]
    assert {code[6] for code in codes} == set("+-YXWVUABCDEF")


def test_identifiers_reach_recall_099_and_precision_095(records):
    scores = score(records)
    identifiers = totals(scores, IDENTIFIERS)
    assert identifiers.recall >= 0.99, scores
    assert identifiers.precision >= 0.95
    for kind in IDENTIFIERS:
        assert scores[kind].recall >= 0.99, (kind, scores[kind].misses)
        assert scores[kind].precision >= 0.95, (kind, scores[kind].false_alarms)


def test_health_details_reach_recall_085_and_precision_08(records):
    health = score(records)[Kind.HEALTH]
    assert health.labelled >= 100
    assert health.recall >= 0.85, health.misses
    assert health.precision >= 0.8, health.false_alarms


def test_the_targets_hold_on_the_sentences_not_used_for_tuning_too():
    scores = score(load(split="holdout"))
    assert totals(scores, IDENTIFIERS).recall >= 0.99
    assert totals(scores, IDENTIFIERS).precision >= 0.95
    assert scores[Kind.HEALTH].recall >= 0.85
    assert scores[Kind.HEALTH].precision >= 0.8
