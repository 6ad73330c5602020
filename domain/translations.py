"""Swedish and English versions of the texts members read, beside the Finnish ones (issue 13).

The Finnish text stays in its own field (``Idea.title``, ``Meeting.summary`` …); ``Translations`` holds the
others as ``{language: {field: text}}``: only ``sv`` and ``en``, only the fields the entity declares (its
``TextRule`` per field, with the Finnish field's limits), trimmed, empty ones left out. A list field (next steps,
agenda) holds a tuple of texts. A missing translation never blocks anything: the reader then gets Finnish.
Errors name the field as ``translations.sv.note``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from domain.errors import InvalidValue
from domain.values import Language, bounded_text, single_line

# The languages a text may be translated into; Finnish is the original.
TRANSLATED: tuple[Language, ...] = (Language.SV, Language.EN)
FIELD = "translations"

Value = str | tuple[str, ...]


@dataclass(frozen=True)
class TextRule:
    """How one translatable field is checked: its length limit, one line or several, one text or a list."""

    maximum: int
    one_line: bool = False
    listed: bool = False

    def check(self, value: object, *, field: str) -> Value:
        if self.listed:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple):
                raise InvalidValue(field, "must be a list of texts")
            return tuple(self._one(item, field=f"{field}[{i}]") for i, item in enumerate(value) if _some(item))
        return self._one(value, field=field)

    def _one(self, value: object, *, field: str) -> str:
        if not isinstance(value, str):
            raise InvalidValue(field, "must be a text")
        if self.one_line:
            return single_line(value, field=field, maximum=self.maximum)
        return bounded_text(value, field=field, maximum=self.maximum)


def _some(value: object) -> bool:
    return not isinstance(value, str) or bool(value.strip())


@dataclass(frozen=True)
class Translations:
    """An entity's texts in Swedish and English: ``{language: {field: text or texts}}``, none empty."""

    texts: Mapping[Language, Mapping[str, Value]] = field(default_factory=lambda: MappingProxyType({}))

    def __bool__(self) -> bool:
        return any(self.texts.values())

    def __deepcopy__(self, memo: dict[int, Any]) -> Translations:
        return self  # immutable all the way down (read-only mappings of strings and tuples)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Translations) and self.as_json() == other.as_json()

    def __hash__(self) -> int:
        return hash(repr(sorted(self.as_json().items())))

    def get(self, language: Language | str, name: str) -> Value | None:
        try:
            return self.texts.get(Language(language), {}).get(name)
        except ValueError:
            return None

    def fields(self) -> set[str]:
        return {name for by_field in self.texts.values() for name in by_field}

    def as_json(self) -> dict[str, dict[str, Any]]:
        """``{"sv": {"note": "…"}, "en": {…}}``: the API's and the store's form (lists as JSON lists)."""
        return {
            language.value: {name: list(v) if isinstance(v, tuple) else v for name, v in by_field.items()}
            for language, by_field in self.texts.items()
            if by_field
        }

    def renamed(self, names: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        """Only the fields in ``names``, each under its new name (a payload's own field names); no empty language."""
        out: dict[str, dict[str, Any]] = {}
        for language, by_field in self.texts.items():
            chosen = {names[n]: list(v) if isinstance(v, tuple) else v for n, v in by_field.items() if n in names}
            if chosen:
                out[language.value] = chosen
        return out

    def to_screen(self, prefix: str = FIELD) -> dict[str, str]:
        """Each translated text by its field name (``translations.sv.note``, a list's items ``….next_steps[0]``),
        for the privacy guard."""
        out: dict[str, str] = {}
        for language, by_field in self.texts.items():
            for name, value in by_field.items():
                where = f"{prefix}.{language.value}.{name}"
                if isinstance(value, tuple):
                    out.update({f"{where}[{i}]": item for i, item in enumerate(value)})
                else:
                    out[where] = value
        return out

    def merged(self, changes: Translations, *, cleared: frozenset[tuple[str, str]] = frozenset()) -> Translations:
        """These translations with ``changes`` over them; each ``(language, field)`` in ``cleared`` is first removed
        (``("*", field)``: in every language, as when the Finnish text is rewritten without its translations)."""
        texts: dict[Language, dict[str, Value]] = {}
        for language in TRANSLATED:
            gone = {n for code, n in cleared if code in {language.value, "*"}}
            kept = {n: v for n, v in self.texts.get(language, {}).items() if n not in gone}
            kept.update(changes.texts.get(language, {}))
            if kept:
                texts[language] = kept
        return Translations(MappingProxyType({k: MappingProxyType(v) for k, v in texts.items()}))


NONE = Translations()


def cleared(value: Mapping[str, Any] | None, *, names: Mapping[str, str] | None = None) -> frozenset[tuple[str, str]]:
    """The ``(language, field)`` pairs given as empty (``{"sv": {"name": ""}}``): an update removes them."""
    if not isinstance(value, Mapping):
        return frozenset()
    return frozenset(
        (str(code), (names or {}).get(n, n))
        for code, by_field in value.items()
        if isinstance(by_field, Mapping)
        for n, v in by_field.items()
        if v is None or not _some(v) or (isinstance(v, list | tuple) and not any(_some(i) for i in v))
    )


def translations(
    value: Mapping[str, Any] | Translations | None,
    *,
    rules: Mapping[str, TextRule],
    names: Mapping[str, str] | None = None,
    field: str = FIELD,
) -> Translations:
    """Check translations as given (``{"sv": {"note": "…"}}``) against an entity's fields.

    ``names`` renames the given fields to the entity's own (a summary's ``text`` is the meeting's ``summary``);
    errors name the field as given. Raises InvalidValue naming ``translations.<language>.<field>``.
    """
    if value is None:
        return NONE
    if isinstance(value, Translations):
        value = value.as_json()
    if not isinstance(value, Mapping):
        raise InvalidValue(field, 'must map a language ("sv", "en") to its texts')
    allowed = ", ".join(language.value for language in TRANSLATED)
    texts: dict[Language, dict[str, Value]] = {}
    for code, by_field in value.items():
        where = f"{field}.{code}"
        if code not in {language.value for language in TRANSLATED}:
            raise InvalidValue(where, f"{code!r} is not a language a text is translated into; use {allowed}")
        if by_field is None:
            continue
        if not isinstance(by_field, Mapping):
            raise InvalidValue(where, "must map field names to texts")
        checked: dict[str, Value] = {}
        for given, text in by_field.items():
            name = (names or {}).get(given, given)
            rule = rules.get(name)
            if rule is None or (names is not None and given not in names):
                known = ", ".join(sorted(names or rules))
                raise InvalidValue(f"{where}.{given}", f"is not a translatable field here; they are: {known}")
            if text is None or not _some(text):
                continue
            checked_value = rule.check(text, field=f"{where}.{given}")
            if checked_value:
                checked[name] = checked_value
        if checked:
            texts[Language(code)] = checked
    return Translations(MappingProxyType({k: MappingProxyType(v) for k, v in texts.items()}))


def missing(translations: Translations, present: Iterable[str]) -> dict[str, list[str]]:
    """For each language a text is translated into, the ``present`` fields (those with a Finnish text) it lacks."""
    wanted = list(present)
    return {
        language.value: [name for name in wanted if translations.get(language, name) is None] for language in TRANSLATED
    }


def from_store(value: Mapping[str, Any] | None) -> Translations:
    """Translations as stored (already checked when they were written): no rules applied again."""
    if not value:
        return NONE
    texts: dict[Language, Mapping[str, Value]] = {}
    for code, by_field in value.items():
        if code in {language.value for language in TRANSLATED} and isinstance(by_field, Mapping) and by_field:
            texts[Language(code)] = MappingProxyType(
                {n: tuple(v) if isinstance(v, list) else v for n, v in by_field.items()}
            )
    return Translations(MappingProxyType(texts))


def given(**fields: tuple[str | None, str | None] | tuple[list[str] | None, list[str] | None]) -> dict[str, Any]:
    """Translations from per-field Swedish and English values (as command-line options give them):
    ``given(note=(sv, en))`` → ``{"sv": {"note": sv}, "en": {"note": en}}``, leaving out what is None."""
    out: dict[str, dict[str, Any]] = {}
    for name, (sv, en) in fields.items():
        for language, text in ((Language.SV, sv), (Language.EN, en)):
            if text is not None:
                out.setdefault(language.value, {})[name] = text
    return out
