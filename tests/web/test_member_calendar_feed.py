"""A member's private calendar feed (``/m/{member}/calendar.ics``, issue 16), over HTTP on SQLite and PostgreSQL and
read as a calendar client reads it (``icalendar``): the panel's meetings in the member's language, the same event as
the pre-brief's and the change mails' meeting.ics; a moved meeting at its new time with a higher SEQUENCE, a cancelled
one marked cancelled; a new address revokes the old one; anything else is a 404 that tells nothing."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar, Event

from application.commands import CancelMeeting, RescheduleMeeting
from application.data_rights import MemberRequest, erase_member
from application.meetings.rescheduling import cancel_meeting, reschedule_meeting
from application.people.preferences import ChangePreferences, change_preferences
from notifications import kinds
from notifications.composer import MailComposer
from notifications.links import PREFERENCES, LinkSigner
from notifications.render import Renderer
from notifications.settings import DeliverySettings
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.engine import make_session_factory
from tests.api.conftest import COORD, World
from tests.web.conftest import csrf, visible
from tests.web.test_meeting_changes import meeting, outbox, send_prebrief
from web.pages.member_calendar import calendar_feed_links

pytestmark = pytest.mark.slow  # drives the whole web app, on both databases

# What the mail's meeting.ics and the feed must agree on.
AGREED = ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL", "STATUS")


def member_id(uow_factory: Callable, email_address: str) -> int:
    with uow_factory() as uow:
        return next(
            m.stored_id
            for p in uow.panels.list()
            for m in uow.members.for_panel(p.stored_id)
            if m.email == email_address
        )


def feed_path(uow_factory: Callable, signer: LinkSigner, member: int) -> str:
    """The member's current feed address as the panel page gives it, without the host (the test client's own)."""
    https = calendar_feed_links(member, uow_factory=uow_factory, signer=signer)["https"]
    parts = urlsplit(https)
    return f"{parts.path}?{parts.query}"


def fetch(client: TestClient, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, Event]:
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "a UID appears twice"
    return found


def agreed(event: Event) -> dict[str, object]:
    """The properties both must carry, as a calendar reads them (a missing SEQUENCE is 0, a missing STATUS none)."""
    values: dict[str, object] = {name: event.get(name) for name in AGREED}
    values["SEQUENCE"] = int(event.get("SEQUENCE", 0))
    values["DTSTART"], values["DTEND"] = event.decoded("DTSTART"), event.decoded("DTEND")
    return {name: str(value) if value is not None else None for name, value in values.items()}


def mail_event(row, signer: LinkSigner, clock) -> Event:
    """The meeting.ics of the mail an outbox row becomes, composed and rendered as delivery does."""
    settings = DeliverySettings()
    composer = MailComposer(
        renderer=Renderer("http://127.0.0.1"),
        signer=signer,
        sender="Raati <raati@raati.example.fi>",
        base_url="http://127.0.0.1",
        mail_domain=settings.mail_domain,
        clock=clock,
    )
    raw = composer.compose(row.kind, [row], key=row.id).as_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def own_row(uow_factory: Callable, kind: str, member: int):
    (row,) = [r for r in outbox(uow_factory, kind) if r.recipient_id == member]
    return row


def test_the_feed_follows_the_meeting_moved_then_cancelled_and_agrees_with_the_mail(
    app, world: World, uow_factory, clock, link_signer: LinkSigner
) -> None:
    aino = member_id(uow_factory, "aino@example.org")
    change_preferences(ChangePreferences(member_id=aino, language="sv"), uow=uow_factory(), clock=clock)
    send_prebrief(world, uow_factory, clock)
    client = TestClient(app, base_url="http://127.0.0.1")
    path = feed_path(uow_factory, link_signer, aino)
    uid = f"meeting-{world.meeting_a}@{DeliverySettings().mail_domain}"

    first = fetch(client, path)

    assert str(first["X-WR-CALNAME"]) == "Itäinen raati: möten"  # the member's language
    assert "METHOD" not in first
    assert str(first["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
    before = events(first)
    assert set(before) == {uid}  # the other panel's meeting is not there
    prebrief = mail_event(own_row(uow_factory, kinds.PREBRIEF, aino), link_signer, clock)
    assert agreed(before[uid]) == agreed(prebrief)
    assert str(before[uid]["LOCATION"]) == "Kalasataman kirjasto"
    assert "STATUS" not in before[uid]

    old_start = meeting(uow_factory, world.meeting_a).starts_at
    new_start = old_start + timedelta(days=7, hours=1)
    reschedule_meeting(RescheduleMeeting(world.meeting_a, new_start, actor=world.emails[COORD]), uow=uow_factory(),
                       clock=clock)  # fmt: skip
    moved = events(fetch(client, path))[uid]

    assert moved.decoded("DTSTART") == new_start
    assert moved.decoded("DTSTART") != before[uid].decoded("DTSTART")
    assert int(moved["SEQUENCE"]) > int(before[uid].get("SEQUENCE", 0))
    assert agreed(moved) == agreed(mail_event(own_row(uow_factory, kinds.MEETING_RESCHEDULED, aino), link_signer,
                                              clock))  # fmt: skip

    cancel_meeting(CancelMeeting(world.meeting_a, "Kirjaston remontti viivästyi.", actor=world.emails[COORD]),
                   uow=uow_factory(), clock=clock)  # fmt: skip
    text = client.get(path).text
    cancelled = events(Calendar.from_ical(text))[uid]

    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert cancelled.decoded("DTSTART") == new_start
    assert agreed(cancelled) == agreed(mail_event(own_row(uow_factory, kinds.MEETING_CANCELLED, aino), link_signer,
                                                  clock))  # fmt: skip
    for private in ("Aino", "aino@", "Bengt", "bengt@", "@ita.example", "token=", "@example.org"):
        assert private not in text, private  # no member, no staff address, no personal link


def test_each_member_sees_only_their_own_panels_meetings(
    app, world: World, uow_factory, link_signer: LinkSigner
) -> None:
    chris = member_id(uow_factory, "chris@example.org")
    client = TestClient(app, base_url="http://127.0.0.1")

    calendar = fetch(client, feed_path(uow_factory, link_signer, chris))

    assert [str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")] == [f"meeting-{world.meeting_b}"]
    assert str(calendar["X-WR-CALNAME"]) == "Läntinen raati: tapaamiset"


def test_a_new_address_revokes_the_old_one(app, world: World, uow_factory, link_signer: LinkSigner) -> None:
    aino = member_id(uow_factory, "aino@example.org")
    client = TestClient(app, base_url="http://127.0.0.1")
    old = feed_path(uow_factory, link_signer, aino)
    preferences = link_signer.sign(PREFERENCES, aino)
    renew = f"/m/{aino}/calendar/new?token={preferences}"
    form_page = client.get(f"/m/{aino}/calendar", params={"token": preferences})
    assert form_page.status_code == 200
    assert "Lisää tapaamiset kalenteriisi" in visible(form_page.text)
    assert f'value="http://127.0.0.1:8000{old}"' in form_page.text.replace("&amp;", "&")
    assert client.get(f"/m/{aino}/calendar", params={"token": preferences[:-1]}).status_code == 403

    expired = client.post(renew, data={"csrf_token": "not-the-right-one"})
    assert expired.status_code == 403
    assert client.get(old).status_code == 200  # nothing was changed
    made = client.post(renew, data={"csrf_token": csrf(form_page.text)})

    assert made.status_code == 200
    assert "Kalenterillasi on nyt uusi osoite" in visible(made.text)
    new = feed_path(uow_factory, link_signer, aino)
    assert new != old
    assert f'value="http://127.0.0.1:8000{new}"' in made.text.replace("&amp;", "&")  # the address to copy
    assert f'href="webcal://127.0.0.1:8000{new}"' in made.text.replace("&amp;", "&")
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    foreign = client.post(f"/m/{aino}/calendar/new?token={link_signer.sign(PREFERENCES, aino + 1)}",
                          data={"csrf_token": csrf(form_page.text)})  # fmt: skip
    assert foreign.status_code == 403
    assert client.get(new).status_code == 200  # a link not theirs changed nothing


def test_a_wrong_missing_or_borrowed_token_and_an_erased_member_find_nothing(
    app, world: World, uow_factory, engine, clock, link_signer: LinkSigner
) -> None:
    aino, bengt = member_id(uow_factory, "aino@example.org"), member_id(uow_factory, "bengt@example.org")
    client = TestClient(app, base_url="http://127.0.0.1")
    good = feed_path(uow_factory, link_signer, aino)
    token = re.search(r"token=(.+)$", good).group(1)  # type: ignore[union-attr]
    bengts = re.search(r"token=(.+)$", feed_path(uow_factory, link_signer, bengt)).group(1)  # type: ignore[union-attr]

    refused = [
        f"/m/{aino}/calendar.ics",
        f"/m/{aino}/calendar.ics?token=",
        f"/m/{aino}/calendar.ics?token={token[:-2]}",
        f"/m/{aino}/calendar.ics?token={bengts}",  # another member's
        f"/m/{aino}/calendar.ics?token={link_signer.sign(PREFERENCES, aino)}",  # another purpose's
        f"/m/999999/calendar.ics?token={token}",
    ]
    for path in refused:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "BEGIN:VCALENDAR" not in response.text
    assert client.get(good).status_code == 200

    rights = SqlAlchemyDataRightsUnitOfWork(make_session_factory(engine))
    erase_member(MemberRequest(member_id=aino, actor=world.emails[COORD]), uow=rights, clock=clock)

    assert client.get(good).status_code == 404
