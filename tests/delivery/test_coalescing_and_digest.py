"""Coalescing and digests: many changes make one email, sent when the window has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.people.preferences import ChangePreferences, change_preferences
from notifications.outbox import OutboxStatus
from tests.conftest import FixedClock
from tests.delivery.conftest import COALESCE, DIGEST, Inbox, Postman, UowFactory, World, move, outbox
from tests.integration.conftest import OWNER
from tests.smtp.servers import smtp_server

TITLES = [f"Kehitysidea nro {n:02d}" for n in range(1, 11)]


@pytest.mark.slow
def test_a_service_owner_updating_ten_ideas_in_the_window_sends_each_member_one_email_listing_all_ten(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    ideas = [world.raise_idea(uow_factory, clock, title) for title in TITLES]
    for idea in ideas:
        move(uow_factory, clock, idea, "sent_to_service")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    with smtp_server(Inbox()) as server:
        earlier = postman.deliver(server.port)
    assert earlier.sent == len(ideas) * (len(world.members) + 1)  # the members' news and the owner's tasks

    first_update = clock.advance(minutes=1)
    for n, idea in enumerate(ideas):
        move(uow_factory, clock, idea, "in_progress", note=f"Työ alkoi, vaihe {n}.", actor=OWNER)
        clock.advance(seconds=30)
    inbox = Inbox()
    with smtp_server(inbox) as server:
        clock.set(first_update + COALESCE - timedelta(seconds=1))
        early = postman.deliver(server.port)
        assert early.sent == 0
        assert inbox.received == []
        clock.set(first_update + COALESCE)
        report = postman.deliver(server.port)

    mail = inbox.by_recipient()
    assert sorted(mail) == sorted(world.members)
    assert report.emails == len(world.members)
    assert report.sent == len(world.members) * len(ideas)
    for address, (_, language) in world.members.items():
        (received,) = mail[address]
        assert "10" in received.subject
        for title in TITLES:
            assert title in received.text
            assert title in received.html
        assert received.text.count("Työ alkoi, vaihe") == len(ideas)
        assert received.message["Content-Language"] == language
    pending = [r for r in outbox(uow_factory) if r.status is not OutboxStatus.SENT]
    assert pending == []
    by_member: dict[str, set[str | None]] = {}
    for row in outbox(uow_factory):
        if row.sent_at == clock.now():
            by_member.setdefault(row.email, set()).add(row.sent_as)
    assert by_member == {address: {mail[address][0].message_id} for address in world.members}


def test_a_digest_member_gets_no_immediate_mail_but_one_digest_listing_the_changes_when_the_week_is_over(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    chris = "chris@example.org"
    chris_id, _ = world.members[chris]
    change_preferences(ChangePreferences(member_id=chris_id, delivery="digest"), uow=uow_factory(), clock=clock)
    started = clock.now()
    sent_on = world.raise_idea(uow_factory, clock, "Pyörätelineet")
    dropped = world.raise_idea(uow_factory, clock, "Kahvio aulaan")
    move(uow_factory, clock, sent_on, "sent_to_service")
    clock.advance(days=2)
    move(uow_factory, clock, dropped, "declined", note="Aulassa ei ole tilaa kahviolle.")

    inbox = Inbox()
    with smtp_server(inbox) as server:
        clock.advance(seconds=COALESCE.total_seconds() + 1)
        postman.deliver(server.port)
        immediate = inbox.by_recipient()
        assert chris not in immediate
        assert sorted(immediate) == sorted({*world.members, OWNER} - {chris})
        assert all(len(received) == 1 for received in immediate.values())

        clock.set(started + DIGEST - timedelta(minutes=1))
        postman.deliver(server.port)
        assert chris not in inbox.by_recipient()

        clock.set(started + DIGEST + timedelta(seconds=1))
        report = postman.deliver(server.port)

    assert report.emails == 1
    (digest,) = inbox.by_recipient()[chris]
    assert "Weekly digest" in digest.subject
    for body in (digest.text, digest.html):
        assert "Pyörätelineet" in body
        assert "Kahvio aulaan" in body
        assert "Aulassa ei ole tilaa kahviolle." in body
    rows = [r for r in outbox(uow_factory) if r.email == chris]
    assert len(rows) == 2
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert {r.sent_as for r in rows} == {digest.message_id}
