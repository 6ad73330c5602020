"""The pre-brief email carries the meeting as meeting.ics, and stays byte-identical across retries."""

from __future__ import annotations

import copy
import email
import email.policy
import pickle
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from notifications import kinds
from notifications.composer import MailComposer
from notifications.links import LinkSigner
from notifications.message import Attachment, build_message
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import Rendered, Renderer
from tests.conftest import FixedClock
from tests.notifications.ics_reader import event, physical_lines, properties, unescape
from tests.notifications.samples import BASE_URL, sample

MAIL_DOMAIN = "raati.example.fi"
SENDER = "Raati <raati@raati.example.fi>"
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
ROW_ID = "6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11"


def composer(clock: FixedClock | None = None) -> MailComposer:
    return MailComposer(
        renderer=Renderer(BASE_URL),
        signer=LinkSigner(b"k" * 32),
        sender=SENDER,
        base_url=BASE_URL,
        mail_domain=MAIL_DOMAIN,
        clock=clock or FixedClock(NOW),
    )


def row(kind: str = kinds.PREBRIEF, language: str = "fi", **payload: Any) -> OutboxMessage:
    return OutboxMessage(
        id=ROW_ID,
        kind=kind,
        recipient_kind=RecipientKind.MEMBER,
        recipient_id=42,
        email="maija@example.fi",
        language=language,
        payload={**sample(kind)[0], **payload},
        created_at=NOW,
        panel_id=1,
    )


def compose(outbox_row: OutboxMessage | None = None, clock: FixedClock | None = None) -> bytes:
    message_row = outbox_row or row()
    return composer(clock).compose(message_row.kind, [message_row], key=message_row.id).as_bytes()


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def calendar_part(raw: bytes) -> EmailMessage:
    (part,) = [part for part in parse(raw).walk() if part.get_content_type() == "text/calendar"]
    assert isinstance(part, EmailMessage)
    return part


def calendar_text(raw: bytes) -> str:
    payload = calendar_part(raw).get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_the_prebrief_is_mixed_with_the_alternative_body_first_then_the_calendar() -> None:
    message = parse(compose())

    assert message.get_content_type() == "multipart/mixed"
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Ennakkotiedot" in message["Subject"]
    assert "Aika: torstai 19.3.2026 klo 17.00–19.00" in body.get_content()


def test_the_calendar_part_is_an_attachment_named_meeting_ics_with_method_publish() -> None:
    part = calendar_part(compose())

    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "meeting.ics"
    assert part.get_content_disposition() == "attachment"
    assert part["Content-Transfer-Encoding"] == "base64"


def test_the_event_has_the_meeting_uid_utc_times_title_place_and_link() -> None:
    props = event(calendar_text(compose()))

    assert props["UID"] == f"meeting-3@{MAIL_DOMAIN}"
    assert props["DTSTART"] == "20260319T150000Z"
    assert props["DTEND"] == "20260319T170000Z"
    assert props["SUMMARY"] == "Omaolon ohjeet asiakkaan silmin"
    assert unescape(props["LOCATION"]).startswith("Itäkeskuksen terveys- ja hyvinvointikeskus, neuvotteluhuone 2")
    assert props["URL"] == "https://teams.example.fi/meet/123"
    assert ("METHOD", "PUBLISH") in properties(calendar_text(compose()))


def test_the_calendar_keeps_its_crlf_lines_and_75_octet_folds_through_the_mail() -> None:
    text = calendar_text(compose())

    assert all(len(line.encode("utf-8")) <= 75 for line in physical_lines(text))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Raati//FI\r\n")


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Tapaamisen valmistellut palvelu: Terveysasemat"), ("sv", "Program:"), ("en", "Agenda:")],
)
def test_the_description_is_in_the_members_language_and_holds_no_personal_link(language: str, words: str) -> None:
    raw = compose(row(language=language))
    description = unescape(event(calendar_text(raw))["DESCRIPTION"])

    assert words in description
    assert "Itä-Helsingin asiakasraati" in description
    assert "1. Tervetuloa ja kuulumiset" in description
    assert "token=" not in description
    assert "/unsubscribe" not in calendar_text(raw)


