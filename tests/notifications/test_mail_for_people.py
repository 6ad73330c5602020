"""Every mail kind, in every language, as a person receives it: in their language, greeted by first name,
with whom to ask, a Reply-To that reaches that person, and no field code, internal code or stray message.

The payloads are the samples with what producers add for people: translations of every text members read,
the panel's contact person and the reader's given name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from typing import Any

import pytest
from babel.messages.pofile import read_po

from notifications import kinds
from notifications.catalogs import LOCALE_DIR
from notifications.composer import MailComposer
from notifications.i18n import po_path
from notifications.links import LinkSigner
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import Renderer
from tests.notifications.samples import BASE_URL, sample
from tests.notifications.test_no_internal_codes import internal_codes

LANGUAGES = ("fi", "sv", "en")
CONTACT = {"name": "Liisa Laaksonen", "email": "liisa.laaksonen@hel.example", "phone": "09 310 12345"}
PANEL = {"fi": "Itä-Helsingin asiakasraati", "sv": "Östra Helsingfors kundråd", "en": "East Helsinki customer panel"}
GREETING = {"fi": "Hei Maija,", "sv": "Hej Maija", "en": "Dear Maija,"}
# The texts people wrote, by the payload's own field names; lists are whole lists.
TEXT_FIELDS = ("idea_title", "text", "idea_text", "meeting_title", "place", "discussion", "survey_title", "title")
LIST_FIELDS = ("next_steps", "agenda")
NESTED = ("tasks", "materials", "ideas", "items")
PAYLOAD_KEYS = sorted({key for kind in kinds.ALL_KINDS for payload in sample(kind) for key in payload if "_" in key})


def _translated(source: dict[str, Any], counter: Iterator[int]) -> dict[str, Any]:
    """The source with a Swedish and an English version of each of its texts (a text of its own each)."""
    result = dict(source)
    translations: dict[str, dict[str, Any]] = {"sv": {}, "en": {}}
    for field in (*TEXT_FIELDS, "description"):
        if isinstance(source.get(field), str) and source[field]:
            number = next(counter)
            translations["sv"][field] = f"Svensk text nummer {number}"
            translations["en"][field] = f"English text number {number}"
    for field in LIST_FIELDS:
        if source.get(field):
            translations["sv"][field] = [f"Svenskt steg {next(counter)}" for _ in source[field]]
            translations["en"][field] = [f"English step {next(counter)}" for _ in source[field]]
    if "panel_name" in source:
        translations["sv"]["panel_name"], translations["en"]["panel_name"] = PANEL["sv"], PANEL["en"]
    for field in NESTED:
        if isinstance(source.get(field), list):
            result[field] = [_translated(item, counter) for item in source[field]]
    if any(translations.values()):
        result["translations"] = translations
    return result


def for_people(kind: str) -> list[dict[str, Any]]:
    counter = iter(range(1, 1000))
    payloads = []
    for payload in sample(kind):
        person = _translated(payload, counter)
        if kinds.is_member_kind(kind):
            person |= {"panel_contact": CONTACT, "recipient_name": "Maija Meikäläinen", "greeting_name": "Maija"}
        payloads.append(person)
    return payloads


RENDERER = Renderer(BASE_URL)


@cache
def compose(kind: str, language: str) -> EmailMessage:
    """The email as received (parsed from its bytes); one per kind and language, read by every test here."""
    member = kinds.is_member_kind(kind)
    payloads = for_people(kind)
    rows = [
        OutboxMessage(
            id=f"row-{index}",
            kind=kind,
            recipient_kind=RecipientKind.MEMBER if member else RecipientKind.STAFF,
            recipient_id=42,
            email="maija@example.fi",
            language=language,
            payload=payload,
            created_at=datetime(2026, 3, 12, 12, 0, tzinfo=UTC),
            panel_id=1,
        )
        for index, payload in enumerate(payloads)
    ]
    composer = MailComposer(
        renderer=RENDERER,
        signer=LinkSigner(b"k" * 32),
        sender="Raati <raati@raati.example.fi>",
        base_url=BASE_URL,
        mail_domain="raati.example.fi",
        clock=type("Clock", (), {"now": lambda self: datetime(2026, 3, 12, 12, 0, tzinfo=UTC)})(),
    )
    built = composer.compose(kind, rows, key="row-0")
    parsed = message_from_bytes(built.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


@cache
def _messages(language: str) -> dict[str, str]:
    with po_path(LOCALE_DIR, "mail", language).open("rb") as source:
        catalog = read_po(source)
    found = {}
    for message in catalog:
        if not message.id or message.context == "format":
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, string in zip(ids, strings, strict=False):
            found[msgid] = string
    return found


def stray_messages(text: str, language: str) -> list[str]:
    """Another language's sentences in a mail: a message the reader's catalog words differently."""
    own = _messages(language)
    strays = []
    for other in LANGUAGES:
        if other == language:
            continue
        for msgid, string in _messages(other).items():
            # Only whole sentences say a language for sure; the placeholders' text is the reader's own.
            for part in re.split(r"\{[a-z_]+\}", string):
                part = part.strip(" :,.–")
                if len(part) >= 20 and part not in own.get(msgid, "") and part in text:
                    strays.append(f"{other}: {part}")
    return strays


CASES = [(kind, language) for kind in sorted(kinds.ALL_KINDS) for language in LANGUAGES]


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_a_mail_has_no_field_code_internal_code_or_unfilled_placeholder(kind: str, language: str) -> None:
    message = compose(kind, language)
    text, html = bodies(message)

    for written in (str(message["Subject"]), text, html):
        assert internal_codes(written) == []
        assert [key for key in PAYLOAD_KEYS if re.search(rf"(?<![\w/.-]){key}(?![\w/.-])", written)] == []
        assert re.findall(r"\{[a-z_]+\}", written) == []


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_a_mail_is_written_in_its_readers_language_only(kind: str, language: str) -> None:
    message = compose(kind, language)
    text, html = bodies(message)

    assert stray_messages(str(message["Subject"]) + "\n" + text, language) == []
    assert message["Content-Language"] == language
    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize(("kind", "language"), [(k, lang) for k, lang in CASES if lang != "fi"])
def test_a_swedish_or_english_reader_gets_the_content_in_their_language(kind: str, language: str) -> None:
    message = compose(kind, language)
    text, html = bodies(message)
    finnish = [
        value
        for payload in sample(kind)
        for field, value in payload.items()
        if field in (*TEXT_FIELDS, *LIST_FIELDS) and value and field != "wish_text"
    ]

    for value in finnish:
        for line in value if isinstance(value, list) else [value]:
            assert line not in text
            assert line not in html
    if kinds.is_member_kind(kind):
        assert PANEL[language] in text
        assert 'lang="fi"' not in html.split("<body", 1)[1]


@pytest.mark.parametrize(("kind", "language"), [(k, lang) for k, lang in CASES if kinds.is_member_kind(k)])
def test_member_mail_greets_by_first_name_and_says_whom_to_ask(kind: str, language: str) -> None:
    message = compose(kind, language)
    text, html = bodies(message)

    assert GREETING[language] in text
    assert "Meikäläinen" not in text
    assert "Meikäläinen" not in html
    for value in CONTACT.values():
        assert value in text
        assert value in html
    assert message["Reply-To"] == CONTACT["email"]
    (sender,) = message["From"].addresses
    assert sender.display_name == PANEL[language]
    assert sender.addr_spec == "raati@raati.example.fi"


@pytest.mark.parametrize("kind", sorted(kinds.STAFF_KINDS))
def test_staff_mail_comes_from_raati_without_a_reply_to(kind: str) -> None:
    message = compose(kind, "fi")

    assert message["Reply-To"] is None
    assert message["From"].addresses[0].display_name == "Raati"


def test_a_text_without_a_translation_is_marked_as_finnish() -> None:
    (payload,) = sample(kinds.SUMMARY)
    renderer = Renderer(BASE_URL)
    links = {"unsubscribe": f"{BASE_URL}/u", "preferences": f"{BASE_URL}/p"}

    rendered = renderer.render(kinds.SUMMARY, "sv", [payload], links=links)

    assert "Omaolon ohjeet asiakkaan silmin (på finska)" in rendered.text
    assert '<span lang="fi">Omaolon ohjeet asiakkaan silmin</span>' in rendered.html


def test_the_stray_check_finds_a_finnish_sentence_in_swedish_mail() -> None:
    assert stray_messages("Tämä on automaattinen viesti, eikä siihen voi vastata.", "sv") != []
