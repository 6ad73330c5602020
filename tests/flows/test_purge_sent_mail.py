"""``purge-sent-mail`` run by Prefect: the retention period comes from ``RAATI_MAIL_RETENTION_DAYS``."""

from __future__ import annotations

import asyncio

import pytest

import wiring
from application.commands import MoveIdea
from application.ideas.changes import move_idea
from flows.dispatch_notifications import dispatch_notifications
from flows.purge_sent_mail import purge_sent_mail
from persistence.tables import OutboxRow
from tests.flows.conftest import Raati
from tests.integration.conftest import SERVICE

pytestmark = pytest.mark.slow


def bodies(raati: Raati) -> list[tuple[str, bool]]:
    with raati.uow_factory() as uow:
        rows = uow.session.query(OutboxRow).order_by(OutboxRow.id).all()
        return [(row.status, "idea_title" in row.payload) for row in rows]


def test_purge_flow_removes_the_bodies_of_mail_sent_before_the_retention_period(
    raati: Raati, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAATI_MAIL_RETENTION_DAYS", "30")
    wiring.reset()
    idea_id = raati.world.raise_idea(raati.uow_factory, raati.clock, "Takaisinsoitto")
    move = MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE)
    move_idea(move, uow=raati.uow_factory(), clock=raati.clock)
    asyncio.run(dispatch_notifications())
    assert bodies(raati) == [("sent", True)] * 4  # three members and the service's owner

    raati.clock.advance(days=29)
    assert purge_sent_mail()["removed"] == 0
    raati.clock.advance(days=1, seconds=1)
    run = purge_sent_mail()

    assert run["removed"] == 4
    assert bodies(raati) == [("sent", False)] * 4
    assert purge_sent_mail()["removed"] == 0
