"""Recovery after a crashed drain: prefect.yaml starts a new drain when one crashes, and that drain stays until
the crashed run's claims have run out and sends what it had claimed (not after the next safety-net run).

Run by Prefect (the session's test harness) against the real wiring; the claim of the "crashed" run is made
through the same queue and left as a killed process leaves it.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

import wiring
from application.commands import MoveIdea
from application.ideas.changes import move_idea
from flows.dispatch_notifications import dispatch_notifications
from notifications.outbox import OutboxStatus
from notifications.queue import ClaimRequest
from notifications.settings import DeliverySettings
from tests.flows.conftest import Raati
from tests.integration.conftest import SERVICE

ROOT = Path(__file__).resolve().parents[2]


class TickingClock:
    """Raati's clock moving with real time from a fixed start, so that a lease can run out during a test."""

    def __init__(self, start: datetime) -> None:
        self.start, self.began = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)


def test_a_crashed_drain_is_followed_at_once_by_a_drain_that_waits_out_its_claims() -> None:
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    [drain] = [d for d in declared["deployments"] if d["name"] == "dispatch-notifications"]
    [restart] = [t for t in drain["triggers"] if "prefect.flow-run.Crashed" in t["expect"]]

    assert restart["enabled"] is True
    assert (restart["posture"], restart["threshold"]) == ("Reactive", 1)  # the first crash fires it
    assert restart["within"] <= 60  # and at most one restart a minute
    assert restart["match_related"] == {"prefect.resource.role": "flow", "prefect.resource.name": drain["name"]}
    assert restart["parameters"] == {"after_crash": True}
    assert "after_crash" in inspect.signature(dispatch_notifications.fn).parameters


def test_the_lease_is_short_because_a_dispatcher_renews_its_claims_while_it_sends() -> None:
    assert DeliverySettings().lease_seconds == 60


@pytest.mark.slow
def test_a_drain_after_a_crash_sends_what_the_crashed_run_had_claimed(
    raati: Raati, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAATI_LEASE_SECONDS", "2")
    ticking = TickingClock(raati.clock.now())
    idea_id = raati.world.raise_idea(raati.uow_factory, raati.clock, "Takaisinsoitto ajanvaraukseen")
    move_idea(MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE), uow=raati.uow_factory(), clock=ticking)
    monkeypatch.setattr(wiring, "clock", lambda: ticking)
    wiring.reset()
    rules = wiring.dispatch_rules()
    # A drain claimed everything and was killed: its claim stays until the lease runs out.
    claimed = wiring.queue().claim(
        ClaimRequest(
            now=ticking.now(),
            limit=100,
            lease=rules.lease,
            coalesce=rules.coalesce,
            digest=rules.digest,
            token="the-crashed-run",
        )
    )
    rows = sum(len(email.rows) for email in claimed.emails)
    assert rows > 0

    assert asyncio.run(dispatch_notifications())["sent"] == 0  # an ordinary drain finds it all held and leaves
    totals = asyncio.run(dispatch_notifications(after_crash=True))

    assert totals["sent"] == rows
    with raati.uow_factory() as uow:
        assert {m.status for m in uow.outbox.list()} == {OutboxStatus.SENT}
    assert len(raati.mailbox.files()) == len(claimed.emails)
