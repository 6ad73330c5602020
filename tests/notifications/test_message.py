"""The email as it leaves Raati: parts, headers, unsubscribe, and no header injection."""

from __future__ import annotations

import copy
import email
import email.policy
import pickle
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtplib.email import flatten_message

from notifications import kinds
from notifications.links import LinkSigner, UnsubscribeLinks, member_links
from notifications.message import Attachment, build_message, message_id_for, wire_bytes
from notifications.render import Rendered, Renderer
from tests.notifications.samples import BASE_URL, idea_change, links_for, sample

MAIL_DOMAIN = "raati.example.fi"
SENDER = "Raati <raati@raati.example.fi>"
SENT_AT = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
EVIL_TITLE = "Hyvä idea\r\nBcc: x@evil.example\r\nX-Evil: 1"


def member_mail(title: str = "Selkeämpi ohje", to: str = "Maija Meikäläinen <maija@example.fi>") -> EmailMessage:
    links = member_links(LinkSigner(b"k" * 32), BASE_URL, MAIL_DOMAIN, 42)
    rendered = Renderer(BASE_URL).render(kinds.IDEA_UPDATE, "sv", [idea_change(title=title)], links=links)
    return build_message(
        rendered,
        message_id=message_id_for("6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11", MAIL_DOMAIN),
        sender=SENDER,
        to=to,
        date=SENT_AT,
        language=rendered.language,
        unsubscribe=UnsubscribeLinks.from_member_links(links),
    )


def staff_mail() -> EmailMessage:
    rendered = Renderer(BASE_URL).render(kinds.REMINDER, "fi", sample(kinds.REMINDER), links={})
    return build_message(
        rendered,
        message_id="r-1@raati.example.fi",
        sender=SENDER,
        to="pekka@example.fi",
        date=SENT_AT,
        language="fi",
        unsubscribe=None,
    )


def build(rendered: Rendered, **overrides: Any) -> EmailMessage:
    arguments: dict[str, Any] = {
        "message_id": "a@raati.example.fi",
        "sender": SENDER,
        "to": "a@example.fi",
        "date": SENT_AT,
        "language": "fi",
        "unsubscribe": None,
        **overrides,
    }
    return build_message(rendered, **arguments)


def parsed(message: EmailMessage) -> EmailMessage:
    result = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(result, EmailMessage)
    return result


def test_message_is_multipart_alternative_with_plain_text_first_then_html() -> None:
    message = parsed(member_mail())

    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in parts)
    assert "Det finns nytt om läget för en av kundrådets idéer." in parts[0].get_content()
    assert "<!DOCTYPE html>" in parts[1].get_content()


def test_headers_are_set_once_with_the_exact_message_id_and_auto_submitted() -> None:
    message = parsed(member_mail())

    assert message.get_all("To") == ["Maija Meikäläinen <maija@example.fi>"]
    assert message["From"] == SENDER
    assert message["Message-ID"] == "<6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11@raati.example.fi>"
    assert message["Date"] == "Thu, 12 Mar 2026 12:00:00 +0000"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "sv"
    assert message["Subject"] == "Nytt om kundrådets idé: Selkeämpi ohje"


def test_member_mail_has_one_click_list_unsubscribe_with_https_and_mailto() -> None:
    message = parsed(member_mail())

    https, mailto = (part.strip() for part in message["List-Unsubscribe"].split(","))
    assert https.startswith(f"<{BASE_URL}/m/42/unsubscribe?token=")
    assert https.endswith(">")
    assert mailto.startswith(f"<mailto:unsubscribe@{MAIL_DOMAIN}?subject=unsubscribe%2042%20")
    assert mailto.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_list_unsubscribe_goes_out_as_plain_urls_not_encoded_words() -> None:
    raw = member_mail().as_bytes()
    header = raw[raw.index(b"List-Unsubscribe:") : raw.index(b"List-Unsubscribe-Post:")]

    assert b"=?" not in header
    assert header.startswith(b"List-Unsubscribe: <https://raati.example.fi/m/42/unsubscribe?token=")
    assert b">,\r\n <mailto:" in header


def test_what_aiosmtplib_puts_on_the_wire_keeps_the_headers_intact() -> None:
    for utf8 in (False, True):
        wire = flatten_message(member_mail(title=EVIL_TITLE), utf8=utf8)
        message = email.message_from_bytes(wire, policy=email.policy.default)

        assert message["Message-ID"] == "<6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11@raati.example.fi>"
        assert message["List-Unsubscribe"].startswith("<https://raati.example.fi/m/42/unsubscribe?token=")
        assert message["Bcc"] is None
        assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]


