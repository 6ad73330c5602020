"""A dispatcher killed mid-batch, and two dispatchers at once: nothing lost, nothing sent twice
except what was in flight at the kill, and then under the same Message-ID."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from application.delivery import DispatchReport
from notifications.links import LinkSigner
from notifications.outbox import OutboxStatus
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_engine, make_session_factory
from persistence.tables import OutboxRow
from tests.cli.harness import RAATI
from tests.conftest import FixedClock
from tests.delivery.conftest import (
    COALESCE,
    RULES,
    Inbox,
    Postman,
    SlowInbox,
    UowFactory,
    World,
    crowd,
    move,
    outbox,
    outbox_rows,
)
from tests.smtp.servers import smtp_server

CONNECTIONS = 4
MARK_EVERY = RULES.mark_every  # the command line's dispatcher uses the same default
LEASE_SECONDS = 2


def _everyone_gets_news(world: World, uow_factory: UowFactory, clock: FixedClock, members: int) -> int:
    """``members`` members in all, and one idea sent on: one email to each and one to the owner."""
    crowd(uow_factory, clock, members - len(world.members))
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    queued = move(uow_factory, clock, idea, "sent_to_service")
    assert queued == members + 1
    return queued


def _wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


@pytest.mark.slow
def test_a_dispatcher_killed_mid_batch_and_restarted_repeats_only_in_flight_mail_under_the_same_message_id(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, delivery_env: dict[str, str]
) -> None:
    queued = _everyone_gets_news(world, uow_factory, clock, members=300)
    inbox = SlowInbox(delay=0.03)
    with smtp_server(inbox) as server:
        env = delivery_env | {
            "RAATI_SMTP_PORT": str(server.port),
            "RAATI_SMTP_CONNECTIONS": str(CONNECTIONS),
            "RAATI_LEASE_SECONDS": str(LEASE_SECONDS),
            "RAATI_BATCH_SIZE": "100",
        }
        command = [str(RAATI), "outbox", "dispatch", "--json"]
        killed = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _wait_for(lambda: inbox.count() >= 60 or killed.poll() is not None, seconds=60, what="60 messages")
            assert killed.poll() is None, killed.communicate()
            os.kill(killed.pid, signal.SIGKILL)
            assert killed.wait(timeout=10) == -signal.SIGKILL
        finally:
            if killed.poll() is None:
                killed.kill()
            killed.communicate()

        at_kill = outbox_rows(engine)
        sent_at_kill = {row.id for row in at_kill if row.status == OutboxStatus.SENT.value}
        held = [row for row in at_kill if row.status == OutboxStatus.PENDING.value and row.claim_token is not None]
        assert 0 < len(sent_at_kill) < queued  # outcomes were written as the batch went on
        assert held, "the killed dispatcher held no rows"
        assert all(row.claimed_until is not None for row in held)
        lease_end = max(row.claimed_until for row in held if row.claimed_until is not None)
        _wait_for(lambda: datetime.now(UTC) > lease_end + timedelta(milliseconds=100), seconds=10, what="the lease")

        restarted = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert restarted.returncode == 0, restarted.stderr
    summary = json.loads(restarted.stdout)
    assert (summary["sent"], summary["failed"], summary["retried"]) == (queued - len(sent_at_kill), 0, 0)
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    mail = inbox.by_recipient()
    assert sorted(mail) == sorted(row.email for row in rows)
    in_flight = {row.id for row in held}
    duplicates = 0
    for row in rows:
        received = mail[row.email]
        assert {m.message_id for m in received} == {row.sent_as}  # every copy under the same Message-ID
        if len(received) > 1:
            assert row.id in in_flight, f"{row.email} was sent twice but was not in flight at the kill"
            duplicates += len(received) - 1
    print(
        f"\n[{engine.dialect.name}] SIGKILL after {len(sent_at_kill)} of {queued} rows were marked sent, "
        f"{len(held)} held under the lease: {duplicates} duplicate(s) after the restart"
    )
    assert duplicates <= CONNECTIONS + MARK_EVERY
    assert Counter(m.message_id for m in inbox.received).total() == queued + duplicates


@pytest.mark.slow
def test_two_dispatchers_at_once_send_every_message_exactly_once(
    world: World, uow_factory: UowFactory, clock: FixedClock, database_url: str, signer: LinkSigner
) -> None:
    queued = _everyone_gets_news(world, uow_factory, clock, members=500)
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    inbox = Inbox()
    start = threading.Barrier(2)
    reports: list[DispatchReport] = []
    errors: list[BaseException] = []

    def dispatcher(port: int) -> None:
        engine = make_engine(database_url)  # each dispatcher has its own engine and connections
        try:
            postman = Postman(
                queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)),
                signer=signer,
                clock=clock,
                rules=replace(RULES, batch_size=25),
            )
            start.wait(timeout=10)
            reports.append(postman.deliver(port))
        except BaseException as error:
            errors.append(error)
            raise
        finally:
            engine.dispose()

    with smtp_server(inbox) as server:
        threads = [threading.Thread(target=dispatcher, args=(server.port,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert len(reports) == 2
    message_ids = Counter(received.message_id for received in inbox.received)
    assert len(message_ids) == queued
    assert message_ids.most_common(1)[0][1] == 1
    assert sum(report.sent for report in reports) == queued
    assert all(report.lost_leases == 0 for report in reports)
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.sent_as for row in rows} == set(message_ids)
    split = [(report.sent, report.batches) for report in reports]
    print(f"\n[{database_url.partition(':')[0]}] two dispatchers sent (rows, batches): {split}")


def test_a_dispatcher_meeting_another_claim_in_progress_still_sends_the_other_members_mail(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, postman: Postman, database_url: str
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises claims (BEGIN IMMEDIATE): no claim runs beside another")
    first = world.raise_idea(uow_factory, clock, "Pyörätelineet")
    move(uow_factory, clock, first, "declined", note="Telineille ei ole paikkaa.")
    clock.advance(minutes=1)
    newcomers = crowd(uow_factory, clock, 20)
    second = world.raise_idea(uow_factory, clock, "Kahvio aulaan")
    move(uow_factory, clock, second, "declined", note="Aulassa ei ole tilaa.")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    oldest = [member_id for member_id, _ in world.members.values()]  # due first: their news is a minute older
    # This dispatcher gives up on a lock after 5 s rather than wait for this test forever.
    impatient = make_engine(database_url, connect_args={"options": "-c lock_timeout=5s"})
    inbox = Inbox()
    try:
        with smtp_server(inbox) as server, make_session_factory(engine).begin() as other_dispatcher:
            # Another dispatcher is inside its claim: it has locked the rows of the members due first.
            locked = other_dispatcher.scalars(
                select(OutboxRow.id).where(OutboxRow.recipient_id.in_(oldest)).with_for_update()
            ).all()
            assert len(locked) == 2 * len(oldest)
            report = replace(postman, queue=SqlAlchemyDeliveryQueue(make_session_factory(impatient))).deliver(
                server.port, rules=replace(RULES, batch_size=len(oldest))
            )
    finally:
        impatient.dispose()

    assert sorted(inbox.by_recipient()) == sorted(newcomers)
    assert report.sent == len(newcomers)
