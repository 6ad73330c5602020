"""Faults of the SMTP server: down, dropping connections, greylisting, refusing one recipient."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from cli.devtools.mailsink import LoopbackController
from notifications.outbox import OutboxStatus
from notifications.transport import SmtpConfigurationError
from tests.conftest import FixedClock
from tests.delivery.conftest import (
    COALESCE,
    RETRY_BASE,
    RULES,
    DroppingInbox,
    GreylistingInbox,
    Inbox,
    Postman,
    RaatiCli,
    RefusingInbox,
    UowFactory,
    World,
    crowd,
    move,
    outbox,
    outbox_rows,
)
from tests.integration.conftest import OWNER
from tests.smtp.servers import smtp_server, unused_port


def _one_change_for_everyone(world: World, uow_factory: UowFactory, clock: FixedClock) -> set[str]:
    """An idea sent to the service: news for every member, a task for the owner; the window passes."""
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    move(uow_factory, clock, idea, "sent_to_service")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    return {*world.members, OWNER}


def _each_once(mail: dict[str, list], recipients: set[str]) -> None:
    assert sorted(mail) == sorted(recipients)
    assert {address: len(received) for address, received in mail.items()} == dict.fromkeys(recipients, 1)


def test_rows_wait_while_the_smtp_server_is_down_and_all_arrive_exactly_once_when_it_is_back(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    recipients = _one_change_for_everyone(world, uow_factory, clock)
    port = unused_port()  # nothing listens here yet

    down = postman.deliver(port)

    assert (down.sent, down.failed, down.retried) == (0, 0, len(recipients))
    rows = outbox(uow_factory)
    assert len(rows) == len(recipients)
    for row in rows:
        assert row.status is OutboxStatus.PENDING
        assert row.attempts == 1
        assert row.next_attempt_at is not None
        assert row.next_attempt_at > clock.now()
        assert row.last_error is not None
        assert "connect" in row.last_error

    inbox = Inbox()
    controller = LoopbackController(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        too_soon = postman.deliver(port)
        assert too_soon.sent == 0
        assert inbox.received == []
        clock.advance(seconds=RETRY_BASE.total_seconds())
        back = postman.deliver(port)
    finally:
        controller.stop()

    assert back.sent == len(recipients)
    _each_once(inbox.by_recipient(), recipients)
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.attempts for row in rows} == {2}


def test_a_connection_dropped_mid_batch_loses_nothing_and_repeats_no_message(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    crowd(uow_factory, clock, 17)
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    queued = move(uow_factory, clock, idea, "sent_to_service")
    assert queued == 21  # twenty members and the owner
    clock.advance(seconds=COALESCE.total_seconds() + 1)

    inbox = DroppingInbox(drop_at=7)
    with smtp_server(inbox) as server:
        first = postman.deliver(server.port)
        assert first.retried >= 1
        assert first.sent + first.retried == queued
        assert first.sent >= queued - 2  # only what was on the dropped connection waits
        clock.advance(seconds=RETRY_BASE.total_seconds())
        second = postman.deliver(server.port)

    assert first.sent + second.sent == queued
    message_ids = Counter(received.message_id for received in inbox.received)
    assert len(message_ids) == queued
    assert max(message_ids.values()) == 1
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.sent_as for row in rows} == set(message_ids)


def test_a_greylisting_server_gets_every_message_on_the_retry(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    recipients = _one_change_for_everyone(world, uow_factory, clock)
    inbox = GreylistingInbox()
    with smtp_server(inbox) as server:
        first = postman.deliver(server.port)
        assert (first.sent, first.retried, first.failed) == (0, len(recipients), 0)
        assert inbox.received == []
        rows = outbox(uow_factory)
        assert {row.status for row in rows} == {OutboxStatus.PENDING}
        assert all(row.last_error and row.last_error.startswith("451") for row in rows)
        clock.advance(seconds=RETRY_BASE.total_seconds())
        second = postman.deliver(server.port)

    assert (second.sent, second.retried, second.failed) == (len(recipients), 0, 0)
    _each_once(inbox.by_recipient(), recipients)
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.attempts for row in rows} == {2}
    assert {row.last_error for row in rows} == {None}


def test_a_550_for_one_recipient_fails_only_that_row_and_retry_all_failed_sends_it_later(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman, raati: RaatiCli
) -> None:
    recipients = _one_change_for_everyone(world, uow_factory, clock)
    bengt = "bengt@example.org"
    refusing = RefusingInbox({bengt: "550 5.1.1 mailbox unavailable"})
    with smtp_server(refusing) as server:
        report = postman.deliver(server.port)

    assert (report.sent, report.failed, report.retried) == (len(recipients) - 1, 1, 0)
    _each_once(refusing.by_recipient(), recipients - {bengt})
    rows = {row.email: row for row in outbox(uow_factory)}
    assert rows[bengt].status is OutboxStatus.FAILED
    assert rows[bengt].last_error is not None
    assert "550" in rows[bengt].last_error
    assert "mailbox unavailable" in rows[bengt].last_error
    assert {row.status for address, row in rows.items() if address != bengt} == {OutboxStatus.SENT}

    requeued = raati("outbox", "retry", "--all-failed", "--json")
    assert requeued.code == 0, requeued.err
    assert json.loads(requeued.out) == {"requeued": 1}
    rows = {row.email: row for row in outbox(uow_factory)}
    assert rows[bengt].status is OutboxStatus.PENDING
    assert rows[bengt].attempts == 0

    clock.set(datetime.now(UTC) + timedelta(seconds=1))  # the command line requeued it for the real "now"
    inbox = Inbox()
    with smtp_server(inbox) as server:
        again = postman.deliver(server.port)
    assert again.sent == 1
    _each_once(inbox.by_recipient(), {bengt})
    assert {row.status for row in outbox(uow_factory)} == {OutboxStatus.SENT}


def test_a_configuration_error_stops_the_dispatch_and_gives_every_unsent_row_back_at_once(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman, engine: Engine
) -> None:
    crowd_addresses = crowd(uow_factory, clock, 20)
    recipients = _one_change_for_everyone(world, uow_factory, clock) | set(crowd_addresses)
    small_batches = replace(RULES, batch_size=5)  # the next batch is claimed while the first is being sent

    with (
        smtp_server(Inbox(), auth_required=True, auth_require_tls=False) as server,  # 530 to every MAIL
        pytest.raises(SmtpConfigurationError),
    ):
        postman.deliver(server.port, rules=small_batches)

    rows = outbox_rows(engine)
    assert {row.status for row in rows} == {"pending"}
    assert [row for row in rows if row.claim_token is not None or row.claimed_until is not None] == []
    assert {row.attempts for row in rows} == {0}

    inbox = Inbox()
    with smtp_server(inbox) as server:  # fixed at once: nothing waits for a lease to run out
        fixed = postman.deliver(server.port, rules=small_batches)

    assert fixed.sent == len(recipients)
    _each_once(inbox.by_recipient(), recipients)
