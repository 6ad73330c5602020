"""One Message-ID, one email: the queue records every email when it claims its rows, and a row claimed
again comes back in the email recorded for it; a lost claim is noticed before a send, not after."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update

from application.commands import NoteIdea
from application.delivery import COALESCING_KINDS, dispatch
from application.ideas.changes import note_idea
from notifications.outbox import OutboxStatus
from notifications.queue import Claim, ClaimRequest
from notifications.smtp import SmtpTransport
from persistence.engine import make_session_factory
from persistence.tables import OutboxRow
from tests.conftest import FixedClock
from tests.delivery.conftest import RULES, Postman, SlowInbox, UowFactory, World, move, outbox
from tests.delivery.test_crash_and_concurrency import _wait_for
from tests.smtp.servers import client_settings, smtp_server

LEASE = timedelta(minutes=5)


def _claim(postman: Postman, *, after: timedelta = timedelta(0), limit: int = 100) -> tuple[str, Claim]:
    token = str(uuid.uuid4())
    request = ClaimRequest(
        now=postman.clock.now() + after,
        limit=limit,
        lease=LEASE,
        coalesce=timedelta(0),
        digest=timedelta(days=7),
        token=token,
        coalescing_kinds=COALESCING_KINDS,
    )
    return token, postman.queue.claim(request)


def _note(uow_factory: UowFactory, clock: FixedClock, idea: int, text: str) -> None:
    note_idea(NoteIdea(idea_id=idea, text=text), uow=uow_factory(), clock=clock)
    clock.advance(seconds=1)


def test_rows_claimed_again_after_a_crash_come_back_in_the_email_recorded_and_newer_rows_in_a_new_one(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    idea = world.raise_idea(uow_factory, clock, "Opasteet aulaan")
    _note(uow_factory, clock, idea, "Ensimmäinen vaihe.")
    _note(uow_factory, clock, idea, "Toinen vaihe.")
    _, first = _claim(postman)  # ... and the dispatcher dies before marking anything
    by_member = {email.rows[0].email: email for email in first.emails}
    assert sorted(by_member) == sorted(world.members)
    assert all(len(email.rows) == 2 and email.kind == "idea_update" for email in by_member.values())
    composer = postman.composer()
    sent_then = {e.id: composer.compose(e.kind, e.rows, key=e.id, date=e.at).as_bytes() for e in first.emails}

    _note(uow_factory, clock, idea, "Kolmas vaihe.")
    clock.advance(minutes=30)  # the clock moves on: a repeat is still dated as first recorded
    _, again = _claim(postman, after=LEASE)

    recorded = {e.id: e for e in again.emails if e.id in sent_then}
    assert sorted(recorded) == sorted(sent_then)
    for email in recorded.values():
        before = by_member[email.rows[0].email]
        assert (email.kind, email.at, [r.id for r in email.rows]) == (before.kind, before.at, before.row_ids)
        assert composer.compose(email.kind, email.rows, key=email.id, date=email.at).as_bytes() == sent_then[email.id]
    newer = [e for e in again.emails if e.id not in sent_then]
    assert sorted(e.rows[0].email for e in newer) == sorted(world.members)
    assert all(len(e.rows) == 1 and "Kolmas vaihe." in str(e.rows[0].payload) for e in newer)
    assert {e.at for e in newer} == {clock.now() + LEASE}


def test_retrying_one_row_of_a_failed_email_retries_the_whole_email_under_its_id(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman
) -> None:
    idea = world.raise_idea(uow_factory, clock, "Penkit odotustilaan")
    _note(uow_factory, clock, idea, "Penkkejä tilattu.")
    _note(uow_factory, clock, idea, "Penkit tulivat.")
    token, claim = _claim(postman)
    email = claim.emails[0]
    assert postman.queue.mark_failed(email.row_ids, token=token, error="550 5.1.1 mailbox unavailable") == 2

    assert postman.queue.retry_failed([email.row_ids[0]], now=clock.now()) == 2
    _, again = _claim(postman)
    (same,) = [e for e in again.emails if e.rows[0].email == email.rows[0].email]
    assert (same.id, same.row_ids, same.at) == (email.id, email.row_ids, email.at)


def test_an_email_another_dispatcher_holds_part_of_is_not_claimed_at_all(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, postman: Postman
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises claims (BEGIN IMMEDIATE): no claim holds a lock beside another")
    idea = world.raise_idea(uow_factory, clock, "Istutukset")
    _note(uow_factory, clock, idea, "Taimet tilattu.")
    _note(uow_factory, clock, idea, "Taimet istutettu.")
    _, first = _claim(postman)
    split = first.emails[0]
    with make_session_factory(engine).begin() as other:  # holds one of the email's two rows
        other.execute(select(OutboxRow.id).where(OutboxRow.id == split.row_ids[0]).with_for_update())
        _, again = _claim(postman, after=2 * LEASE)
    assert split.id not in {e.id for e in again.emails}
    assert not set(split.row_ids) & {row.id for row in again.rows}
    assert len(again.emails) == len(first.emails) - 1


def test_a_dispatcher_whose_claim_was_taken_over_stops_sending_those_emails_before_the_next_send(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine, postman: Postman
) -> None:
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti")
    queued = move(uow_factory, clock, idea, "sent_to_service")
    clock.advance(seconds=RULES.coalesce.total_seconds() + 1)
    inbox = SlowInbox(delay=0.3)
    rules = replace(RULES, lease=timedelta(seconds=0.6))  # renewed every 0.2 s

    def thief() -> None:  # the moment the first email arrives, another dispatcher takes every row still held
        _wait_for(lambda: inbox.count() >= 1, seconds=20, what="the first email")
        with make_session_factory(engine).begin() as session:
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.claim_token.is_not(None))
                .values(claim_token="thief")
            )

    with smtp_server(inbox) as server:
        stealing = threading.Thread(target=thief)
        stealing.start()
        report = asyncio.run(
            dispatch(
                queue=postman.queue,
                transport=SmtpTransport(client_settings(server.port, connections=1)),
                composer=postman.composer(),
                clock=clock,
                rules=rules,
                jitter=lambda: 0.5,
            )
        )
        stealing.join()

    stolen = [row for row in outbox(uow_factory) if row.status is OutboxStatus.PENDING]
    assert stolen, "nothing was taken over"
    # The email in flight went out but its mark was refused; the others were withheld, never sent.
    assert report.lost_leases == len(stolen)
    # At most the send under way and one more before the renewal noticed; never the rest of the batch.
    assert inbox.count() <= 3 < queued
    assert all(row.sent_as is None for row in stolen)
