"""Typed text never becomes a header: encoded-words in a title or a name stay literal text.

A title such as ``=?utf-8?q?Hi=0D=0ABcc:_evil=40attacker.example?=`` has no line break of its
own, but a header parser decodes the encoded-word; Raati must never let its own parser do that
and must write the text so that a reader's parser gets the text back, not a line break.
Every message here is composed by the real composer (or ``build_message``) and read back from
its bytes with ``email.policy.default``.
"""

from __future__ import annotations

import base64
import copy
import email
import email.policy
import email.utils
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtplib.email import flatten_message
from hypothesis import given
from hypothesis import strategies as st

from notifications import kinds
from notifications.catalogs import Catalog, catalog_for
from notifications.composer import MailComposer
from notifications.links import LinkSigner
from notifications.message import build_message, wire_bytes
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import SUBJECT_MAX, Rendered, Renderer, single_line
from tests.conftest import FixedClock
from tests.notifications.samples import BASE_URL, idea_change, sample, staff_item

MAIL_DOMAIN = "raati.example.fi"
SENDER = "Raati <raati@raati.example.fi>"
MEMBER = "maija@example.fi"
SENT_AT = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
ATTACKER = "evil@attacker.example"


def _b(charset: str, text: str) -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


# What a person might type: literal and encoded line breaks, in both encodings and two charsets.
HOSTILE = {
    "literal-crlf-bcc": f"Hi\r\nBcc: {ATTACKER}",
    "literal-lf-reply-to": f"Hi\nReply-To: {ATTACKER}",
    "literal-double-crlf": "Hi\r\n\r\n--fake-boundary\r\nContent-Type: text/html\r\n\r\n<h1>x</h1>",
    "q-utf8-bcc": "=?utf-8?q?Hi=0D=0ABcc:_evil=40attacker.example?=",
    "q-UTF8-upper-reply-to": "=?UTF-8?Q?Hi=0D=0AReply-To:_evil=40attacker.example?=",
    "b-utf8-bcc": _b("utf-8", f"Hi\r\nBcc: {ATTACKER}"),
    "q-latin1-reply-to": "=?iso-8859-1?q?Hyv=E4=0D=0AReply-To:_evil=40attacker.example?=",
    "b-latin1-bcc": _b("iso-8859-1", f"Hyvä\r\nBcc: {ATTACKER}"),
    "q-double-crlf": "=?utf-8?q?Hi=0D=0A=0D=0A--fake-boundary=0D=0AContent-Type:_text/html?=",
    "b-double-crlf": _b("utf-8", "Hi\r\n\r\n<h1>not the body</h1>"),
    "q-nul": "=?utf-8?q?Hi=00Bcc:_evil=40attacker.example?=",
    "two-words-split-crlf": f"=?utf-8?q?Hi=0D?= =?utf-8?q?=0ABcc:_{ATTACKER.replace('@', '=40')}?=",
    "glued-to-a-word": "Idea=?utf-8?q?=0D=0ABcc:_evil=40attacker.example?=",
    "non-ascii-and-encoded": "Äänestys =?utf-8?q?=0D=0ABcc:_evil=40attacker.example?=",
    "plain-bcc-text": f"Bcc: {ATTACKER} Reply-To: {ATTACKER}",
}
CASES = pytest.mark.parametrize("typed", list(HOSTILE.values()), ids=list(HOSTILE))

MEMBER_HEADERS = [
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "content-language",
    "mime-version",
    "content-type",
]
STAFF_HEADERS = [name for name in MEMBER_HEADERS if not name.startswith("list-unsubscribe")]


@dataclass(frozen=True)
class Field:
    """Where typed text goes in a notification's payload, and the subject a reader must see (from the catalog)."""

    kind: str
    payload: Callable[[str], dict[str, Any]]
    subject: Callable[[Catalog, str], str]


def _only(kind: str, **overrides: Any) -> dict[str, Any]:
    (payload,) = sample(kind)
    return {**payload, **overrides}


def _one_item(**overrides: Any) -> dict[str, Any]:
    (payload,) = sample(kinds.REMINDER)
    return {**payload, "items": [staff_item(**overrides)]}


