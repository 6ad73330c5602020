"""Texts people wrote (titles, notes, summaries), in the reader's language where a translation exists.

A payload holds the Finnish text in its own field and the other languages under ``translations``
(``{"sv": {"idea_title": "…"}}``, the field's own name). A reader gets their language, else Finnish,
then Swedish, then English; the text keeps the language it is in, so the mail can say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notifications.i18n import LANGUAGES

# The language of the payload's own fields: every text Raati holds has a Finnish version.
SOURCE_LANGUAGE = "fi"


class Content(str):
    """A text and the language it is written in (``lang``): a ``str`` everywhere a string is expected."""

    lang: str

    def __new__(cls, text: str, lang: str) -> Content:
        value = super().__new__(cls, text)
        value.lang = lang
        return value


def _in(source: Mapping[str, Any], field: str, language: str) -> Any:
    if language == SOURCE_LANGUAGE:
        return source.get(field)
    translations = source.get("translations")
    if not isinstance(translations, Mapping):
        return None
    texts = translations.get(language)
    return texts.get(field) if isinstance(texts, Mapping) else None


def _order(language: str) -> list[str]:
    return [language, *(other for other in LANGUAGES if other != language)]


def localized(source: Mapping[str, Any], field: str, language: str) -> Content | None:
    """The field's text in ``language``, else in the first language that has it; None when none has."""
    for candidate in _order(language):
        value = _in(source, field, candidate)
        if isinstance(value, str) and value.strip():
            return Content(value, candidate)
    return None


def localized_list(source: Mapping[str, Any], field: str, language: str) -> list[Content]:
    """A list of texts (next steps, agenda points): one language's whole list, never a mix of two."""
    for candidate in _order(language):
        values = _in(source, field, candidate)
        if isinstance(values, list) and any(isinstance(value, str) and value.strip() for value in values):
            return [Content(str(value), candidate) for value in values if str(value).strip()]
    return []
