"""Failure reasons as managers read them: every email address hidden, the rest of the server's reply kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.access.permissions import failure_reason, may_read_personal_data
from application.reads.views import outbox_health
from domain.actors import Actor
from domain.redaction import hide_addresses
from domain.values import Role
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

REPLY = "550 5.1.1 <m0007@example.org>: Recipient address rejected"


@pytest.mark.parametrize(
    ("reason", "shown"),
    [
        (REPLY, "550 5.1.1 <…>: Recipient address rejected"),
        ("550 5.1.1 m0007@example.org: Recipient address rejected.", "550 5.1.1 <…>: Recipient address rejected."),
        ("550 user unknown: Aino.Äijälä+raati@esimerkki.fi", "550 user unknown: <…>"),
        ('553 <"aino asukas"@example.org> syntax', "553 <…> syntax"),
        ("550 aino@localhost and bengt@[192.0.2.1] refused", "550 <…> and <…> refused"),
        ("to=<a@b.example>, orig_to=c@d.example", "to=<…>, <…>"),
        ("451 4.7.1 greylisted, try again later", "451 4.7.1 greylisted, try again later"),
        ("550 mailbox unavailable (sender <>)", "550 mailbox unavailable (sender <>)"),
    ],
)
def test_every_email_address_in_a_reason_is_hidden_and_nothing_else(reason: str, shown: str) -> None:
    assert hide_addresses(reason) == shown
    assert hide_addresses(shown) == shown


@pytest.mark.parametrize(
    ("role", "raw"),
    [(Role.COORDINATOR, True), (Role.OPERATOR, True), (Role.MANAGER, False), (Role.SERVICE_OWNER, False)],
)
def test_only_coordinators_and_the_operator_read_the_reason_as_the_server_gave_it(role: Role, raw: bool) -> None:
    actor = Actor(name="someone", role=role)

    assert may_read_personal_data(actor) is raw
    assert failure_reason(actor, REPLY) == (REPLY if raw else "550 5.1.1 <…>: Recipient address rejected")
    assert failure_reason(actor, None) is None


def test_a_managers_outbox_health_has_no_address_in_its_failed_rows() -> None:
    uow = FakeUnitOfWork()
    row = OutboxMessage(
        id="m1",
        kind="idea_update",
        recipient_kind=RecipientKind.MEMBER,
        recipient_id=7,
        email="m0007@example.org",
        language="fi",
        payload={"idea_id": 3},
        created_at=datetime(2025, 3, 3, 9, tzinfo=UTC),
        panel_id=1,
        status=OutboxStatus.FAILED,
        attempts=1,
        last_error=REPLY,
    )
    with uow:
        uow.outbox.add([row])
        uow.commit()

    clock = FixedClock(datetime(2025, 3, 4, 9, tzinfo=UTC))
    manager = outbox_health(None, actor=Actor(name="johto", role=Role.MANAGER), uow=uow, clock=clock)
    coordinator = outbox_health(
        None, actor=Actor(name="k", role=Role.COORDINATOR, panel_ids=frozenset({1})), uow=uow, clock=clock
    )

    assert "m0007" not in repr(manager.failed)
    assert [m.last_error for m in manager.failed] == ["550 5.1.1 <…>: Recipient address rejected"]
    assert [(m.email, m.last_error) for m in coordinator.failed] == [("m0007@example.org", REPLY)]
