"""The glossary is the one source of the words: mail and the staff pages name the idea states as it does."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.ideas import IdeaState
from notifications.catalogs import CATALOGS
from notifications.glossary import LANGUAGES, glossary
from notifications.i18n import load_catalog
from notifications.views import state_words
from web.errors import state_name
from web.rendering import LOCALE_DIR, WEB_DOMAIN

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_glossary_names_every_idea_state_and_nothing_else() -> None:
    assert set(glossary().states) == {state.value for state in IdeaState}


def test_every_term_has_a_word_in_every_language_and_a_source() -> None:
    for term in [*glossary().terms.values(), *glossary().states.values()]:
        assert all(term.words[language].strip() for language in LANGUAGES), term.key
        assert term.source.strip(), term.key
    assert {"customer_panel", "member", "coordinator", "service_owner", "meeting", "prebrief"} <= set(glossary().terms)
    assert {"summary", "topic_wish", "ground_rules"} <= set(glossary().terms)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mail_names_each_state_as_the_glossary_does(language: str) -> None:
    catalog = CATALOGS[language]

    assert {state.value: state_words(catalog, state) for state in IdeaState} == glossary().state_names(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_pages_name_each_state_as_the_glossary_does(language: str) -> None:
    # The web catalog alone (web/locale/<language>/LC_MESSAGES/web.po), not the mail's behind it.
    pages = load_catalog(LOCALE_DIR, WEB_DOMAIN, language)

    assert {state.value: state_name(state.value, pages) for state in IdeaState} == glossary().state_names(language)


def test_the_readmes_glossary_table_shows_every_term_in_every_language() -> None:
    section = README.read_text(encoding="utf-8").split("## Glossary", 1)[1].split("\n## ", 1)[0]
    rows = {line for line in section.splitlines() if line.startswith("|")}

    for term in [*glossary().terms.values(), *glossary().states.values()]:
        cells = " | ".join(term.words[language] for language in LANGUAGES)
        assert any(cells in row for row in rows), f"README's glossary lacks {term.key}: {cells}"
