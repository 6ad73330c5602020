"""meeting_ics: RFC 5545 text (written by the icalendar library) that every calendar reads the same way, escaped,
folded and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from notifications.calendar import MAX_OCTETS, clean_text, meeting_ics
from tests.notifications.ics_reader import event, physical_lines, properties, unescape, unfold

HELSINKI = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 3, 19, 17, 0, tzinfo=HELSINKI)


def ics(**overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "uid": "meeting-3@raati.example.fi",
        "title": "Omaolon ohjeet asiakkaan silmin",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "location": "Itäkeskus, neuvotteluhuone 2",
        "url": "https://teams.example.fi/meet/123",
        "description": "Itä-Helsingin asiakasraati",
        "stamp": datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        **overrides,
    }
    return meeting_ics(**arguments)


def test_the_calendar_has_the_required_frame_and_exactly_one_event() -> None:
    props = properties(ics())

    assert props[0] == ("BEGIN", "VCALENDAR")
    assert set(props[1:5]) == {("PRODID", "-//Raati//FI"), ("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"),
                               ("METHOD", "PUBLISH")}  # fmt: skip
    assert props[5] == ("BEGIN", "VEVENT")
    assert props[-2:] == [("END", "VEVENT"), ("END", "VCALENDAR")]
    assert props.count(("BEGIN", "VEVENT")) == 1
    assert event(ics()) == {
        "UID": "meeting-3@raati.example.fi",
        "DTSTAMP": "20260301T090000Z",
        "DTSTART": "20260319T150000Z",
        "DTEND": "20260319T170000Z",
        "SUMMARY": "Omaolon ohjeet asiakkaan silmin",
        "LOCATION": "Itäkeskus\\, neuvotteluhuone 2",
        "URL": "https://teams.example.fi/meet/123",
        "DESCRIPTION": "Itä-Helsingin asiakasraati",
    }


def test_every_line_ends_with_crlf_and_the_same_arguments_give_the_same_text() -> None:
    text = ics()

    assert text.count("\r\n") == text.count("\n")
    assert ics() == text


def test_location_and_url_are_left_out_when_there_are_none() -> None:
    props = event(ics(location=None, url=None))

    assert "LOCATION" not in props
    assert "URL" not in props
    assert "LOCATION" not in event(ics(location=""))


def test_text_is_escaped_and_reads_back_as_written() -> None:
    title = 'Kokous; osa 1, "A" \\ B'
    description = "Rivi 1\nRivi 2\r\nRivi 3\rRivi 4; a, b \\n ei rivinvaihto"

    props = event(ics(title=title, description=description, location="Sali 1; 2. krs, Itäkeskus"))

    assert props["SUMMARY"] == 'Kokous\\; osa 1\\, "A" \\\\ B'
    assert props["DESCRIPTION"] == "Rivi 1\\nRivi 2\\nRivi 3\\nRivi 4\\; a\\, b \\\\n ei rivinvaihto"
    assert unescape(props["SUMMARY"]) == title
    assert unescape(props["DESCRIPTION"]) == "Rivi 1\nRivi 2\nRivi 3\nRivi 4; a, b \\n ei rivinvaihto"
    assert unescape(props["LOCATION"]) == "Sali 1; 2. krs, Itäkeskus"


def test_control_characters_cannot_start_a_line_of_their_own() -> None:
    text = ics(title="Otsikko\x0bEND:VEVENT\x00", description="a\u2028BEGIN:VALARM")

    assert [line for line in unfold(text) if line.startswith(("END:", "BEGIN:"))] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    assert event(text)["SUMMARY"] == "Otsikko END:VEVENT "


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    description = "Tässä on hyvin pitkä kuvaus, jossa on ääkkösiä: äöå ÄÖÅ – ja € merkkejä. " * 8

    text = ics(description=description, title="ä" * 100)

    lines = physical_lines(text)
    assert max(len(line.encode("utf-8")) for line in lines) <= MAX_OCTETS
    assert any(len(line.encode("utf-8")) >= MAX_OCTETS - 3 for line in lines)  # really folded near the limit
    assert sum(line.startswith(" ") for line in lines) > 10
    for line in lines:
        line.encode("utf-8").decode("utf-8")  # each physical line is whole characters
    assert unescape(event(text)["DESCRIPTION"]) == description
    assert event(text)["SUMMARY"] == "ä" * 100


def test_an_escape_sequence_is_never_split_by_a_fold() -> None:
    for width in range(60, 80):  # the fold falls on each place of the escapes in turn
        title = "X" * width + "; a, b\nc" * 3
        text = ics(title=title)

        assert not any(line.endswith("\\") for line in physical_lines(text)), width
        assert unescape(event(text)["SUMMARY"]) == title


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
def test_any_text_keeps_lines_short_and_reads_back_as_the_calendar_keeps_it(value: str) -> None:
    text = ics(description=value, title=value[:80])

    physical = physical_lines(text)
    assert all(len(part.encode("utf-8")) <= MAX_OCTETS for part in physical)
    (parsed,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(parsed["DESCRIPTION"]) == clean_text(value)
    assert [line for line in unfold(text) if line.startswith(("END:", "BEGIN:"))] == [
        "BEGIN:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (datetime(2026, 1, 15, 18, 0), "20260115T160000Z"),  # winter: UTC+2
        (datetime(2026, 7, 15, 18, 0), "20260715T150000Z"),  # summer: UTC+3
        (datetime(2026, 3, 28, 18, 0), "20260328T160000Z"),  # the day before summer time
        (datetime(2026, 3, 29, 18, 0), "20260329T150000Z"),  # summer time began that night
        (datetime(2026, 10, 25, 18, 0), "20261025T160000Z"),  # summer time ended that night
        (datetime(2026, 3, 20, 0, 30), "20260319T223000Z"),  # just after midnight: the UTC date is the day before
    ],
)
def test_helsinki_times_go_out_in_utc_across_daylight_saving(local: datetime, utc: str) -> None:
    start = local.replace(tzinfo=HELSINKI)

    assert event(ics(starts_at=start, ends_at=start + timedelta(hours=1)))["DTSTART"] == utc


def test_a_meeting_across_the_change_to_summer_time_keeps_its_real_length() -> None:
    start = datetime(2026, 3, 29, 2, 0, tzinfo=HELSINKI)  # 00:00 UTC
    end = datetime(2026, 3, 29, 5, 0, tzinfo=HELSINKI)  # 02:00 UTC: the clock skipped 03:00–04:00

    props = event(ics(starts_at=start, ends_at=end))

    assert (props["DTSTART"], props["DTEND"]) == ("20260329T000000Z", "20260329T020000Z")


def test_other_offsets_and_seconds_convert_too() -> None:
    start = datetime(2026, 6, 1, 9, 15, 30, 999, tzinfo=UTC)

    props = event(ics(starts_at=start, ends_at=start + timedelta(minutes=90), stamp=start))

    assert props["DTSTART"] == "20260601T091530Z"
    assert props["DTEND"] == "20260601T104530Z"
    assert props["DTSTAMP"] == "20260601T091530Z"


def test_naive_times_a_backwards_meeting_and_a_url_with_a_line_break_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ics(starts_at=datetime(2026, 3, 19, 17, 0), ends_at=datetime(2026, 3, 19, 19, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        ics(stamp=datetime(2026, 3, 1))
    with pytest.raises(ValueError, match="end after it starts"):
        ics(ends_at=START)
    with pytest.raises(ValueError, match="url"):
        ics(url="https://x.fi/a\r\nATTACH:evil")
