"""/metrics follows a drain as it happens: while the installed ``raati outbox dispatch`` sends forty emails to a
slow aiosmtpd relay, a running web app (a real uvicorn on the same database) is scraped again and again; the
pending rows go down and the sent ones up from scrape to scrape, and the drain ends at no pending row."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

import wiring
import wiring.metrics
from tests.cli.harness import RAATI
from tests.conftest import FixedClock
from tests.delivery.conftest import SlowInbox, UowFactory, crowd, move, outbox
from tests.integration.conftest import World
from tests.smtp.servers import smtp_server
from tests.web.test_metrics import parse
from tests.web_server import serving
from web.asgi import create

pytestmark = pytest.mark.slow  # a subprocess dispatcher, a slow relay and a real web server, on both databases

MEMBERS = 40
DELAY = 0.12  # seconds the relay takes over each message: one connection drains forty in about five seconds
SCRAPE_EVERY = 0.6  # about five emails between scrapes, so a busy machine's pauses do not stall the count


@pytest.fixture
def web_url(delivery_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The web app as ``raati web`` wires it (web/asgi.py), on the dispatcher's database, served over HTTP."""
    for name, setting in delivery_env.items():
        if name.startswith("RAATI_"):
            monkeypatch.setenv(name, setting)
    monkeypatch.delenv("RAATI_ENV", raising=False)
    monkeypatch.setenv("RAATI_SESSION_SECRET", "drain-metrics-session-secret-0123456789")
    wiring.reset()
    wiring.metrics.reset()
    try:
        with serving(create()) as url:
            yield url
    finally:
        wiring.reset()
        wiring.metrics.reset()


def outbox_by_status(client: httpx.Client) -> dict[str, float]:
    """``raati_outbox_rows`` summed over the kinds, by status, as one scrape shows it."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    totals: dict[str, float] = {}
    for (name, labels), count in parse(response.text).items():
        if name == "raati_outbox_rows":
            status = dict(labels)["status"]
            totals[status] = totals.get(status, 0) + count
    return totals


def test_the_outbox_gauges_move_while_a_dispatcher_drains_the_outbox(
    world: World,
    uow_factory: UowFactory,
    clock: FixedClock,
    delivery_env: dict[str, str],
    web_url: str,
) -> None:
    crowd(uow_factory, clock, MEMBERS - len(world.members))
    idea = world.raise_idea(uow_factory, clock, "Odotustilan tuolit")
    move(uow_factory, clock, idea, "sent_to_service")
    queued = len(outbox(uow_factory))
    assert queued > MEMBERS  # every member's news and the owner's task

    inbox = SlowInbox(delay=DELAY)
    with smtp_server(inbox) as server, httpx.Client(base_url=web_url, timeout=30) as client:
        before = outbox_by_status(client)
        assert before.get("pending") == queued
        assert before.get("sent", 0) == 0
        env = delivery_env | {"RAATI_SMTP_PORT": str(server.port), "RAATI_SMTP_CONNECTIONS": "1"}
        dispatcher = subprocess.Popen(
            [str(RAATI), "outbox", "dispatch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        scrapes: list[dict[str, float]] = []
        try:
            while dispatcher.poll() is None:
                scrapes.append(outbox_by_status(client))
                time.sleep(SCRAPE_EVERY)
            out, err = dispatcher.communicate(timeout=60)
        finally:
            if dispatcher.poll() is None:
                dispatcher.kill()
                dispatcher.communicate()
        after = outbox_by_status(client)

    assert dispatcher.returncode == 0, (out, err)
    assert inbox.count() >= MEMBERS
    pending = [s.get("pending", 0) for s in scrapes]
    sent = [s.get("sent", 0) for s in scrapes]
    # Scrapes before the dispatcher's first email (the process starting) and after its last show no movement;
    # those in between are the drain, and each of them must show progress over the one before.
    draining = [i for i, p in enumerate(pending) if 0 < p < queued]
    assert len(draining) >= 3, f"the drain was seen in fewer than three scrapes: {scrapes}"
    seen = range(draining[0], draining[-1] + 1)
    assert all(pending[i] > pending[i + 1] for i in seen[:-1]), pending
    assert all(sent[i] < sent[i + 1] for i in seen[:-1]), sent
    assert all(pending[i] + sent[i] == queued for i in seen), scrapes  # each row counted once, as one or other
    assert pending == sorted(pending, reverse=True), pending  # never up, before or after the drain either
    assert after.get("pending", 0) == 0
    assert after.get("sent") == queued
