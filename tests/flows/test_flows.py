"""The Prefect flows, run by Prefect (one test harness per session) against the real wiring.

Each flow is called as a flow object, so Prefect orchestrates it and its tasks; the data is a
SQLite file, the mail goes to an aiosmtpd sink on 127.0.0.1 that writes ``.eml`` files.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from application.commands import ImportMembers, MemberRow, MoveIdea
from application.ideas.changes import move_idea
from application.people.roster import import_members
from flows.chase_stale_ideas import chase_stale_ideas
from flows.dispatch_notifications import dispatch_notifications
from flows.send_prebriefs import send_prebriefs
from notifications import kinds
from notifications.outbox import OutboxStatus
from tests.flows.conftest import Raati
from tests.integration.conftest import OWNER, PANEL, SERVICE

pytestmark = pytest.mark.slow


def outbox_statuses(raati: Raati, kind: str | None = None) -> list[OutboxStatus]:
    with raati.uow_factory() as uow:
        return [m.status for m in uow.outbox.list() if kind is None or m.kind == kind]


def forward_idea(raati: Raati, title: str) -> int:
    idea_id = raati.world.raise_idea(raati.uow_factory, raati.clock, title)
    forward = MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE)
    move_idea(forward, uow=raati.uow_factory(), clock=raati.clock)
    return idea_id


def test_dispatch_flow_delivers_pending_rows_as_emails_in_batches_and_returns_totals(raati: Raati) -> None:
    rows = tuple(MemberRow(line=n, name=f"Jäsen {n}", email=f"jasen{n}@example.org") for n in range(1, 8))
    import_members(ImportMembers(panel=PANEL, rows=rows), uow=raati.uow_factory(), clock=raati.clock)
    forward_idea(raati, "Takaisinsoitto ajanvaraukseen")  # 10 members and the service's owner hear of it
    assert outbox_statuses(raati) == [OutboxStatus.PENDING] * 11

    totals = asyncio.run(dispatch_notifications())

    assert totals == {"batches": 3, "emails": 11, "sent": 11, "retried": 0, "failed": 0}  # batches of 4
    assert outbox_statuses(raati) == [OutboxStatus.SENT] * 11
    recipients = raati.mailbox.recipients()
    assert len(recipients) == len(set(recipients)) == 11
    assert OWNER in recipients
    assert len(set(raati.mailbox.message_ids())) == 11

    assert asyncio.run(dispatch_notifications()) == {"batches": 0, "emails": 0, "sent": 0, "retried": 0, "failed": 0}
    assert len(raati.mailbox.files()) == 11


def test_send_prebriefs_flow_twice_for_the_same_moment_queues_and_sends_each_prebrief_once(raati: Raati) -> None:
    # The world's meeting starts 2025-04-02 12:00 EEST; a week earlier is 12:00 EET = 10:00 UTC.
    raati.clock.set(datetime.fromisoformat("2025-03-26T10:00:00+00:00"))

    first = asyncio.run(send_prebriefs())
    assert first["sent"] == [raati.world.meeting_id]
    assert first["queued"] == 3
    second = asyncio.run(send_prebriefs())
    assert (second["sent"], second["queued"]) == ([], 0)
    asyncio.run(dispatch_notifications())  # a later drain finds nothing more to send

    assert outbox_statuses(raati, kinds.PREBRIEF) == [OutboxStatus.SENT] * 3
    messages = raati.mailbox.messages()
    assert sorted(str(m["Delivered-To"]) for m in messages) == sorted(raati.world.members)
    assert len({str(m["Message-ID"]) for m in messages}) == 3
    for message in messages:
        (invitation,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
        assert "DTSTART:20250402T090000Z" in invitation.get_content()


def test_chase_stale_ideas_flow_sends_the_reminder_once_across_two_runs(raati: Raati) -> None:
    forward_idea(raati, "Takaisinsoitto ajanvaraukseen")
    asyncio.run(dispatch_notifications())  # the members and the owner hear of the move
    before = len(raati.mailbox.files())
    assert before == 4

    raati.clock.advance(days=14)
    first = asyncio.run(chase_stale_ideas())
    second = asyncio.run(chase_stale_ideas())

    assert first["queued"] == 1
    assert second["queued"] == 0
    assert outbox_statuses(raati, kinds.REMINDER) == [OutboxStatus.SENT]
    new = raati.mailbox.messages()[before:]
    assert [str(m["Delivered-To"]) for m in new] == [OWNER]
    assert len(raati.mailbox.files()) == before + 1


def test_chase_flow_body_via_fn_queues_and_delivers_the_reminder_without_a_flow_run(raati: Raati) -> None:
    """``flow.fn`` skips the flow's own orchestration; its tasks still run under the harness."""
    idea_id = forward_idea(raati, "Selkeämmät opasteet")
    raati.clock.advance(days=14, minutes=1)
    asyncio.run(dispatch_notifications.fn())
    before = len(raati.mailbox.files())

    run = asyncio.run(chase_stale_ideas.fn())

    assert run["reminders"] == [idea_id]
    assert run["queued"] == 1
    assert len(raati.mailbox.files()) == before + 1
