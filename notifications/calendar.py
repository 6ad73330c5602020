"""A meeting as an iCalendar (RFC 5545) event, attached to the pre-brief so members can save it, and to the
mails that tell them it moved (the same UID, a higher SEQUENCE) or was cancelled (METHOD:CANCEL).

``meeting_ics`` is pure: the same arguments give the same text, so the email that carries it gives
the same bytes on every retry. Times go out in UTC (``...Z``), which every calendar converts to its
user's zone; text values are escaped and every line is folded to at most 75 octets of UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from notifications.catalogs import Catalog, catalog_for, parse_moment
from notifications.content import localized, localized_list
from notifications.message import Attachment
from notifications.views import web_url

PRODID = "-//Raati//FI"
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"
DEFAULT_LENGTH = timedelta(hours=2)  # as domain.meetings: a meeting without an end lasts two hours
MAX_OCTETS = 75
CRLF = "\r\n"
# Controls are not allowed in TEXT values (RFC 5545 3.3.11); line breaks are escaped before this applies.
# C1 controls and the Unicode line separators go too: some readers split lines on them.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# One unit that folding keeps whole: an escape sequence (``\\n``, ``\\,``) or one character.
_UNIT = re.compile(r"\\.|.", re.DOTALL)


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every line break written as ``\\n``."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub(" ", text)


def fold(line: str) -> str:
    """One content line folded to lines of at most 75 octets, never inside a character or an escape."""
    lines: list[str] = []
    current, size = "", 0
    for unit in _UNIT.findall(line):
        octets = len(unit.encode("utf-8"))
        if size + octets > MAX_OCTETS:
            lines.append(current)
            current, size = " ", 1  # a continuation line starts with one space, which counts
        current += unit
        size += octets
    lines.append(current)
    return CRLF.join(lines)


def utc_stamp(value: datetime) -> str:
    """``20260319T150000Z``; a naive time is refused rather than guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"calendar times must be timezone-aware, got {value!r}")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uri(name: str, value: str) -> str:
    """A URI value is not escaped (RFC 5545 3.3.13), so it must hold nothing that could end the line."""
    if _CONTROL.search(value) or any(ch.isspace() for ch in value):
        raise ValueError(f"{name} must be a URI without spaces or line breaks, got {value!r}")
    return value


def meeting_ics(
    *,
    uid: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str | None,
    url: str | None,
    description: str,
    stamp: datetime,
    method: str = PUBLISH,
    sequence: int = 0,
    organizer: str | None = None,
) -> str:
    """A VCALENDAR with one VEVENT, CRLF line ends, ready to attach as ``text/calendar``.

    ``method`` is PUBLISH (the pre-brief, a move) or CANCEL (the event is marked ``STATUS:CANCELLED``);
    ``sequence`` above 0 says which later version of the same ``uid`` this is. ``organizer`` is an email address.
    """
    start, end = utc_stamp(starts_at), utc_stamp(ends_at)
    if ends_at <= starts_at:
        raise ValueError(f"a meeting must end after it starts: {starts_at.isoformat()} → {ends_at.isoformat()}")
    if method not in (PUBLISH, CANCEL):
        raise ValueError(f"method must be {PUBLISH} or {CANCEL}, got {method!r}")
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{escape_text(title)}",
    ]
    # The first version carries no SEQUENCE (0 by default), so the pre-brief's bytes stay as they were.
    if sequence:
        lines.append(f"SEQUENCE:{int(sequence)}")
    if method == CANCEL:
        lines.append("STATUS:CANCELLED")
    if organizer:
        lines.append(f"ORGANIZER:{_uri('organizer', 'mailto:' + organizer)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{_uri('url', url)}")
    lines += [f"DESCRIPTION:{escape_text(description)}", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)


def prebrief_attachment(payload: Mapping[str, Any], language: str, *, mail_domain: str) -> Attachment:
    """The ``meeting.ics`` attached to a pre-brief: ``text/calendar; method=PUBLISH``."""
    ics = prebrief_ics(payload, catalog_for(language), mail_domain=mail_domain)
    return Attachment("text/calendar; method=PUBLISH", "meeting.ics", ics)


def change_attachment(
    payload: Mapping[str, Any], language: str, *, mail_domain: str, cancelled: bool, organizer: str | None = None
) -> Attachment:
    """The ``meeting.ics`` of a moved meeting (PUBLISH, the new time) or a cancelled one (CANCEL): the pre-brief's
    UID with the payload's higher ``sequence``, so the member's saved entry is updated or removed."""
    method = CANCEL if cancelled else PUBLISH
    organizer = organizer if cancelled else None  # iTIP names the organizer of a CANCEL
    ics = prebrief_ics(payload, catalog_for(language), mail_domain=mail_domain, method=method, organizer=organizer)
    return Attachment(f"text/calendar; method={method}", "meeting.ics", ics)


def prebrief_ics(
    payload: Mapping[str, Any], t: Catalog, *, mail_domain: str, method: str = PUBLISH, organizer: str | None = None
) -> str:
    """The event of a pre-brief payload (``kinds.PrebriefPayload``, or a moved or cancelled meeting's, which
    carries its ``sequence``), its description in ``t``'s language.

    UID ``meeting-{meeting_id}@{mail_domain}``, so a later invitation for the same meeting updates the
    saved event. The description holds only what the whole panel may read (no personal links:
    calendars are shared); the online link counts only when it is http(s), as in the email.
    """
    online_url = web_url(payload.get("online_url"))
    starts = parse_moment(payload["starts_at"])
    ends = parse_moment(payload["ends_at"]) if payload.get("ends_at") else None
    if ends is None or ends <= starts:
        ends = starts + DEFAULT_LENGTH
    place = (localized(payload, "place", t.language) or "").strip() or None
    leading = f"{t('Service that prepared the meeting')}: {payload['leading_service_name']}"
    description = [localized(payload, "panel_name", t.language) or "", leading]
    if place:
        description.append(f"{t('Where')}: {place}")
    if online_url:
        description.append(f"{t('Join online')}: {online_url}")
    agenda = [str(point) for point in localized_list(payload, "agenda", t.language)]
    if agenda:
        description += ["", f"{t('Agenda')}:", *(f"{n}. {point}" for n, point in enumerate(agenda, 1))]
    issued = payload.get("issued_at")
    return meeting_ics(
        uid=f"meeting-{payload['meeting_id']}@{mail_domain.strip().lower()}",
        title=localized(payload, "meeting_title", t.language) or "",
        starts_at=starts,
        ends_at=ends,
        location=place or online_url,
        url=online_url,
        description="\n".join(description),
        stamp=parse_moment(issued) if issued else starts,
        method=method,
        sequence=int(payload.get("sequence") or 0),
        organizer=organizer,
    )
