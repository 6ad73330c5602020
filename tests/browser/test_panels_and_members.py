"""The panel and member pages in Chromium, as a coordinator works them with the keyboard and the mouse: the panel's
contact saved, a service added, a bad member list uploaded (each bad row shown by its line), then a good one. axe-core
clean at 1280 and 390 px, nothing wider than the phone; screenshots ``panels-*.png``, ``panel-*.png`` and
``members-*.png`` in build/screenshots/. A service representative is refused the members page in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Staff, check_page, sign_in
from tests.browser.test_page_languages import DESKTOP, LOCALES, PHONE, in_language
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.slow

BAD_CSV = "name,email,language\nEeva Esimerkki,eeva@example.org,fi\nFrans Fel,not-an-address,sv\n,x@example.org,fi\n"
GOOD_CSV = "name,email,language\nEeva Esimerkki,eeva@example.org,fi\nFrans Fel,frans@example.org,sv\n"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


def at_both_widths(page: Page, name: str) -> None:
    check_page(page, name)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    check_page(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_coordinator_keeps_the_panel_and_imports_its_members(
    page: Page, web_url: str, coordinator: Staff, tmp_path: Path
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/panels")
    at_both_widths(page, "panels-en")
    page.locator(".queue h2 a").first.click()

    page.get_by_label("Contact person's name", exact=True).fill("Kaisa Koordinaattori")
    page.get_by_label("Contact person's email", exact=True).fill("kaisa@")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator("#settings-error")).to_be_focused()
    expect(page.locator("#settings-error")).to_contain_text("Contact person's email")
    at_both_widths(page, "panel-refused-en")
    page.get_by_label("Contact person's email", exact=True).fill("kaisa@kaari.example")
    page.get_by_label("Contact person's email", exact=True).press("Enter")  # the keyboard alone
    expect(page.get_by_role("status")).to_contain_text("The panel's settings are saved.")

    page.get_by_label("Service name").fill("Neuvola")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_role("status")).to_contain_text("The service “Neuvola” is added to the panel.")
    at_both_widths(page, "panel-en")

    page.get_by_role("link", name="Members", exact=True).click()
    bad = tmp_path / "members.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.locator("#import-file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#preview-error")).to_be_focused()
    expect(page.locator(".bad-rows")).to_contain_text("Line 3:")
    expect(page.locator(".bad-rows")).to_contain_text("Line 4:")
    at_both_widths(page, "members-preview-en")

    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    page.locator("#import-file").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("status")).to_contain_text("2 members imported.")
    expect(page.locator("main")).to_contain_text("frans@example.org")
    at_both_widths(page, "members-en")

    eeva = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Eeva Esimerkki"))
    eeva.get_by_role("link", name="Erase… Eeva Esimerkki").click()
    expect(page.locator("main")).to_contain_text("Erasing cannot be undone.")
    at_both_widths(page, "members-erase-en")
    page.get_by_role("button", name="Yes, erase Eeva Esimerkki for good").click()
    expect(page.get_by_role("status")).to_contain_text("The member is erased")
    expect(page.locator("main")).not_to_contain_text("eeva@example.org")


def test_a_representative_is_refused_the_members_in_words(page: Page, web_url: str, owner: Staff, world) -> None:
    sign_in(page, web_url, owner)
    page.goto(f"{web_url}/panels/{world.panel_id}/members")
    expect(page.locator("h1")).to_contain_text("Not allowed")
    assert "aino@example.org" not in page.content()
    check_page(page, "members-refused-en")


MEMBERS = {"fi": "Jäsenet", "sv": "Medlemmar", "en": "Members"}
TIMING = {"fi": "Aikataulut", "sv": "Tidtabeller", "en": "Timing"}
EMAIL_LABEL = {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"}


@pytest.mark.parametrize("language", list(LOCALES))
def test_the_panel_pages_speak_each_language(
    browser: Browser, web_url: str, coordinator: Staff, world, language: str
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale=LOCALES[language])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, web_url, coordinator, email_label=EMAIL_LABEL[language])
        page.goto(f"{web_url}/panels")
        in_language(page, language, "panels", shows=MEMBERS[language])
        page.goto(f"{web_url}/panels/{world.panel_id}")
        in_language(page, language, "panel", shows=TIMING[language])
        page.goto(f"{web_url}/panels/{world.panel_id}/members")
        in_language(page, language, "members", shows=MEMBERS[language])
    finally:
        context.close()
