"""The gettext catalogs are whole: every message the code and templates use is in every language's
``.po`` file, translated, not fuzzy, with the same ``{fields}`` as its source, and nothing stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from notifications.i18n import LANGUAGES, po_path

ROOT = Path(__file__).resolve().parent.parent
# (the folder whose code and templates are extracted, the gettext domain); their .po files are in <folder>/locale.
DOMAINS = [("notifications", "mail"), ("web", "web")]
KEYWORDS = {"t": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
METHODS = [
    ("**.py", "python"),
    ("**/templates/**.j2", "jinja2.ext:babel_extract"),
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
]
FIELD = re.compile(r"(?<!\{)\{([a-z_]+)(?:[:!][^}]*)?\}")

Key = tuple[str | None, str]


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid)


def _extracted(folder: str) -> set[Key]:
    found: set[Key] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT / folder, METHODS, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((context, msgid))
    return found


def _read(folder: str, domain: str, language: str) -> Catalog:
    path = po_path(ROOT / folder / "locale", domain, language)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    with path.open("rb") as source:
        return read_po(source)


def _fields(text: str) -> set[str]:
    return set(FIELD.findall(text))


CASES = [(folder, domain, language) for folder, domain in DOMAINS for language in LANGUAGES]


@pytest.mark.parametrize(("folder", "domain", "language"), CASES)
def test_every_message_is_translated_and_not_fuzzy(folder: str, domain: str, language: str) -> None:
    catalog = _read(folder, domain, language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        label = f"{message.context + ' | ' if message.context else ''}{_key(message)[1]!r}"
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {label}")
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_fields(source) for source in sources))
        for string in strings:
            # A singular form may say "one" in words instead of {count}; no form may invent a field.
            if not _fields(string) <= wanted or (len(strings) == 1 and _fields(string) != wanted):
                problems.append(f"fields {_fields(string)} ≠ {wanted}: {label}")
    assert not problems, f"{domain}.po ({language}):\n" + "\n".join(problems)


@pytest.mark.parametrize(("folder", "domain", "language"), CASES)
def test_the_catalog_holds_exactly_what_the_code_uses(folder: str, domain: str, language: str) -> None:
    in_catalog = {_key(message) for message in _read(folder, domain, language) if message.id}
    used = _extracted(folder)
    missing, stale = used - in_catalog, in_catalog - used
    assert not missing, f"used but not in {language}/{domain}.po (run `make messages`): {sorted(missing, key=str)}"
    assert not stale, f"in {language}/{domain}.po but no longer used (run `make messages`): {sorted(stale, key=str)}"


def test_the_header_is_not_fuzzy_and_names_its_language() -> None:
    for folder, domain, language in CASES:
        catalog = _read(folder, domain, language)
        assert not catalog.fuzzy, f"{domain}.po ({language}): the header is marked fuzzy"
        assert str(catalog.locale).split("_")[0] == language
