"""``raati outbox dispatch`` with ``RAATI_LOG_FORMAT=json``: its log lines are JSON objects, the summary has the
counts, and a refusal that quotes a member's address leaves no address in the log (the person's own output on
stdout is unchanged)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FixedClock
from tests.delivery.conftest import RaatiCli, RefusingInbox, UowFactory, move
from tests.integration.conftest import OWNER, World
from tests.smtp.servers import smtp_server
from tests.web.test_logs import kept_logging

pytestmark = pytest.mark.slow  # a real SMTP server, on both databases

SENDER = "Raati <raati@raati.test>"


def test_dispatch_logs_json_counts_and_no_address(
    world: World, uow_factory: UowFactory, clock: FixedClock, raati: RaatiCli
) -> None:
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    move(uow_factory, clock, idea, "sent_to_service")
    bengt = "bengt@example.org"
    refusing = RefusingInbox({bengt: f"550 5.1.1 <{bengt}>: mailbox unavailable"})

    with kept_logging(), smtp_server(refusing) as server:
        env = {"RAATI_SMTP_PORT": str(server.port), "RAATI_SMTP_SENDER": SENDER, "RAATI_LOG_FORMAT": "json"}
        dispatched = raati("outbox", "dispatch", "--json", env=env)

    assert dispatched.code == 0, dispatched.err
    assert json.loads(dispatched.out)["failed"] == 1  # the command's own answer, as before
    logged = [json.loads(line) for line in dispatched.err.splitlines()]
    (summary,) = [line for line in logged if line["message"] == "dispatch finished"]
    # Every member and the owner but Bengt, whose address the relay refused.
    assert (summary["sent"], summary["failed"], summary["level"]) == (len(world.members), 1, "INFO")
    assert summary["logger"] == "cli.delivery"
    assert "@" not in dispatched.err, dispatched.err
    assert OWNER not in dispatched.err
