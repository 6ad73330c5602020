"""A moved or cancelled meeting's mail carries meeting.ics for the same calendar entry as the pre-brief's: the same
UID, a higher SEQUENCE, PUBLISH with the new time for a move, CANCEL and STATUS:CANCELLED for a cancellation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notifications import kinds
from notifications.calendar import meeting_ics
from tests.notifications.ics_reader import event, properties, unescape
from tests.notifications.test_prebrief_invitation import MAIL_DOMAIN, calendar_part, calendar_text, compose, parse, row


def test_a_move_publishes_the_same_uid_with_a_higher_sequence_and_the_new_time() -> None:
    before = event(calendar_text(compose(row(kinds.PREBRIEF))))
    raw = compose(row(kinds.MEETING_RESCHEDULED))
    after = event(calendar_text(raw))

    assert after["UID"] == before["UID"] == f"meeting-3@{MAIL_DOMAIN}"
    assert int(after["SEQUENCE"]) > int(before.get("SEQUENCE", "0"))
    assert (after["DTSTART"], after["DTEND"]) == ("20260326T150000Z", "20260326T170000Z")
    assert before["DTSTART"] == "20260319T150000Z"
    assert ("METHOD", "PUBLISH") in properties(calendar_text(raw))
    assert calendar_part(raw).get_param("method") == "PUBLISH"
    assert "STATUS" not in after
    assert after["DTSTAMP"] == "20260312T120000Z"  # when the move was issued, not the clock of the sending


def test_a_cancellation_cancels_the_same_uid_with_a_higher_sequence() -> None:
    raw = compose(row(kinds.MEETING_CANCELLED, sequence=2))
    text = calendar_text(raw)
    cancelled = event(text)

    assert cancelled["UID"] == f"meeting-3@{MAIL_DOMAIN}"
    assert cancelled["SEQUENCE"] == "2"
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["ORGANIZER"] == "mailto:raati@raati.example.fi"
    assert ("METHOD", "CANCEL") in properties(text)
    assert calendar_part(raw).get_param("method") == "CANCEL"


@pytest.mark.parametrize(("language", "words"), [("fi", "Paikka"), ("sv", "Plats"), ("en", "Where")])
def test_the_changed_entry_is_described_in_the_readers_language(language: str, words: str) -> None:
    description = unescape(
        event(calendar_text(compose(row(kinds.MEETING_RESCHEDULED, language=language))))["DESCRIPTION"]
    )
    assert f"{words}: Itäkeskuksen" in description


def test_the_moved_meetings_mail_says_the_new_and_the_earlier_time() -> None:
    message = parse(compose(row(kinds.MEETING_RESCHEDULED)))
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "siirretty päivälle 26.3.2026" in message["Subject"]
    assert "Uusi aika: torstai 26.3.2026 klo 17.00–19.00" in text
    assert "Aiempi aika: torstai 19.3.2026 klo 17.00" in text


def test_the_cancelled_meetings_mail_gives_the_reason() -> None:
    message = parse(compose(row(kinds.MEETING_CANCELLED, language="sv")))
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Kundrådets möte 26.3.2026 är inställt" in message["Subject"]
    assert "Terveysaseman remontti viivästyi" in body.get_content()


def test_an_unknown_method_is_refused() -> None:
    moment = datetime(2026, 3, 19, 15, tzinfo=UTC)
    with pytest.raises(ValueError, match="method"):
        meeting_ics(uid="u", title="t", starts_at=moment, ends_at=moment.replace(hour=17), location=None, url=None,
                    description="", stamp=moment, method="REFRESH")  # fmt: skip
