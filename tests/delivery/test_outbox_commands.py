"""``raati outbox status --json`` and ``raati outbox dispatch --json`` report what really happened."""

from __future__ import annotations

import json
from datetime import datetime

from notifications.outbox import OutboxStatus
from tests.conftest import FixedClock
from tests.delivery.conftest import PickyInbox, RaatiCli, UowFactory, World, move, outbox
from tests.integration.conftest import OWNER
from tests.smtp.servers import smtp_server


def test_outbox_dispatch_and_status_json_count_sent_retried_and_failed_rows(
    world: World, uow_factory: UowFactory, clock: FixedClock, raati: RaatiCli
) -> None:
    aino, bengt, chris = "aino@example.org", "bengt@example.org", "chris@example.org"
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    move(uow_factory, clock, idea, "sent_to_service")
    before = json.loads(raati("outbox", "status", "--json").out)
    assert before["counts"] == {"pending": 4, "sent": 0, "failed": 0, "cancelled": 0}
    assert before["failed"] == []

    inbox = PickyInbox(refuse={chris: "550 5.1.1 no such mailbox"}, greylist={bengt})
    with smtp_server(inbox) as server:
        run = raati("outbox", "dispatch", "--json", env={"RAATI_SMTP_PORT": str(server.port)})
        assert run.code == 0, run.err
        summary = json.loads(run.out)
        again = json.loads(raati("outbox", "dispatch", "--json", env={"RAATI_SMTP_PORT": str(server.port)}).out)

    assert (summary["sent"], summary["retried"], summary["failed"], summary["emails"]) == (2, 1, 1, 2)
    assert sum(summary["errors"].values()) == 2
    assert any(reason.startswith("451") for reason in summary["errors"])
    assert any(reason.startswith("550") for reason in summary["errors"])
    assert (again["sent"], again["retried"], again["failed"]) == (0, 0, 0)  # bengt's retry is not due yet
    assert sorted(inbox.by_recipient()) == sorted([aino, OWNER])

    status = json.loads(raati("outbox", "status", "--json").out)
    assert status["counts"] == {"pending": 1, "sent": 2, "failed": 1, "cancelled": 0}
    (failed,) = status["failed"]
    assert failed["email"] == chris
    assert failed["kind"] == "idea_update"
    assert failed["attempts"] == 1
    assert failed["reason"].startswith("550 5.1.1 no such mailbox")
    rows = {row.email: row for row in outbox(uow_factory)}
    assert rows[bengt].status is OutboxStatus.PENDING
    assert datetime.fromisoformat(status["oldest_pending"]) == rows[bengt].created_at
    assert status["oldest_pending_age_seconds"] >= 3600 - 5  # the rows were written an hour "ago"
