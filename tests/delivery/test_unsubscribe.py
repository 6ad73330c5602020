"""One-click unsubscribe (RFC 8058) against the real web app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from domain.events import Aggregate
from notifications.links import LinkSigner
from notifications.outbox import OutboxStatus
from tests.conftest import FixedClock
from tests.delivery.conftest import COALESCE, Inbox, Postman, UowFactory, World, move, outbox
from tests.smtp.servers import smtp_server
from tests.web_server import serving
from web.app import create_app

ONE_CLICK = b"List-Unsubscribe=One-Click"


@pytest.fixture
def web_url(uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner) -> Iterator[str]:
    """The web app on a free port of 127.0.0.1, served by uvicorn in a thread."""
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: signer)
    with serving(app) as url:
        yield url


def _request(url: str, *, data: bytes | None = None) -> tuple[int, str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _tampered(url: str) -> str:
    last = url[-1]
    return url[:-1] + ("A" if last != "A" else "B")


@pytest.mark.slow
def test_one_click_unsubscribe_stops_a_members_mail_and_a_tampered_link_changes_nothing(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman, web_url: str
) -> None:
    aino, bengt = "aino@example.org", "bengt@example.org"
    aino_id, bengt_id = world.members[aino][0], world.members[bengt][0]
    first = world.raise_idea(uow_factory, clock, "Pyörätelineet")
    move(uow_factory, clock, first, "sent_to_service")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    inbox = Inbox()
    with smtp_server(inbox) as server:
        postman.at(web_url).deliver(server.port)
    mail = inbox.by_recipient()
    links = {address: mail[address][0].unsubscribe_url() for address in (aino, bengt)}
    assert all(link.startswith(f"{web_url}/m/") for link in links.values())

    # Mail still waiting in the coalescing window when the member unsubscribes.
    second = world.raise_idea(uow_factory, clock, "Kahvio aulaan")
    move(uow_factory, clock, second, "declined", note="Aulassa ei ole tilaa.")

    status, page = _request(links[bengt])
    assert status == 200
    assert 'lang="sv"' in page
    assert "Vill du sluta få e-post från kundrådet?" in page
    status, _ = _request(_tampered(links[aino]), data=ONE_CLICK)
    assert status == 403
    with uow_factory() as uow:
        assert not uow.members.get(aino_id).unsubscribed
        assert not uow.members.get(bengt_id).unsubscribed  # the GET only asked
        assert "unsubscribed" not in [e.type for e in uow.events.for_aggregate(Aggregate.MEMBER, aino_id)]
    waiting = [r for r in outbox(uow_factory) if r.payload["idea_id"] == second]
    assert len(waiting) == len(world.members)
    assert {r.status for r in waiting} == {OutboxStatus.PENDING}

    status, page = _request(links[bengt], data=ONE_CLICK)

    assert status == 200
    assert "Du får inte längre e-post från kundrådet." in page
    with uow_factory() as uow:
        assert uow.members.get(bengt_id).unsubscribed
        assert not uow.members.get(aino_id).unsubscribed
        (event,) = [e for e in uow.events.for_aggregate(Aggregate.MEMBER, bengt_id) if e.type == "unsubscribed"]
    assert event.data["via"] == "one-click"
    waiting = [r for r in outbox(uow_factory) if r.payload["idea_id"] == second]
    assert {r.email: r.status for r in waiting} == {
        aino: OutboxStatus.PENDING,
        bengt: OutboxStatus.CANCELLED,
        "chris@example.org": OutboxStatus.PENDING,
    }

    third = world.raise_idea(uow_factory, clock, "Opasteet")
    queued = move(uow_factory, clock, third, "declined", note="Opasteet uusitaan ensi vuonna.")
    assert queued == len(world.members) - 1
    assert bengt not in {r.email for r in outbox(uow_factory) if r.payload["idea_id"] == third}
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    later = Inbox()
    with smtp_server(later) as server:
        postman.at(web_url).deliver(server.port)
    assert sorted(later.by_recipient()) == sorted(set(world.members) - {bengt})