def _meeting_item(title: str) -> dict[str, Any]:
    item = staff_item(subject="summary", title=title, meeting_id=3)
    del item["idea_id"]
    (payload,) = sample(kinds.ESCALATION)
    return {**payload, "items": [item]}


# Every place a typed title or name goes; the subject is what the reader must see, built from the catalog.
FIELDS = {
    "idea-title-update": Field(
        kinds.IDEA_UPDATE,
        lambda text: idea_change(title=text),
        lambda t, text: t.ngettext(
            "News about the panel's idea: {title}", "News about {count} of the panel's ideas", 1, title=text
        ),
    ),
    "idea-title-digest": Field(
        kinds.DIGEST,
        lambda text: idea_change(title=text),
        lambda t, text: t.ngettext(
            "Weekly digest: news about the panel's idea {title}",
            "Weekly digest: news about {count} of the panel's ideas",
            1,
            title=text,
        ),
    ),
    "idea-title-to-service": Field(
        kinds.IDEA_SENT_TO_SERVICE,
        lambda text: _only(kinds.IDEA_SENT_TO_SERVICE, idea_title=text),
        lambda t, text: t("A new idea for your service: {title}", title=text),
    ),
    "idea-title-reminder": Field(
        kinds.REMINDER,
        lambda text: _one_item(title=text),
        lambda t, text: t.ngettext("Reminder: {title}", "Reminder: {count} items are waiting for you", 1, title=text),
    ),
    "meeting-title-escalation": Field(
        kinds.ESCALATION,
        _meeting_item,
        lambda t, text: t.ngettext(
            "Needs attention: {title}", "Needs attention: {count} items are overdue", 1, title=text
        ),
    ),
    "survey-title": Field(
        kinds.SURVEY_INVITATION,
        lambda text: _only(kinds.SURVEY_INVITATION, survey_title=text),
        lambda t, text: t("Tell us what you think: {title}", title=text),
    ),
    # These reach the body only; the subject stays the kind's own.
    "meeting-and-panel-prebrief": Field(
        kinds.PREBRIEF,
        lambda text: _only(kinds.PREBRIEF, meeting_title=text, panel_name=text, coordinator_name=text),
        lambda t, text: t(
            "Before the meeting: customer panel on {date}", date=t.format_date(datetime(2026, 3, 19).date())
        ),
    ),
    "panel-and-contact-welcome": Field(
        kinds.WELCOME,
        lambda text: _only(kinds.WELCOME, panel_name=text, coordinator_name=text, recipient_name=text),
        lambda t, text: t("Welcome to the customer panel!"),
    ),
}
FIELD_CASES = pytest.mark.parametrize("field", list(FIELDS.values()), ids=list(FIELDS))


RENDERER = Renderer(BASE_URL)  # one, as in the dispatcher: its templates compile once


def composer(sender: str = SENDER) -> MailComposer:
    return MailComposer(
        renderer=RENDERER,
        signer=LinkSigner(b"k" * 32),
        sender=sender,
        base_url=BASE_URL,
        mail_domain=MAIL_DOMAIN,
        clock=FixedClock(SENT_AT),
    )


def compose(kind: str, payload: dict[str, Any], *, sender: str = SENDER, language: str = "fi") -> EmailMessage:
    row = OutboxMessage(
        id="6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11",
        kind=kind,
        recipient_kind=RecipientKind.MEMBER if kinds.is_member_kind(kind) else RecipientKind.STAFF,
        recipient_id=42,
        email=MEMBER,
        language=language,
        payload=payload,
        created_at=SENT_AT,
        panel_id=1,
    )
    return composer(sender).compose(kind, [row], key=row.id)


