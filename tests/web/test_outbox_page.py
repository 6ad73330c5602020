"""The outbox page (``/outbox``) over HTTP on the API tests' two panels, on SQLite and PostgreSQL: health per panel,
the failed mail in words (no addresses, no payloads), the retry buttons through ``raati outbox retry``'s use case,
and who may read and retry what."""

from __future__ import annotations

import uuid
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import Engine

from application.commands import MoveIdea
from application.ideas.changes import move_idea
from application.reads.outbox_page import ADDRESS, GAVE_UP, OTHER, REFUSED, masked, reason_kind
from notifications.outbox import OutboxStatus
from notifications.queue import ClaimRequest
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

REPLY = "550 5.1.1 <aino@example.org>: Recipient address rejected"


def fail_everything(engine: Engine, clock, world: World, uow_factory, *, reply: str = REPLY) -> int:
    """Panel B's idea sent on (its member is told), then every due row claimed as a dispatcher does and each email
    recorded as refused by the server: the real path a permanent SMTP refusal takes (``application.delivery``)."""
    move_idea(MoveIdea(world.idea_b, to="sent_to_service", service="Kotihoito"), uow=uow_factory(), clock=clock)
    queue = SqlAlchemyDeliveryQueue(make_session_factory(engine))
    token = uuid.uuid4().hex
    claim = queue.claim(
        ClaimRequest(
            now=clock.now() + timedelta(days=1),
            limit=1000,
            lease=timedelta(minutes=5),
            coalesce=timedelta(0),
            digest=timedelta(days=7),
            token=token,
        )
    )
    return sum(queue.mark_failed(email.row_ids, token=token, error=reply) for email in claim.emails)


def statuses(uow_factory, panel_id: int) -> dict[OutboxStatus, int]:
    with uow_factory() as uow:
        return uow.outbox.count_by_status(panel_ids=[panel_id])


def test_a_coordinator_sees_their_panels_failed_mail_in_words_and_retries_one(
    signed_in: Signed, world: World, engine: Engine, clock, uow_factory
) -> None:
    assert fail_everything(engine, clock, world, uow_factory) > 0
    coordinator = signed_in(COORD, "en")  # its sign-in link is a new pending row of the panel
    before = statuses(uow_factory, world.panel_a)
    failed_a = before[OutboxStatus.FAILED]
    assert failed_a > 1
    assert statuses(uow_factory, world.panel_b)[OutboxStatus.FAILED] > 0

    page = coordinator.get(f"/outbox?panel={world.panel_a}&status=failed")

    assert page.status_code == 200
    text = unescape(visible(page.text))
    assert "Itäinen raati" in text
    assert "Läntinen raati" not in text
    assert "The address does not exist or takes no mail." in text
    assert "Aino Asukas" in text  # the member by name, not by address
    assert "aino@example.org" not in text  # the server's reply keeps its words, not the address
    assert "payload" not in page.text
    assert "idea_id" not in page.text
    assert not LEAKS.search(text)
    assert page.text.count('name="id"') == failed_a
    row = page.text.split('name="id" value="')[1].split('"')[0]

    retried = coordinator.post(
        "/outbox/retry",
        data={"csrf_token": csrf(page.text), "panel": str(world.panel_a), "status": "failed", "id": row},
    )

    assert retried.status_code == 303
    assert retried.headers["location"] == f"/outbox?panel={world.panel_a}&status=failed"
    after = statuses(uow_factory, world.panel_a)
    assert after[OutboxStatus.FAILED] < failed_a
    assert after[OutboxStatus.PENDING] - before[OutboxStatus.PENDING] == failed_a - after[OutboxStatus.FAILED]
    assert "back in the queue" in coordinator.get(retried.headers["location"]).text


def test_retry_all_failed_puts_back_only_that_panels_mail(
    signed_in: Signed, world: World, engine: Engine, clock, uow_factory
) -> None:
    fail_everything(engine, clock, world, uow_factory)
    failed_b = statuses(uow_factory, world.panel_b)[OutboxStatus.FAILED]
    coordinator = signed_in(COORD, "en")
    page = coordinator.get("/outbox").text
    assert "Retry all failed" in page

    coordinator.post("/outbox/retry", data={"csrf_token": csrf(page), "panel": str(world.panel_a)})

    assert statuses(uow_factory, world.panel_a)[OutboxStatus.FAILED] == 0
    assert statuses(uow_factory, world.panel_b)[OutboxStatus.FAILED] == failed_b


def test_a_coordinator_may_not_read_or_retry_another_panels_outbox(
    signed_in: Signed, world: World, engine: Engine, clock, uow_factory
) -> None:
    fail_everything(engine, clock, world, uow_factory)
    failed_b = statuses(uow_factory, world.panel_b)[OutboxStatus.FAILED]
    coordinator = signed_in(COORD, "en")
    page = coordinator.get("/outbox").text

    assert coordinator.get(f"/outbox?panel={world.panel_b}").status_code == 403
    refused = coordinator.post("/outbox/retry", data={"csrf_token": csrf(page), "panel": str(world.panel_b)})

    assert refused.status_code == 403
    assert statuses(uow_factory, world.panel_b)[OutboxStatus.FAILED] == failed_b


def test_a_manager_reads_every_panel_without_names_or_buttons_and_may_not_retry(
    signed_in: Signed, world: World, engine: Engine, clock, uow_factory
) -> None:
    fail_everything(engine, clock, world, uow_factory)
    failed_a = statuses(uow_factory, world.panel_a)[OutboxStatus.FAILED]
    manager = signed_in(MANAGER, "en")

    page = manager.get("/outbox")

    assert page.status_code == 200
    text = unescape(visible(page.text))
    assert "Itäinen raati" in text
    assert "Läntinen raati" in text
    assert "Aino Asukas" not in text
    assert "aino@example.org" not in text
    assert "a member" in text
    assert "Retry" not in text
    refused = manager.post("/outbox/retry", data={"csrf_token": csrf(page.text), "panel": str(world.panel_a)})
    assert refused.status_code == 403
    assert statuses(uow_factory, world.panel_a)[OutboxStatus.FAILED] == failed_a


def test_a_service_owner_gets_a_page_saying_no(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER, "fi")

    page = owner.get("/outbox")

    assert page.status_code == 403
    assert "<html" in page.text
    assert not page.text.lstrip().startswith("{")


def test_a_bad_status_filter_is_named(signed_in: Signed, world: World) -> None:
    page = signed_in(COORD_OTHER, "en").get("/outbox?status=lost")

    assert page.status_code == 422
    assert "“Show” can be every panel's delivery or only mail that could not be delivered." in unescape(page.text)
    assert 'aria-invalid="true"' in page.text


def test_reasons_are_sorted_into_words_a_coordinator_reads() -> None:
    assert reason_kind(REPLY) == ADDRESS
    assert reason_kind("554 5.7.1 Message refused") == REFUSED
    assert reason_kind("gave up: connection lost: timed out") == GAVE_UP
    assert reason_kind(None) == OTHER
    assert masked("aino@example.org") == "a…@example.org"
