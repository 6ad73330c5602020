"""The glossary (``glossary.toml``): one word per language for each term and each idea state.

Mail and the staff pages keep their own strings (so a message extractor finds them); a test holds
them to the glossary. Code that needs a term in a language can read it from here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).with_name("glossary.toml")
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Term:
    key: str
    words: dict[str, str]
    source: str


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, Term]
    states: dict[str, Term]

    def state_names(self, language: str) -> dict[str, str]:
        """Each idea state's name in ``language``, keyed by the state's code."""
        return {key: term.words[language] for key, term in self.states.items()}


def _terms(table: dict[str, dict[str, str]]) -> dict[str, Term]:
    return {
        key: Term(key, {language: entry[language] for language in LANGUAGES}, entry["source"])
        for key, entry in table.items()
    }


@cache
def glossary() -> Glossary:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    return Glossary(_terms(data["terms"]), _terms(data["states"]))
