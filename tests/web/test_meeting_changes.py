"""Moving and cancelling a meeting in the browser, over the use cases of ``raati meeting reschedule/cancel``: the
pages say beforehand who is told; a refused form names its field and writes nothing; a coordinator of another panel
is refused; the mails, delivered through a real aiosmtpd server, carry the pre-brief's calendar entry updated or
cancelled (the same UID, a higher SEQUENCE)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from sqlalchemy import Engine

from application.commands import UpdateMeeting
from application.meetings.changes import update_meeting
from application.meetings.prebriefs import send_due_prebriefs
from application.timezone import PANEL_TZ
from domain.events import Aggregate, EventType
from domain.meetings import MeetingStatus
from notifications import kinds
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World, app  # noqa: F401  (the fixture)
from tests.delivery.conftest import MAIL_DOMAIN, Inbox, Postman, Received
from tests.notifications.ics_reader import event, properties
from tests.smtp.servers import smtp_server
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app; CI runs them on SQLite and PostgreSQL


def text_of(html: str) -> str:
    return " ".join(visible(html).split())


def meeting(uow_factory: Callable, meeting_id: int):
    with uow_factory() as uow:
        return uow.meetings.get(meeting_id)


def outbox(uow_factory: Callable, kind: str) -> list:
    with uow_factory() as uow:
        return [row for row in uow.outbox.list() if row.kind == kind]


def calendar_of(mail: Received) -> tuple[str, dict[str, str]]:
    (part,) = [p for p in mail.message.walk() if p.get_content_type() == "text/calendar"]
    text = part.get_payload(decode=True).decode("utf-8")
    method = dict(properties(text))["METHOD"]
    return method, event(text)


def send_prebrief(world: World, uow_factory: Callable, clock) -> None:
    """Give meeting A a place and let its pre-brief go out (7 days before; a margin for summer time)."""
    update_meeting(UpdateMeeting(meeting_id=world.meeting_a, place="Kalasataman kirjasto"), uow=uow_factory(),
                   clock=clock)  # fmt: skip
    clock.set(meeting(uow_factory, world.meeting_a).starts_at - timedelta(days=7) + timedelta(hours=2))
    assert send_due_prebriefs(uow_factory=uow_factory, clock=clock).sent == [world.meeting_a]


def form_for(moment, **changes: str) -> dict[str, str]:
    local = moment.astimezone(PANEL_TZ)
    return {"date": local.date().isoformat(), "time": local.strftime("%H:%M"), "ends": "", "late_reason": ""} | changes


def test_the_meeting_page_offers_moving_and_cancelling_to_its_coordinator_only(signed_in: Signed, world: World) -> None:
    mine = signed_in(COORD, "fi").get(f"/meetings/{world.meeting_a}")
    owners = signed_in(OWNER, "fi").get(f"/meetings/{world.meeting_a}")

    assert f'href="/meetings/{world.meeting_a}/reschedule"' in mine.text
    assert f'href="/meetings/{world.meeting_a}/cancel"' in mine.text
    assert "Siirrä tapaaminen" in text_of(mine.text)
    assert "/reschedule" not in owners.text
    assert "/cancel" not in owners.text


@pytest.mark.parametrize("who", [COORD_OTHER, OWNER, MANAGER])
def test_only_the_panels_coordinator_may_move_or_cancel(signed_in: Signed, world: World, uow_factory, who) -> None:
    client = signed_in(who, "fi")
    token = csrf(client.get("/settings").text)
    before = meeting(uow_factory, world.meeting_a)

    pages = [client.get(f"/meetings/{world.meeting_a}/{what}") for what in ("reschedule", "cancel")]
    moved = client.post(f"/meetings/{world.meeting_a}/reschedule",
                        data={"csrf_token": token, **form_for(before.starts_at + timedelta(days=3))})  # fmt: skip
    cancelled = client.post(f"/meetings/{world.meeting_a}/cancel", data={"csrf_token": token, "reason": "Ei tilaa"})

    assert [p.status_code for p in pages] == [403, 403]
    assert (moved.status_code, cancelled.status_code) == (403, 403)
    assert "<html" in pages[0].text
    after = meeting(uow_factory, world.meeting_a)
    assert (after.starts_at, after.status) == (before.starts_at, MeetingStatus.PLANNED)


def test_a_past_date_is_refused_naming_the_field_and_nothing_is_written(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    client = signed_in(COORD, "fi")
    form = client.get(f"/meetings/{world.meeting_a}/reschedule")
    before = meeting(uow_factory, world.meeting_a)
    with uow_factory() as uow:
        events = len(uow.events.for_aggregate(Aggregate.MEETING, world.meeting_a))

    past = form_for(clock.now() - timedelta(days=1))
    refused = client.post(f"/meetings/{world.meeting_a}/reschedule", data={"csrf_token": csrf(form.text), **past})

    assert form.status_code == 200
    assert "Ennakkotietoja ei ole vielä lähetetty" in text_of(form.text)
    assert refused.status_code == 422
    text = text_of(refused.text)
    assert "tulevaisuudessa" in text  # "The meeting must start in the future."
    assert 'id="f-date"' in refused.text
    assert 'aria-invalid="true"' in refused.text.split('id="f-date"')[1].split(">")[0]
    assert LEAKS.search(text) is None
    assert meeting(uow_factory, world.meeting_a).starts_at == before.starts_at
    with uow_factory() as uow:
        assert len(uow.events.for_aggregate(Aggregate.MEETING, world.meeting_a)) == events
    assert outbox(uow_factory, kinds.MEETING_RESCHEDULED) == []


def test_a_move_inside_the_three_day_line_asks_for_the_reason_in_the_form(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    client = signed_in(COORD, "en")
    token = csrf(client.get(f"/meetings/{world.meeting_a}/reschedule").text)
    soon = clock.now() + timedelta(days=2)

    refused = client.post(f"/meetings/{world.meeting_a}/reschedule", data={"csrf_token": token, **form_for(soon)})
    moved = client.post(f"/meetings/{world.meeting_a}/reschedule",
                        data={"csrf_token": token, **form_for(soon, late_reason="The hall is free then")})  # fmt: skip

    assert refused.status_code == 422
    assert "less than 3 days away" in text_of(refused.text)
    assert moved.status_code == 303
    after = meeting(uow_factory, world.meeting_a)
    assert (after.late, after.late_reason) == (True, "The hall is free then")


def test_moved_and_cancelled_meetings_reach_the_members_calendars_with_the_prebriefs_uid(
    signed_in: Signed, world: World, uow_factory, clock, engine: Engine, link_signer
) -> None:
    send_prebrief(world, uow_factory, clock)
    postman = Postman(queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)), signer=link_signer, clock=clock)
    inbox = Inbox()
    client = signed_in(COORD, "fi")
    old = meeting(uow_factory, world.meeting_a).starts_at
    new = old + timedelta(days=7, hours=1)

    form = client.get(f"/meetings/{world.meeting_a}/reschedule")
    assert "2 raatilaiselle kerrotaan uusi aika" in text_of(form.text)
    moved = client.post(f"/meetings/{world.meeting_a}/reschedule",
                        data={"csrf_token": csrf(form.text), **form_for(new, ends="20:00")})  # fmt: skip
    assert moved.status_code == 303
    assert "2 raatilaiselle" in text_of(client.get(moved.headers["location"]).text)  # the flash
    confirm = client.get(f"/meetings/{world.meeting_a}/cancel")
    assert "2 raatilaiselle kerrotaan sähköpostilla" in text_of(confirm.text)
    reason = "Kirjaston remontti viivästyi."
    cancelled = client.post(
        f"/meetings/{world.meeting_a}/cancel", data={"csrf_token": csrf(confirm.text), "reason": reason}
    )
    assert cancelled.status_code == 303
    with smtp_server(inbox) as server:
        postman.deliver(server.port)

    mails = inbox.by_recipient()["aino@example.org"]
    by_kind = {}
    for mail in mails:
        if any(p.get_content_type() == "text/calendar" for p in mail.message.walk()):
            method, entry = calendar_of(mail)
            by_kind[method if method == "CANCEL" else ("MOVE" if "SEQUENCE" in entry else "PREBRIEF")] = entry
    assert set(by_kind) == {"PREBRIEF", "MOVE", "CANCEL"}
    uid = f"meeting-{world.meeting_a}@{MAIL_DOMAIN}"
    assert by_kind["PREBRIEF"]["UID"] == by_kind["MOVE"]["UID"] == by_kind["CANCEL"]["UID"] == uid
    assert "SEQUENCE" not in by_kind["PREBRIEF"]
    assert (by_kind["MOVE"]["SEQUENCE"], by_kind["CANCEL"]["SEQUENCE"]) == ("1", "2")
    assert by_kind["MOVE"]["DTSTART"] == new.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert by_kind["MOVE"]["DTEND"] == new.astimezone(PANEL_TZ).replace(hour=20, minute=0).astimezone(UTC).strftime(
        "%Y%m%dT%H%M%SZ"
    )
    assert by_kind["CANCEL"]["STATUS"] == "CANCELLED"
    cancel_mail = next(m for m in mails if "peruttu" in m.subject)
    assert "Kirjaston remontti viivästyi." in cancel_mail.text

    after = meeting(uow_factory, world.meeting_a)
    assert (after.status, after.calendar_sequence) == (MeetingStatus.CANCELLED, 2)
    with uow_factory() as uow:
        types = [e.type for e in uow.events.for_aggregate(Aggregate.MEETING, world.meeting_a)]
    assert types[-2:] == [EventType.RESCHEDULED, EventType.CANCELLED]
    listed = client.get(f"/panels/{world.panel_a}/meetings")
    assert 'class="status status-cancelled">peruttu</span>' in listed.text
    page = client.get(f"/meetings/{world.meeting_a}")
    assert f'href="/meetings/{world.meeting_a}/reschedule"' not in page.text
    assert "Kirjaston remontti viivästyi." in text_of(page.text)


def test_a_cancellation_without_a_reason_or_with_a_phone_number_is_refused_in_the_form(
    signed_in: Signed, world: World, uow_factory
) -> None:
    client = signed_in(COORD, "sv")
    token = csrf(client.get(f"/meetings/{world.meeting_a}/cancel").text)

    empty = client.post(f"/meetings/{world.meeting_a}/cancel", data={"csrf_token": token, "reason": " "})
    phone = client.post(f"/meetings/{world.meeting_a}/cancel",
                        data={"csrf_token": token, "reason": "Ring mig på 040 123 4567"})  # fmt: skip

    assert (empty.status_code, phone.status_code) == (422, 422)
    assert "Orsak till medlemmarna" in text_of(empty.text)
    assert "<mark>" in phone.text
    assert meeting(uow_factory, world.meeting_a).status is MeetingStatus.PLANNED
    assert outbox(uow_factory, kinds.MEETING_CANCELLED) == []