def test_composing_the_same_row_twice_gives_identical_bytes() -> None:
    first = compose()

    assert compose() == first
    assert compose(row()) == first
    message = composer().compose(kinds.PREBRIEF, [row()], key=ROW_ID)
    for clone in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert clone.as_bytes() == first


def test_a_retry_at_a_later_time_changes_only_the_date_header_not_the_invitation() -> None:
    first, later = compose(), compose(clock=FixedClock(datetime(2026, 3, 13, 8, 0, tzinfo=UTC)))

    assert calendar_part(first).as_bytes() == calendar_part(later).as_bytes()
    assert parse(first)["Date"] != parse(later)["Date"]
    assert parse(first).get_boundary() == parse(later).get_boundary()


def test_dtstamp_comes_from_issued_at_or_else_the_meeting_start_never_the_clock() -> None:
    issued = event(calendar_text(compose(row(issued_at="2026-03-10T06:00:00+00:00"))))
    fallback = event(calendar_text(compose()))

    assert issued["DTSTAMP"] == "20260310T060000Z"
    assert fallback["DTSTAMP"] == fallback["DTSTART"] == "20260319T150000Z"


def test_without_an_end_the_meeting_lasts_two_hours() -> None:
    outbox_row = row()
    del outbox_row.payload["ends_at"]

    props = event(calendar_text(compose(outbox_row)))

    assert (props["DTSTART"], props["DTEND"]) == ("20260319T150000Z", "20260319T170000Z")


def test_an_end_before_the_start_still_sends_with_the_default_length() -> None:
    props = event(calendar_text(compose(row(ends_at="2026-03-19T14:00:00+00:00"))))

    assert props["DTEND"] == "20260319T170000Z"


def test_an_online_only_meeting_gives_its_link_as_the_location_and_a_bad_link_is_left_out() -> None:
    online = event(calendar_text(compose(row(place=None))))
    javascript = event(calendar_text(compose(row(place="Sali 1", online_url="javascript:alert(1)"))))

    assert online["LOCATION"] == online["URL"] == "https://teams.example.fi/meet/123"
    assert "URL" not in javascript
    assert javascript["LOCATION"] == "Sali 1"
    assert "javascript" not in calendar_text(compose(row(place="Sali 1", online_url="javascript:alert(1)")))


def test_a_summer_meeting_goes_out_at_its_utc_time() -> None:
    props = event(
        calendar_text(compose(row(starts_at="2026-08-20T17:00:00+03:00", ends_at="2026-08-20T19:00:00+03:00")))
    )

    assert (props["DTSTART"], props["DTEND"]) == ("20260820T140000Z", "20260820T160000Z")


def test_the_headers_are_still_those_of_member_mail() -> None:
    message = parse(compose())

    assert message["Message-ID"] == f"<{ROW_ID}@{MAIL_DOMAIN}>"
    assert message["Date"] == "Thu, 12 Mar 2026 12:00:00 +0000"
    assert message.get_all("To") == ["maija@example.fi"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"].startswith(f"<{BASE_URL}/m/42/unsubscribe?token=")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["MIME-Version"] == "1.0"
    assert message["Content-Language"] == "fi"


@pytest.mark.parametrize("kind", [kinds.SUMMARY, kinds.WELCOME, kinds.PROGRESS_REPORT])
def test_other_kinds_stay_multipart_alternative_without_a_calendar(kind: str) -> None:
    message = parse(compose(row(kind)))

    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]


@pytest.mark.parametrize(
    "attachment",
    [
        Attachment("text/calendar", 'meeting.ics"; evil="1', "x"),
        Attachment("text/calendar", "../meeting.ics", "x"),
        Attachment("text/calendar\r\nBcc: x@evil.example", "meeting.ics", "x"),
        Attachment('text/calendar; name="x"', "meeting.ics", "x"),
    ],
)
def test_an_attachment_with_an_unsafe_type_or_name_is_refused(attachment: Attachment) -> None:
    rendered = Rendered(subject="s", text="t", html="h")

    with pytest.raises(ValueError, match="attachment"):
        build_message(
            rendered,
            message_id="a@raati.example.fi",
            sender=SENDER,
            to="a@example.fi",
            date=NOW,
            language="fi",
            unsubscribe=None,
            attachments=[attachment],
        )
