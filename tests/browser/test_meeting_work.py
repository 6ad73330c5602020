"""A coordinator's meeting work in Chromium, in Finnish: the panel's meetings, scheduling one (a refused form
first: the error summary takes the focus and names the field), its details changed, then after the meeting
attendance, the ideas raised in it and the summary, refused with the phone number marked in place and then
approved. axe-core clean at 1280 and 390 px; screenshots ``meeting-list-fi.png``, ``meeting-edit-refused-fi.png``,
``meeting-schedule-refused-fi-390.png`` … in build/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.reads.views import get_meeting
from domain.actors import Actor
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


def test_a_coordinator_schedules_a_meeting_and_does_its_work_after_it(
    finnish: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    page = finnish
    sign_in(page, web_url, coordinator, email_label="Sähköpostiosoite")
    page.goto(f"{web_url}/panels/{world.panel_id}/meetings")
    in_language(page, "fi", "meeting-list", shows="Tulevat tapaamiset")

    page.get_by_role("link", name="Ajoita tapaaminen").click()
    page.get_by_label("Kehittämistehtävät").fill("Omaolon ohjeet")
    page.get_by_role("button", name="Ajoita tapaaminen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#f-date")).to_have_attribute("aria-invalid", "true")
    in_language(page, "fi", "meeting-schedule-refused", shows="Tarkista lomake")

    day = (clock.now() + timedelta(days=20)).strftime("%Y-%m-%d")
    page.locator("#f-date").fill(day)
    page.locator("#f-time").fill("17:00")
    page.get_by_label("Vastuupalvelu").select_option(str(world.service_id))
    page.get_by_label("Paikka").fill("Kalasataman terveysasema")
    page.get_by_role("button", name="Ajoita tapaaminen").click()
    expect(page.locator(".flash")).to_contain_text("Tapaaminen on ajoitettu.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Omaolon ohjeet")
    page.get_by_role("link", name="Muuta tapaamisen tietoja").click()
    page.get_by_label("Etäyhteyden linkki").fill("teams.example/omaolo")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.locator("#f-online-url")).to_have_attribute("aria-invalid", "true")
    in_language(page, "fi", "meeting-edit-refused", shows="https://")
    page.get_by_label("Etäyhteyden linkki").fill("https://teams.example/omaolo")
    page.get_by_role("button", name="Tallenna tiedot").click()
    expect(page.locator(".flash")).to_contain_text("Tapaamisen tiedot on tallennettu.")
    page.goto(f"{web_url}/panels/{world.panel_id}/meetings")
    expect(page.locator(".meeting-list")).to_contain_text("— Omaolon ohjeet")

    # After the panel's first meeting: a new session (weeks pass, longer than a session lives).
    clock.advance(days=30, hours=3)
    sign_in(page, web_url, coordinator, email_label="Sähköpostiosoite")
    page.goto(f"{web_url}/meetings/{world.meeting_id}")
    boxes = page.locator("#attendance input[type=checkbox]")
    boxes.first.check()
    page.get_by_role("button", name="Tallenna osallistujat").click()
    expect(page.locator(".flash")).to_contain_text("Osallistujat tallennettu: 1 raatilainen")

    page.locator("#f-title-1").fill("Selkeämmät ohjeet")
    page.locator("#f-title-2").fill("Chat myös iltaisin")
    page.locator("#f-text-2").fill("Soita minulle 040 1234567")
    page.get_by_role("button", name="Tallenna ideat").click()
    expect(page.locator("#raise .error-summary")).to_be_focused()
    expect(page.locator("#raise mark")).to_contain_text("040 1234567")
    in_language(page, "fi", "meeting-ideas-refused", shows="Mitään ei tallennettu")
    page.locator("#f-text-2").fill("Chat-palvelu voisi olla auki myös iltaisin.")
    page.get_by_role("button", name="Tallenna ideat").click()
    expect(page.locator(".flash")).to_contain_text("2 ideaa tallennettu.")

    summary_text = page.get_by_role("textbox", name="Yhteenveto raatilaisille")
    summary_text.fill("Keskustelimme ohjeista. Lisätietoja: 040 1234567.")
    page.get_by_role("button", name="Tallenna luonnos").click()
    expect(page.locator("#summary mark")).to_contain_text("040 1234567")
    in_language(page, "fi", "meeting-summary-refused", shows="Poista henkilötiedot")
    summary_text.fill("Keskustelimme ohjeista ja chatin aukioloajoista.")
    page.get_by_label("Jatkotoimet", exact=True).fill("Palvelu vastaa ideoihin\nSeuraava tapaaminen keväällä")
    page.get_by_role("button", name="Tallenna luonnos").click()
    page.get_by_role("button", name="Hyväksy yhteenveto").click()
    expect(page.locator(".flash")).to_contain_text("Yhteenveto on hyväksytty.")
    in_language(page, "fi", "meeting-work", shows="Hyväksytty")
    assert get_meeting(world.meeting_id, actor=OPERATOR, uow=uow_factory()).summary_approved_at is not None


@pytest.fixture
def swedish(browser) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-FI")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened  # type: ignore[misc]
    context.close()


def test_the_meeting_pages_and_their_forms_are_wholly_in_swedish(
    swedish: Page, web_url: str, world: World, coordinator: Staff, clock: FixedClock
) -> None:
    clock.advance(days=30, hours=3)  # after the meeting: attendance and the summary are open
    sign_in(swedish, web_url, coordinator, email_label="E-postadress")
    swedish.goto(f"{web_url}/panels/{world.panel_id}/meetings")
    in_language(swedish, "sv", "meeting-list", shows="Tidigare möten")
    swedish.get_by_role("link", name="Planera in ett möte").click()
    in_language(swedish, "sv", "meeting-schedule", shows="Ansvarig tjänst")
    swedish.goto(f"{web_url}/meetings/{world.meeting_id}")
    in_language(swedish, "sv", "meeting-work", shows="Medlemmar som deltog")
    swedish.get_by_role("link", name="Ändra mötets uppgifter").click()
    in_language(swedish, "sv", "meeting-edit", shows="Spara uppgifterna")
