"""A member's private calendar feed (``/m/{member}/calendar.ics``, issue 16): their panel's meetings from 30 days ago
on as iCalendar, in the member's language, each meeting the same event as its pre-brief's ``meeting.ics``.

The address is signed for the member and their feed key's version; ``renew_calendar_feed`` raises the version, so
the old address opens nothing
(application/people/calendar_feeds.py). Every refusal is the same ``NotFound``: the address reveals nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from application.meetings.prebriefs import prebrief_payload
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import NotFound
from domain.events import Aggregate
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member, Panel
from notifications.calendar import member_feed_ics
from notifications.links import LinkSigner
from notifications.policy import panel_fields

# How far back the feed reaches: last month's meetings stay in the calendar, older ones drop out.
FEED_PAST = timedelta(days=30)


def feed_purpose(version: int) -> str:
    """What the feed address signs beside the member id: the feed key's version."""
    return f"calendar_{int(version)}"


def calendar_feed_token(member_id: int, *, uow: UnitOfWork, signer: LinkSigner) -> str:
    """The token of the member's current feed address."""
    with uow:
        version = uow.calendar_feeds.version(member_id)
    return signer.sign(feed_purpose(version), member_id)


def calendar_feed(
    member_id: int, token: str, *, uow: UnitOfWork, clock: Clock, signer: LinkSigner, mail_domain: str
) -> str:
    """The feed's iCalendar text: the panel's meetings from ``FEED_PAST`` ago on, soonest first; a moved one at its
    new time with a higher SEQUENCE, a cancelled one ``STATUS:CANCELLED``. Only the meetings' own texts: no names.

    NotFound for a wrong or revoked token and for a member who is not active, alike."""
    since = clock.now() - FEED_PAST
    with uow:
        member = active_member(uow, member_id)
        if not signer.verify(feed_purpose(uow.calendar_feeds.version(member_id)), member_id, token):
            raise NotFound("calendar", member_id)
        panel = uow.panels.by_id(member.panel_id)
        meetings = sorted(
            (m for m in uow.meetings.for_panel(panel.stored_id) if m.starts_at >= since), key=lambda m: m.starts_at
        )
        entries = [(_payload(uow, meeting, panel), meeting.status is MeetingStatus.CANCELLED) for meeting in meetings]
    fields = panel_fields(panel, for_members=False)
    return member_feed_ics(fields, entries, member.language.value, mail_domain=mail_domain)


def active_member(uow: UnitOfWork, member_id: int) -> Member:
    """The member, if an active member of their panel; else NotFound (about the calendar, whatever the cause)."""
    try:
        member = uow.members.get(member_id)
    except NotFound:
        raise NotFound("calendar", member_id) from None
    if not member.active:  # left the panel, or erased
        raise NotFound("calendar", member_id)
    return member


def _payload(uow: UnitOfWork, meeting: Meeting, panel: Panel) -> dict[str, Any]:
    """The pre-brief's payload (so the event is the attachment's), stamped with the meeting's latest change: the
    feed's bytes change only when a meeting does. No coordinator address: the calendar shows none."""
    payload = prebrief_payload(meeting, panel, uow=uow, coordinators=[])
    events = uow.events.for_aggregate(Aggregate.MEETING, meeting.stored_id)
    if events:
        payload["issued_at"] = events[-1].at.isoformat()
    return payload
