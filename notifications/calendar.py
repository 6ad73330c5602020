"""A meeting as an iCalendar (RFC 5545) event, written with the ``icalendar`` library: attached to the pre-brief so
members can save it, to the mails that tell them it moved (the same UID, a higher SEQUENCE) or was cancelled
(METHOD:CANCEL), and listed in each member's calendar feed (``feed_ics``, /m/{member}/calendar.ics).

``meeting_event`` makes the one VEVENT of a meeting's payload that the mail and the feed both carry, so they agree.
Everything here is pure: the same arguments give the same bytes, so the email that carries an invitation gives the
same bytes on every retry. Times go out in UTC (``...Z``), which every calendar converts to its user's zone; the
library escapes text values and folds every line to at most 75 octets of UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vUri

from notifications.catalogs import Catalog, catalog_for, parse_moment
from notifications.content import localized, localized_list
from notifications.message import Attachment
from notifications.views import web_url

PRODID = "-//Raati//FI"
PUBLISH = "PUBLISH"
CANCEL = "CANCEL"
CANCELLED = "CANCELLED"
DEFAULT_LENGTH = timedelta(hours=2)  # as domain.meetings: a meeting without an end lasts two hours
MAX_OCTETS = 75
# How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL, Outlook's TTL).
FEED_REFRESH = timedelta(hours=1)
# Controls are not allowed in TEXT values (RFC 5545 3.3.11); line breaks are kept (the library writes ``\n``).
# C1 controls and the Unicode line separators go too: some readers split lines on them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(value: str) -> str:
    """A TEXT value as the calendar keeps it: NFC, every line break ``\\n``, other controls a space."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", text)


def utc(value: datetime) -> datetime:
    """The moment in UTC, to the second; a naive time is refused rather than guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"calendar times must be timezone-aware, got {value!r}")
    return value.astimezone(UTC).replace(microsecond=0)


def _uri(name: str, value: str) -> str:
    """A URI value is not escaped (RFC 5545 3.3.13), so it must hold nothing that could end the line."""
    if _CONTROL.search(value) or any(ch.isspace() for ch in value):
        raise ValueError(f"{name} must be a URI without spaces or line breaks, got {value!r}")
    return value


def meeting_event(
    *,
    uid: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str | None,
    url: str | None,
    description: str,
    stamp: datetime,
    sequence: int = 0,
    cancelled: bool = False,
    organizer: str | None = None,
) -> Event:
    """The VEVENT of one meeting. ``sequence`` above 0 says which later version of the same ``uid`` this is (the
    first version carries none: 0 by default); a cancelled meeting is ``STATUS:CANCELLED``. ``organizer`` is an
    email address."""
    if ends_at <= starts_at:
        raise ValueError(f"a meeting must end after it starts: {starts_at.isoformat()} → {ends_at.isoformat()}")
    event = Event()
    event.add("uid", clean_text(uid))
    event.add("dtstamp", utc(stamp))
    event.add("dtstart", utc(starts_at))
    event.add("dtend", utc(ends_at))
    event.add("summary", clean_text(title))
    if sequence:
        event.add("sequence", int(sequence))
    if cancelled:
        event.add("status", CANCELLED)
    if organizer:
        event.add("organizer", vCalAddress(_uri("organizer", "mailto:" + organizer)))
    if location:
        event.add("location", clean_text(location))
    if url:
        event.add("url", vUri(_uri("url", url)))
    event.add("description", clean_text(description))
    return event


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _text(calendar: Calendar) -> str:
    return str(calendar.to_ical().decode("utf-8"))


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

    ``method`` is PUBLISH (the pre-brief, a move) or CANCEL (the event is marked ``STATUS:CANCELLED``).
    """
    if method not in (PUBLISH, CANCEL):
        raise ValueError(f"method must be {PUBLISH} or {CANCEL}, got {method!r}")
    event = meeting_event(
        uid=uid,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        url=url,
        description=description,
        stamp=stamp,
        sequence=sequence,
        cancelled=method == CANCEL,
        organizer=organizer,
    )
    calendar = _calendar(method=method)
    calendar.add_component(event)
    return _text(calendar)


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
    """The calendar of a pre-brief payload (``kinds.PrebriefPayload``, or a moved or cancelled meeting's, which
    carries its ``sequence``) with ``method``, its description in ``t``'s language."""
    if method not in (PUBLISH, CANCEL):
        raise ValueError(f"method must be {PUBLISH} or {CANCEL}, got {method!r}")
    event = payload_event(payload, t, mail_domain=mail_domain, cancelled=method == CANCEL, organizer=organizer)
    calendar = _calendar(method=method)
    calendar.add_component(event)
    return _text(calendar)


def payload_event(
    payload: Mapping[str, Any], t: Catalog, *, mail_domain: str, cancelled: bool = False, organizer: str | None = None
) -> Event:
    """The meeting's VEVENT from its members' payload, as both the mail and the calendar feed carry it.

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
    return meeting_event(
        uid=f"meeting-{payload['meeting_id']}@{mail_domain.strip().lower()}",
        title=localized(payload, "meeting_title", t.language) or "",
        starts_at=starts,
        ends_at=ends,
        location=place or online_url,
        url=online_url,
        description="\n".join(description),
        stamp=parse_moment(issued) if issued else starts,
        sequence=int(payload.get("sequence") or 0),
        cancelled=cancelled,
        organizer=organizer,
    )


def feed_ics(name: str, events: Sequence[Event]) -> str:
    """A member's calendar feed: ``events`` under the calendar's ``name``, no METHOD (a published calendar that a
    client subscribes to and fetches again every ``FEED_REFRESH``)."""
    calendar = _calendar()
    calendar.add("name", clean_text(name))
    calendar.add("x-wr-calname", clean_text(name))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    # Outlook reads this one; an X- name is TEXT to the library, so the duration is written out here.
    calendar.add("x-published-ttl", f"PT{int(FEED_REFRESH.total_seconds()) // 60}M")
    for event in events:
        calendar.add_component(event)
    return _text(calendar)


def member_feed_ics(
    panel: Mapping[str, Any], entries: Sequence[tuple[Mapping[str, Any], bool]], language: str, *, mail_domain: str
) -> str:
    """A member's feed in their ``language``: the panel's name (``panel_name`` with its translations), then each
    meeting's payload (as its mail carries it) and whether it is cancelled, each as the mail's VEVENT."""
    t = catalog_for(language)
    name = t("{panel}: meetings", panel=localized(panel, "panel_name", t.language) or "")
    return feed_ics(name, [payload_event(p, t, mail_domain=mail_domain, cancelled=c) for p, c in entries])