def test_wire_bytes_are_exactly_what_aiosmtplib_would_flatten() -> None:
    long_subject = Rendered(subject="Ä" * 40 + " long " * 30, text="a\r\nb\rc\n" + "x" * 200, html="<p>é</p>\n")
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    messages = [
        member_mail(),
        member_mail(title=EVIL_TITLE),
        member_mail(to="plain@example.fi"),
        staff_mail(),
        build(long_subject, to='"Virtanen, Pekka" <pekka@example.fi>'),
        build(long_subject, attachments=[Attachment("text/calendar; method=PUBLISH", "meeting.ics", ics)]),
        *(
            build(Renderer(BASE_URL).render(kind, "en", sample(kind), links=links_for(kind)))
            for kind in sorted(kinds.STAFF_KINDS)
        ),
    ]
    for message in messages:
        for cte_type in ("8bit", "7bit"):
            assert wire_bytes(message) == flatten_message(message, cte_type=cte_type)


def test_the_same_notification_gives_the_same_bytes_also_after_copy_and_pickle() -> None:
    message = member_mail()

    assert member_mail().as_bytes() == message.as_bytes()

    for clone in (copy.copy(message), copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert clone.as_bytes() == message.as_bytes()


def test_staff_mail_has_no_list_unsubscribe_headers() -> None:
    message = parsed(staff_mail())

    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert message.get_all("To") == ["pekka@example.fi"]


def test_a_title_with_crlf_and_bcc_adds_no_header() -> None:
    raw = member_mail(title=EVIL_TITLE).as_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)

    assert message["Bcc"] is None
    assert message["X-Evil"] is None
    assert message.get_all("To") == ["Maija Meikäläinen <maija@example.fi>"]
    assert len(message.get_all("Subject")) == 1
    assert "\n" not in message["Subject"]
    assert "\r" not in message["Subject"]
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert not any(line.startswith((b"Bcc:", b"X-Evil:")) for line in head.split(b"\r\n"))


def test_a_rendered_subject_with_line_breaks_is_still_made_one_line() -> None:
    rendered = Rendered(subject="Otsikko\r\nBcc: x@evil.example", text="teksti", html="<p>teksti</p>")

    message = parsed(build(rendered))

    assert message["Subject"] == "Otsikko Bcc: x@evil.example"
    assert message["Bcc"] is None


@pytest.mark.parametrize(
    "to",
    [
        "maija@example.fi\r\nBcc: x@evil.example",
        "maija@example.fi, x@evil.example",
        "not an address",
        "",
    ],
)
def test_a_recipient_that_is_not_exactly_one_address_is_refused(to: str) -> None:
    with pytest.raises(ValueError, match="to "):
        member_mail(to=to)


@pytest.mark.parametrize("message_id", ["<a@b.fi>", "a@b.fi\r\nBcc: x@evil", "no-domain", "a b@c.fi"])
def test_a_malformed_message_id_is_refused(message_id: str) -> None:
    rendered = Rendered(subject="s", text="t", html="h")

    with pytest.raises(ValueError, match="message_id"):
        build(rendered, message_id=message_id)


def test_unsubscribe_links_with_line_breaks_or_other_schemes_are_refused() -> None:
    rendered = Rendered(subject="s", text="t", html="h")
    bad = [
        UnsubscribeLinks(https="https://x.fi/u\r\nBcc: x@evil", mailto="mailto:u@x.fi"),
        UnsubscribeLinks(https="javascript:alert(1)", mailto="mailto:u@x.fi"),
        UnsubscribeLinks(https="https://x.fi/u", mailto="https://x.fi/not-mail"),
    ]

    for links in bad:
        with pytest.raises(ValueError, match="unsubscribe"):
            build(rendered, unsubscribe=links)


def test_date_must_be_timezone_aware_and_keeps_its_offset() -> None:
    rendered = Rendered(subject="s", text="t", html="h")
    helsinki_summer = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=3)))

    message = build(rendered, date=helsinki_summer)

    assert message["Date"] == "Wed, 01 Jul 2026 09:30:00 +0300"
    with pytest.raises(ValueError, match="timezone-aware"):
        build(rendered, date=datetime(2026, 7, 1, 9, 30))


def test_message_id_for_is_stable_and_safe() -> None:
    first = message_id_for("6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11", "Raati.Localhost")

    assert first == "6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11@raati.localhost"
    assert message_id_for("6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11", "raati.localhost") == first
    assert message_id_for("a b<c>", "raati.localhost") == "a-b-c-@raati.localhost"
    with pytest.raises(ValueError, match="Message-ID"):
        message_id_for("x", "evil.fi>\r\nBcc: y")


def test_a_long_finnish_subject_reads_back_without_extra_spaces() -> None:
    subject = "Uusi idea palvelullenne: Ohjeet samalle sivulle kolmella kielellä ja vielä pidempi otsikko"
    rendered = Rendered(subject=subject, text="teksti", html="<p>teksti</p>", language="fi")
    built = build_message(
        rendered,
        message_id="x@raati.localhost",
        sender="Raati <raati@raati.localhost>",
        to="aino@example.org",
        date=datetime(2026, 1, 1, tzinfo=UTC),
        language="fi",
        unsubscribe=None,
    )
    wire = built.as_bytes()
    assert b"\r\n " in wire.split(b"\r\n\r\n")[0]  # the header really was folded
    parsed = email.message_from_bytes(wire, policy=email.policy.default)
    assert parsed["Subject"] == subject
