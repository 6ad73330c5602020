"""Mail delivery on /metrics: a real dispatch to aiosmtpd (two accepted, one refused with 550) shows as emails sent
and a failure of the class ``rejected``, and the outbox gauges see the rows sent and failed; on both databases."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from notifications import kinds
from notifications.links import LinkSigner
from persistence.metrics import outbox_stats
from tests.conftest import FixedClock
from tests.delivery.conftest import COALESCE, Postman, RefusingInbox, UowFactory, move
from tests.integration.conftest import OWNER, World
from tests.smtp.servers import smtp_server
from tests.web.test_metrics import Samples, scrape, value
from web.app import create_app

pytestmark = pytest.mark.slow  # a real SMTP server and the web app, on both databases


def test_a_dispatch_shows_as_mail_sent_and_failed_by_reason_and_in_the_outbox_gauges(
    world: World, uow_factory: UowFactory, engine: Engine, clock: FixedClock, postman: Postman, signer: LinkSigner
) -> None:
    app = create_app(
        uow_factory=uow_factory,
        clock=clock,
        signer=lambda: signer,
        outbox_stats=lambda: outbox_stats(engine, now=clock.now(), coalesce=COALESCE),
    )
    client = TestClient(app, base_url="http://127.0.0.1")
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    move(uow_factory, clock, idea, "sent_to_service")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    waiting = scrape(client)
    recipients = {*world.members, OWNER}
    bengt = "bengt@example.org"

    with smtp_server(RefusingInbox({bengt: "550 5.1.1 mailbox unavailable"})) as server:
        report = postman.deliver(server.port)
    after = scrape(client)

    assert (report.sent, report.failed) == (len(recipients) - 1, 1)
    assert _delta(waiting, after, "raati_mail_sent_total") == len(recipients) - 1
    assert _delta(waiting, after, "raati_mail_failed_total", reason="rejected") == 1
    assert _delta(waiting, after, "raati_mail_failed_total", reason="deferred") == 0
    # The owner's task has been due since the move; the members' news only since their coalescing window closed.
    assert value(waiting, "raati_outbox_oldest_due_seconds") == COALESCE.total_seconds() + 1
    assert value(after, "raati_outbox_oldest_due_seconds") == 0
    assert value(after, "raati_outbox_rows", status="failed", kind=kinds.IDEA_UPDATE) == 1
    assert value(after, "raati_outbox_rows", status="pending", kind=kinds.IDEA_UPDATE) == 0


def _delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)
