"""The dashboard, the outbox page and the overview in Chromium: a coordinator follows the dashboard's failed-mail
number to the outbox and sends one message again, a manager lands on the overview. axe-core clean at 1280 and 390 px,
nothing wider than the phone; screenshots ``dashboard-*.png``, ``outbox-*.png`` and ``overview-*.png``."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from notifications.queue import ClaimRequest
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from tests.browser.conftest import Staff, check_page, idea_sent_to_service, sign_in
from tests.browser.test_page_languages import DESKTOP, PHONE
from tests.conftest import fresh_database_url
from tests.integration.conftest import World

pytestmark = pytest.mark.slow


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


def at_both_widths(page: Page, name: str) -> None:
    check_page(page, name)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    check_page(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def refuse_all_mail(engine: Engine, clock) -> int:
    """Every due row claimed as a dispatcher claims it and refused by the server, as a permanent SMTP failure is."""
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
    reply = "550 5.1.1 Recipient address rejected: user unknown"
    return sum(queue.mark_failed(email.row_ids, token=token, error=reply) for email in claim.emails)


def test_a_coordinator_follows_the_failed_mail_to_the_outbox_and_sends_one_again(
    page: Page, web_url: str, coordinator: Staff, world: World, uow_factory, clock, engine: Engine
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus verkossa")
    world.raise_idea(uow_factory, clock, "Pysäköinti")
    assert refuse_all_mail(engine, clock) > 1
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)

    page.goto(f"{web_url}/dashboard?panel={world.panel_id}")
    expect(page.locator(".state-badge").first).to_be_visible()
    at_both_widths(page, "dashboard-en")
    page.locator("#outbox-heading ~ dl a.alert").click()
    expect(page).to_have_url(f"{web_url}/outbox?panel={world.panel_id}&status=failed")
    expect(page.locator("main")).to_contain_text("The address does not exist or takes no mail.")
    at_both_widths(page, "outbox-en")

    rows = page.locator("table.failed-mail tbody tr").count()
    page.locator("table.failed-mail tbody tr").first.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("back in the queue")
    assert page.locator("table.failed-mail tbody tr").count() < rows
    at_both_widths(page, "outbox-retried-en")


def test_a_manager_lands_on_the_overview(page: Page, web_url: str, manager: Staff, world: World) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, manager)
    page.goto(web_url + "/")

    expect(page).to_have_url(f"{web_url}/overview")
    expect(page.locator("table.overview")).to_contain_text("Open ideas")
    at_both_widths(page, "overview-en")
    page.goto(f"{web_url}/overview?from=not-a-date")
    expect(page.locator("#range-error")).to_contain_text("From")
    at_both_widths(page, "overview-refused-en")
