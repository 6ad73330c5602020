"""The fault drills as tests: dispatchers killed again and again while a slow relay accepts mail and new
updates keep coming, and a relay slower than the lease. A repeated email is the same email.

Every test runs the installed ``raati outbox dispatch`` in a subprocess against a real aiosmtpd server on
127.0.0.1 and a real database (a SQLite file and PostgreSQL), and reads what the server received.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from application.commands import NoteIdea
from application.ideas.changes import note_idea
from notifications.outbox import OutboxStatus
from tests.cli.harness import RAATI
from tests.conftest import FixedClock
from tests.delivery.conftest import Received, SlowInbox, UowFactory, World, crowd, move, outbox, outbox_rows
from tests.delivery.test_crash_and_concurrency import _wait_for
from tests.smtp.servers import smtp_server

MEMBERS = 40
KILLS = 5
DISPATCH = [str(RAATI), "outbox", "dispatch", "--json"]


def _update(number: int) -> str:
    return f"Vaihe {number:02d}: palvelu kokeili uutta ohjetta."


def _mail_by_message_id(received: list[Received]) -> dict[str, list[Received]]:
    copies: dict[str, list[Received]] = defaultdict(list)
    for mail in received:
        copies[mail.message_id].append(mail)
    return copies


def _wait_out_leases(engine: Engine) -> None:
    held = [row.claimed_until for row in outbox_rows(engine) if row.claim_token and row.claimed_until]
    if held:
        end = max(held) + timedelta(milliseconds=200)
        _wait_for(lambda: datetime.now(UTC) > end, seconds=30, what="the killed dispatcher's leases")


def _kill_after(inbox: SlowInbox, env: dict[str, str], *, messages: int) -> bool:
    """Start a dispatcher and SIGKILL it once the relay has accepted ``messages`` more; whether it was killed."""
    target = inbox.count() + messages
    dispatcher = subprocess.Popen(DISPATCH, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: inbox.count() >= target or dispatcher.poll() is not None, seconds=60, what="mail")
        if dispatcher.poll() is not None:
            return False
        os.kill(dispatcher.pid, signal.SIGKILL)
        return dispatcher.wait(timeout=10) == -signal.SIGKILL
    finally:
        if dispatcher.poll() is None:
            dispatcher.kill()
        dispatcher.communicate()


@pytest.mark.slow
def test_five_kills_mid_batch_repeat_every_email_exactly_as_first_sent_and_newer_updates_go_in_new_emails(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, delivery_env: dict[str, str]
) -> None:
    crowd(uow_factory, clock, MEMBERS - len(world.members))
    idea = world.raise_idea(uow_factory, clock, "Ohjeiden kuvat")
    move(uow_factory, clock, idea, "sent_to_service")
    inbox = SlowInbox(delay=0.02)
    kills = 0
    with smtp_server(inbox) as server:
        env = delivery_env | {
            "RAATI_SMTP_PORT": str(server.port),
            "RAATI_SMTP_CONNECTIONS": "2",
            "RAATI_LEASE_SECONDS": "1",
            "RAATI_BATCH_SIZE": "15",
        }
        for number in range(1, KILLS + 1):
            # New updates for every member, while some of the earlier ones were claimed and maybe sent.
            note_idea(NoteIdea(idea_id=idea, text=_update(number)), uow=uow_factory(), clock=clock)
            _wait_out_leases(engine)
            kills += _kill_after(inbox, env, messages=12)
        _wait_out_leases(engine)
        final = subprocess.run(DISPATCH, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert final.returncode == 0, final.stderr
    assert kills >= 3, "the dispatchers finished before they could be killed: the drill drilled nothing"
    rows = outbox(uow_factory)
    assert {row.status for row in rows} == {OutboxStatus.SENT}, "a notification was lost"

    copies = _mail_by_message_id(inbox.received)
    repeated = {mid: mails for mid, mails in copies.items() if len(mails) > 1}
    for message_id, mails in repeated.items():
        first = mails[0]
        for again in mails[1:]:
            assert again.rcpt_tos == first.rcpt_tos, f"{message_id} went to other recipients the second time"
            assert again.raw == first.raw, f"{message_id} was sent again with different content"

    # Every member-update pair arrived under exactly one Message-ID: no email's rows under two ids.
    ids_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    for message_id, mails in copies.items():
        for number in range(1, KILLS + 1):
            if _update(number) in mails[0].text:
                ids_of[(mails[0].to, number)].add(message_id)
    members = {row.email for row in rows if row.kind == "idea_update"}
    for member in members:
        for number in range(1, KILLS + 1):
            assert len(ids_of[(member, number)]) == 1, f"{member}'s update {number}: {ids_of[(member, number)]}"
    # And the database agrees with what arrived: each row is marked sent under the id it arrived under.
    for row in rows:
        payload = json.dumps(row.payload, ensure_ascii=False)
        for number in (n for n in range(1, KILLS + 1) if _update(n) in payload):
            assert ids_of[(row.email, number)] == {row.sent_as}
    print(
        f"\n[{engine.dialect.name}] {kills} kills, {len(rows)} rows, {len(inbox.received)} messages received "
        f"under {len(copies)} Message-IDs; {sum(len(m) - 1 for m in repeated.values())} identical repeat(s)"
    )


@pytest.mark.slow
def test_a_relay_slower_than_the_lease_gets_each_email_once(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, delivery_env: dict[str, str]
) -> None:
    crowd(uow_factory, clock, 60 - len(world.members))
    idea = world.raise_idea(uow_factory, clock, "Hitaan välittäjän idea")
    queued = move(uow_factory, clock, idea, "sent_to_service")
    inbox = SlowInbox(delay=0.15)  # a batch of 20 takes 3 s over one connection; the lease is 2 s
    with smtp_server(inbox) as server:
        env = delivery_env | {
            "RAATI_SMTP_PORT": str(server.port),
            "RAATI_SMTP_CONNECTIONS": "1",
            "RAATI_LEASE_SECONDS": "2",
            "RAATI_BATCH_SIZE": "20",
        }
        run = subprocess.run(DISPATCH, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert (summary["sent"], summary["failed"], summary["lost_leases"]) == (queued, 0, 0)
    assert summary["batches"] >= 3
    received = [mail.message_id for mail in inbox.received]
    assert len(received) == len(set(received)) == queued, "an email went out more than once"
    assert {row.status for row in outbox(uow_factory)} == {OutboxStatus.SENT}