def read(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def head_of(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


def assert_only_raatis_headers(raw: bytes, expected: list[str]) -> EmailMessage:
    """Exactly Raati's headers, each once, on clean CRLF lines; returns the message as a reader parses it."""
    head = head_of(raw)
    assert b"\x00" not in head
    assert head.count(b"\r") == head.count(b"\n") == head.count(b"\r\n")
    for line in head.split(b"\r\n"):
        assert line.startswith((b" ", b"\t")) or line.split(b":", 1)[0].lower().decode() in expected, line
    message = read(raw)
    assert sorted(name.lower() for name in message) == sorted(expected)
    assert message["Bcc"] is None
    assert message["Reply-To"] is None
    assert message.defects == []
    for name in message:
        value = str(message[name])
        assert not set(value) & {"\r", "\n", "\x00"}, (name, value)
    return message


def assert_alternative(message: EmailMessage) -> None:
    assert message.get_content_type() == "multipart/alternative"
    assert message.preamble is None
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.defects == [] and part.get_content_charset() == "utf-8" for part in parts)
    assert "<!DOCTYPE html>" in parts[1].get_content()


def assert_structure(message: EmailMessage, kind: str) -> None:
    if kind == kinds.PREBRIEF:
        assert message.get_content_type() == "multipart/mixed"
        alternative, calendar = message.iter_parts()
        assert isinstance(alternative, EmailMessage)
        assert calendar.get_content_type() == "text/calendar"
        assert calendar.get_filename() == "meeting.ics"
        assert_alternative(alternative)
    else:
        assert_alternative(message)


def headers_for(kind: str) -> list[str]:
    return MEMBER_HEADERS if kinds.is_member_kind(kind) else STAFF_HEADERS


@FIELD_CASES
@CASES
def test_typed_text_in_a_notification_adds_no_header_and_reads_back_as_typed(field: Field, typed: str) -> None:
    built = compose(field.kind, field.payload(typed))
    raw = built.as_bytes()

    message = assert_only_raatis_headers(raw, headers_for(field.kind))
    assert_structure(message, field.kind)
    assert message["Subject"] == field.subject(catalog_for("fi"), single_line(typed))
    assert message["To"] == MEMBER
    # Member mail comes from the panel (its name, perhaps the typed text), staff mail from Raati; one address.
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "raati@raati.example.fi"
    panel = field.payload(typed).get("panel_name") if kinds.is_member_kind(field.kind) else None
    assert display_name_as_sent(raw, "From") == (single_line(panel) if panel else "Raati")
    assert message["Message-ID"] == f"<6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11@{MAIL_DOMAIN}>"


@CASES
def test_an_encoded_word_in_a_title_is_shown_literally_in_the_subject_and_the_body(typed: str) -> None:
    message = read(compose(kinds.IDEA_UPDATE, idea_change(title=typed)).as_bytes())

    assert str(message["Subject"]).endswith(f": {single_line(typed)}")
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert single_line(typed) in " ".join(plain.get_content().split())


@CASES
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_language_keeps_the_subject_literal(typed: str, language: str) -> None:
    message = read(compose(kinds.IDEA_UPDATE, idea_change(title=typed), language=language).as_bytes())

    assert message["Subject"] == catalog_for(language).ngettext(
        "News about the panel's idea: {title}", "News about {count} of the panel's ideas", 1, title=single_line(typed)
    )
    assert message["Bcc"] is None
    assert message["Reply-To"] is None


def named(name: str, address: str) -> str:
    """``"name" <address>`` with the name quoted but not encoded: the form build_message takes."""
    return f'"{email.utils.quote(name)}" <{address}>'


def display_name_as_sent(raw: bytes, header: str) -> str:
    """The display name as an RFC 2047 reader shows it: adjacent encoded-words join without a space (the standard
    library's address parser puts one between them, so a name longer than one encoded-word reads back spaced)."""
    unfolded = head_of(raw).decode("ascii").replace("\r\n ", " ").split("\r\n")
    (value,) = [line.removeprefix(f"{header}: ") for line in unfolded if line.startswith(f"{header}: ")]
    name, _ = email.utils.parseaddr(value)
    return str(make_header(decode_header(name)))


def build(*, to: str = MEMBER, sender: str = SENDER, subject: str = "Aihe") -> EmailMessage:
    rendered = Rendered(subject=subject, text="Hei!\n", html="<!DOCTYPE html><p>Hei!</p>\n")
    return build_message(
        rendered,
        message_id=f"a@{MAIL_DOMAIN}",
        sender=sender,
        to=to,
        date=SENT_AT,
        language="fi",
        unsubscribe=None,
    )


ENCODED_ONLY = {case: text for case, text in HOSTILE.items() if not case.startswith("literal")}
ENCODED_CASES = pytest.mark.parametrize("typed", list(ENCODED_ONLY.values()), ids=list(ENCODED_ONLY))


@ENCODED_CASES
def test_a_recipients_display_name_stays_literal_and_adds_no_header(typed: str) -> None:
    raw = build(to=named(typed, MEMBER)).as_bytes()

    message = assert_only_raatis_headers(raw, STAFF_HEADERS)
    assert_alternative(message)
    (address,) = message["To"].addresses
    assert address.addr_spec == MEMBER
    assert display_name_as_sent(raw, "To") == single_line(typed)


@ENCODED_CASES
def test_the_senders_display_name_stays_literal_and_adds_no_header(typed: str) -> None:
    sender = named(typed, "raati@raati.example.fi")
    # Staff mail carries the configured sender's name (member mail the panel's, tested above).
    raw = compose(kinds.IDEA_SENT_TO_SERVICE, idea_change(), sender=sender).as_bytes()

    message = assert_only_raatis_headers(raw, STAFF_HEADERS)
    assert_alternative(message)
    (address,) = message["From"].addresses
    assert address.addr_spec == "raati@raati.example.fi"
    assert display_name_as_sent(raw, "From") == single_line(typed)


@pytest.mark.parametrize("name", ["=?utf-8?q?Eve=0D=0ABcc:_x=40y?=", "Maija Meikäläinen", "Virtanen, Pekka"])
def test_a_short_display_name_reads_back_exactly_also_with_the_standard_library(name: str) -> None:
    message = read(build(to=named(name, MEMBER), sender=named(name, "raati@raati.example.fi")).as_bytes())

    assert message["To"].addresses[0].display_name == name
    assert message["From"].addresses[0].display_name == name


@pytest.mark.parametrize("typed", [HOSTILE["literal-crlf-bcc"], HOSTILE["literal-lf-reply-to"]])
def test_a_literal_line_break_in_an_address_is_refused_not_sent(typed: str) -> None:
    with pytest.raises(ValueError, match="line break"):
        build(to=named(typed, MEMBER))
    with pytest.raises(ValueError, match="line break"):
        build(sender=named(typed, "raati@raati.example.fi"))


def test_the_same_hostile_notification_gives_the_same_bytes_on_every_retry_and_after_pickling() -> None:
    long_title = HOSTILE["q-utf8-bcc"] + " " + "Äänestys pitkällä otsikolla " * 4
    first = compose(kinds.IDEA_UPDATE, idea_change(title=long_title), sender=named(long_title, "r@raati.example.fi"))
    again = compose(kinds.IDEA_UPDATE, idea_change(title=long_title), sender=named(long_title, "r@raati.example.fi"))

    assert b"\r\n " in head_of(first.as_bytes())  # folded over several encoded-words
    assert again.as_bytes() == first.as_bytes()
    for clone in (copy.copy(first), copy.deepcopy(first), pickle.loads(pickle.dumps(first))):
        assert clone.as_bytes() == first.as_bytes()
    for utf8 in (False, True):
        assert wire_bytes(first) == flatten_message(first, utf8=utf8)
    assert single_line(long_title)[:100] in read(first.as_bytes())["Subject"]


def test_plain_ascii_subjects_and_names_are_written_as_before() -> None:
    raw = build(subject="Muistutus: Penkit odotustilaan", to=named("Virtanen, Pekka", MEMBER)).as_bytes()

    head = head_of(raw)
    assert b"Subject: Muistutus: Penkit odotustilaan\r\n" in head
    assert b'To: "Virtanen, Pekka" <maija@example.fi>\r\n' in head
    assert b"From: Raati <raati@raati.example.fi>\r\n" in head
    assert b"=?" not in head


@pytest.mark.slow  # a hundred Hypothesis examples: one to three seconds
@given(
    title=st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=240),
    # Line and paragraph separators are line breaks: an address holding one is refused (tested above).
    name=st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=60),
)
def test_no_typed_subject_or_name_adds_a_header_or_changes_the_subject(title: str, name: str) -> None:
    raw = build(subject=title, to=named(name, MEMBER)).as_bytes()

    message = assert_only_raatis_headers(raw, STAFF_HEADERS)
    assert_alternative(message)
    assert message["Subject"] == single_line(title, limit=SUBJECT_MAX)
    assert message["To"].addresses[0].addr_spec == MEMBER
