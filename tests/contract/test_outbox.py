"""The outbox as use cases write and read it: rows in and listed, duplicates refused or skipped, cancelled, counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from application.ports.unit_of_work import UnitOfWork
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind, message_id
from tests.contract.conftest import AT, REFUSED, add_panel


def row(
    recipient_id: int,
    *,
    panel_id: int,
    minutes: int = 0,
    kind: str = "idea_update",
    who: RecipientKind = RecipientKind.MEMBER,
) -> OutboxMessage:
    return OutboxMessage(
        id=message_id("test", kind, who.value, recipient_id, minutes),
        kind=kind,
        recipient_kind=who,
        recipient_id=recipient_id,
        email=f"r{recipient_id}@example.fi",
        language="sv",
        payload={"idea_id": 7, "idea_title": "Iltavastaanotot", "text": None, "nested": {"ids": [1, 2]}},
        created_at=AT + timedelta(minutes=minutes),
        panel_id=panel_id,
    )


def test_rows_come_back_as_written_oldest_first(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    later = row(1, panel_id=panel_id, minutes=5)
    member = row(2, panel_id=panel_id)
    staff = row(9, panel_id=panel_id, kind="idea_sent_to_service", who=RecipientKind.STAFF)
    with uow:
        uow.outbox.add([later, member, staff])
        uow.outbox.add([])
        uow.commit()

    with uow:
        listed = uow.outbox.list()
    # A new row is due at once: the store gives it the time it was created.
    due = [replace(m, next_attempt_at=m.created_at) for m in (member, staff, later)]
    assert listed == due
    assert listed[0].status is OutboxStatus.PENDING
    assert listed[0].attempts == 0


def test_a_row_whose_id_is_taken_is_refused_by_add_and_skipped_by_add_new(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    first = row(1, panel_id=panel_id)
    with uow:
        uow.outbox.add([first])
        uow.commit()

    with uow, pytest.raises(REFUSED):
        uow.outbox.add([replace(first, email="someone@example.fi")])
    with uow:
        assert uow.outbox.add_new([replace(first, email="someone@example.fi"), row(2, panel_id=panel_id)]) == 1
        assert uow.outbox.add_new([]) == 0
        uow.commit()

    with uow:
        assert [(m.recipient_id, m.email) for m in uow.outbox.list()] == [(1, "r1@example.fi"), (2, "r2@example.fi")]


def test_cancelling_a_recipients_pending_rows_leaves_the_others(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    with uow:
        uow.outbox.add([row(1, panel_id=panel_id), row(1, panel_id=panel_id, minutes=1), row(2, panel_id=panel_id)])
        uow.outbox.add([row(1, panel_id=panel_id, who=RecipientKind.STAFF)])
        assert uow.outbox.cancel_pending_for(RecipientKind.MEMBER, 1, reason="unsubscribed") == 2
        uow.commit()

    with uow:
        rows = uow.outbox.list()
        cancelled = uow.outbox.list(status=OutboxStatus.CANCELLED)
        assert uow.outbox.cancel_pending_for(RecipientKind.MEMBER, 1, reason="again") == 0
    assert [(m.recipient_kind, m.recipient_id, m.last_error) for m in cancelled] == [
        (RecipientKind.MEMBER, 1, "unsubscribed"),
        (RecipientKind.MEMBER, 1, "unsubscribed"),
    ]
    assert sorted((m.recipient_kind, m.recipient_id, m.status) for m in rows if m.status is OutboxStatus.PENDING) == [
        (RecipientKind.MEMBER, 2, OutboxStatus.PENDING),
        (RecipientKind.STAFF, 1, OutboxStatus.PENDING),
    ]


def test_rows_are_counted_per_status_and_the_oldest_pending_one_is_found_per_panel(uow: UnitOfWork) -> None:
    north, east = add_panel(uow, "Pohjoinen"), add_panel(uow, "Itäinen")
    with uow:
        assert uow.outbox.oldest_pending_at() is None
        uow.outbox.add([row(1, panel_id=north, minutes=10), row(2, panel_id=north, minutes=3)])
        uow.outbox.add([row(3, panel_id=east, minutes=1), row(4, panel_id=east, minutes=20)])
        uow.outbox.cancel_pending_for(RecipientKind.MEMBER, 3, reason="left")
        uow.commit()

    with uow:
        everything = uow.outbox.count_by_status()
        east_only = uow.outbox.count_by_status(panel_ids={east})
        assert uow.outbox.oldest_pending_at() == AT + timedelta(minutes=3)
        assert uow.outbox.oldest_pending_at(panel_ids={east}) == AT + timedelta(minutes=20)
        assert uow.outbox.oldest_pending_at(panel_ids=set()) is None
        assert uow.outbox.count_by_status(panel_ids=set()) == dict.fromkeys(OutboxStatus, 0)
    assert everything == {
        OutboxStatus.PENDING: 3,
        OutboxStatus.SENT: 0,
        OutboxStatus.FAILED: 0,
        OutboxStatus.CANCELLED: 1,
    }
    assert east_only == {
        OutboxStatus.PENDING: 1,
        OutboxStatus.SENT: 0,
        OutboxStatus.FAILED: 0,
        OutboxStatus.CANCELLED: 1,
    }
