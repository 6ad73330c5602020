"""Moving and cancelling a meeting in Chromium, in Finnish, after its pre-brief has gone out: a past day refused
(the error summary takes the focus and the day field is marked), the move made and the members told, then the
cancellation page saying who is told, a refused empty reason, the cancellation, and the panel's list showing the
meeting cancelled in words. axe-core clean at 1280 and 390 px; screenshots ``meeting-reschedule-*.png`` and
``meeting-cancel-*.png`` in build/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.meetings.prebriefs import send_due_prebriefs
from application.reads.views import get_meeting
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.meetings import MeetingStatus
from domain.values import Role
from tests.browser.conftest import Staff, UowFactory, sign_in
from tests.browser.test_page_languages import in_language
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import World

pytestmark = pytest.mark.slow

OPERATOR = Actor(name="operator", role=Role.OPERATOR)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture
def finnish(browser) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened  # type: ignore[misc]
    context.close()


def test_a_coordinator_moves_a_meeting_and_then_cancels_it(
    finnish: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    page = finnish
    starts = get_meeting(world.meeting_id, actor=OPERATOR, uow=uow_factory()).starts_at
    clock.set(starts - timedelta(days=7) + timedelta(hours=2))  # the pre-brief's day
    assert send_due_prebriefs(uow_factory=uow_factory, clock=clock).sent == [world.meeting_id]
    sign_in(page, web_url, coordinator, email_label="Sähköpostiosoite")

    page.goto(f"{web_url}/meetings/{world.meeting_id}")
    page.get_by_role("link", name="Siirrä tapaaminen").click()
    in_language(page, "fi", "meeting-reschedule", shows="3 raatilaiselle kerrotaan uusi aika")
    page.locator("#f-date").fill((clock.now() - timedelta(days=1)).astimezone(PANEL_TZ).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Siirrä tapaaminen").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-date")).to_have_attribute("aria-invalid", "true")
    in_language(page, "fi", "meeting-reschedule-refused", shows="Tarkista lomake")

    new = (starts + timedelta(days=7)).replace(second=0, microsecond=0)  # the form keeps minutes
    page.locator("#f-date").fill(new.astimezone(PANEL_TZ).strftime("%Y-%m-%d"))
    page.locator("#f-date").press("Enter")  # the keyboard alone
    expect(page.locator(".flash")).to_contain_text("3 raatilaiselle kerrotaan uusi aika")
    assert get_meeting(world.meeting_id, actor=OPERATOR, uow=uow_factory()).starts_at == new

    page.get_by_role("link", name="Peru tapaaminen").click()
    in_language(page, "fi", "meeting-cancel", shows="Mitä tapahtuu")
    page.get_by_role("button", name="Peru tapaaminen").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    in_language(page, "fi", "meeting-cancel-refused", shows="Syy raatilaisille")
    page.get_by_label("Syy raatilaisille").fill("Kirjaston remontti viivästyi, eikä muuta tilaa löytynyt.")
    page.get_by_role("button", name="Peru tapaaminen").click()
    expect(page.locator(".flash")).to_contain_text("Tapaaminen on peruttu.")
    assert get_meeting(world.meeting_id, actor=OPERATOR, uow=uow_factory()).status is MeetingStatus.CANCELLED
    expect(page.get_by_role("link", name="Siirrä tapaaminen")).to_have_count(0)

    page.goto(f"{web_url}/panels/{world.panel_id}/meetings")
    expect(page.locator(".meeting-list .status-cancelled")).to_have_text("peruttu")
    in_language(page, "fi", "meeting-cancel-list", shows="peruttu")


@pytest.fixture
def swedish(browser) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-FI")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened  # type: ignore[misc]
    context.close()


def test_the_move_and_cancel_pages_are_wholly_in_swedish(
    swedish: Page, web_url: str, world: World, coordinator: Staff
) -> None:
    sign_in(swedish, web_url, coordinator, email_label="E-postadress")
    swedish.goto(f"{web_url}/meetings/{world.meeting_id}")
    swedish.get_by_role("link", name="Flytta mötet").click()
    in_language(swedish, "sv", "meeting-reschedule", shows="inte skickats ännu")
    swedish.goto(f"{web_url}/meetings/{world.meeting_id}/cancel")
    in_language(swedish, "sv", "meeting-cancel", shows="3 medlemmar får veta per e-post")
