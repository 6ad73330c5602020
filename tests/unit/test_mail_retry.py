"""Sending failed mail again (``application.mail_retry``), the use case of ``raati outbox retry`` and the outbox
page's buttons, over the fakes: the operator every panel's, a coordinator their own panels', a manager none."""

from __future__ import annotations

import pytest

from application.commands import CreatePanel
from application.mail_retry import RetryMail, retry_failed_mail
from application.people.roster import create_panel
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.values import Role
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork


def failed(uow: FakeUnitOfWork, clock: FixedClock, panel_id: int, name: str, *, email_id: str | None = None) -> str:
    message = OutboxMessage(
        id=name,
        kind="welcome",
        recipient_kind=RecipientKind.MEMBER,
        recipient_id=1,
        email=f"{name}@example.org",
        language="fi",
        payload={},
        created_at=clock.now(),
        panel_id=panel_id,
        status=OutboxStatus.FAILED,
        attempts=3,
        last_error="550 5.1.1 user unknown",
        email_id=email_id,
    )
    with uow:
        uow.outbox.add([message])
        uow.commit()
    return name


def statuses(uow: FakeUnitOfWork) -> dict[str, OutboxStatus]:
    with uow:
        return {m.id: m.status for m in uow.outbox.list()}


@pytest.fixture
def panels(clock: FixedClock) -> tuple[FakeUnitOfWork, int, int]:
    uow = FakeUnitOfWork()
    a = create_panel(CreatePanel("Itäinen raati"), uow=uow, clock=clock).id
    b = create_panel(CreatePanel("Läntinen raati"), uow=uow, clock=clock).id
    assert a is not None
    assert b is not None
    return uow, a, b


def test_a_coordinator_sends_their_panels_failed_mail_again_and_no_other(panels, clock: FixedClock) -> None:
    uow, a, b = panels
    failed(uow, clock, a, "a1")
    failed(uow, clock, a, "a2")
    failed(uow, clock, b, "b1")
    coordinator = Actor("kaisa@example.org", Role.COORDINATOR, panel_ids=frozenset({a}))

    count = retry_failed_mail(RetryMail(), actor=coordinator, uow=uow, clock=clock)

    assert count == 2
    assert uow.committed
    assert statuses(uow) == {"a1": OutboxStatus.PENDING, "a2": OutboxStatus.PENDING, "b1": OutboxStatus.FAILED}
    with pytest.raises(PermissionDenied):
        retry_failed_mail(RetryMail(panel=str(b)), actor=coordinator, uow=uow, clock=clock)


def test_one_row_goes_back_with_the_rest_of_its_email(panels, clock: FixedClock) -> None:
    uow, a, _ = panels
    failed(uow, clock, a, "first", email_id="e1")
    failed(uow, clock, a, "second", email_id="e1")
    failed(uow, clock, a, "other")

    count = retry_failed_mail(RetryMail(ids=("first",)), actor=Actor.operator(), uow=uow, clock=clock)

    assert count == 2
    assert statuses(uow)["other"] is OutboxStatus.FAILED


def test_a_manager_reads_the_outbox_but_sends_nothing_again(panels, clock: FixedClock) -> None:
    uow, a, _ = panels
    failed(uow, clock, a, "a1")
    manager = Actor("johto@example.org", Role.MANAGER)

    with pytest.raises(PermissionDenied):
        retry_failed_mail(RetryMail(), actor=manager, uow=uow, clock=clock)

    assert statuses(uow) == {"a1": OutboxStatus.FAILED}
