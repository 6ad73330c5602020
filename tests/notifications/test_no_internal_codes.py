"""No internal code reaches a reader: every mail kind, in every language, in text and in HTML.

A code is a value the program uses among itself: a task's kind or category, an idea's state, a
notification kind. Only the values with an underscore are searched for as whole words (``question``
or ``material`` are ordinary words), and a task's kind printed as ``material · …`` is caught apart.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from domain.ideas import IdeaState
from domain.meetings import TaskCategory, TaskKind
from notifications import kinds
from notifications.render import Renderer
from tests.notifications.samples import BASE_URL, links_for, sample

LANGUAGES = ("fi", "sv", "en")
CODES = sorted(
    {
        value
        for values in (TaskKind, TaskCategory, IdeaState, kinds.Kind)
        for value in (member.value for member in values)
        if "_" in value
    }
)
CODE = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, CODES)) + r")(?![\w/.-])")
# "material · customer_instructions", the way pre-briefs printed a task before.
TASK_CODES = re.compile(r"\b(" + "|".join(kind.value for kind in TaskKind) + r")\s*·")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(BASE_URL + "/")


def internal_codes(text: str) -> list[str]:
    return CODE.findall(text) + TASK_CODES.findall(text)


def test_the_codes_searched_for_include_the_ones_members_saw() -> None:
    assert {"customer_instructions", "sent_to_service", "in_progress", "web_services", "idea_update"} <= set(CODES)
    assert internal_codes("material · customer_instructions") == ["customer_instructions", "material"]
    assert internal_codes("https://example.fi/sent_to_service/x and tila: in_progress") == ["in_progress"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(kinds.ALL_KINDS))
def test_no_mail_shows_an_internal_code(renderer: Renderer, kind: str, language: str) -> None:
    rendered = renderer.render(kind, language, sample(kind), links=links_for(kind))

    assert internal_codes(rendered.subject) == []
    assert internal_codes(rendered.text) == []
    assert internal_codes(rendered.html) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fi", "Aineisto kommentoitavaksi, aiheena asiakasohjeet"),
        ("sv", "Material att kommentera, ämne: anvisningar för kunder"),
        ("en", "Material to comment on, about customer instructions"),
    ],
)
def test_a_task_kind_and_category_are_in_the_readers_words(renderer: Renderer, language: str, words: str) -> None:
    rendered = renderer.render(kinds.PREBRIEF, language, sample(kinds.PREBRIEF), links=links_for(kinds.PREBRIEF))

    assert words in rendered.text
    assert words in rendered.html


def test_a_prebrief_queued_with_the_codes_in_its_description_is_shown_in_words(renderer: Renderer) -> None:
    (payload,) = sample(kinds.PREBRIEF)
    old: dict[str, Any] = {**payload, "tasks": [{"title": "Ohje", "description": "question · web_services"}]}

    rendered = renderer.render(kinds.PREBRIEF, "fi", [old], links=links_for(kinds.PREBRIEF))

    assert "Kysymys raadille, aiheena verkkopalvelut" in rendered.text
    assert internal_codes(rendered.text) == []
