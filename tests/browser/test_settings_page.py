"""The settings page in Chromium, in each language: where one is signed in, a new API token shown once (not after a
reload), axe-core clean at 1280 and 390 px; and the coordinator's staff and audit trail pages. Screenshots
``settings-fi.png``, ``settings-fi-390.png`` …, ``staff-en*.png`` and ``audit-en*.png`` in build/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Staff, sign_in
from tests.browser.test_page_languages import DESKTOP, LOCALES, in_language
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.slow

COPY_NOW = {
    "fi": "Kopioi se nyt: se näytetään vain tämän kerran.",
    "sv": "Kopiera den nu: den visas bara den här gången.",
    "en": "Copy it now: it is shown only this once.",
}
THIS_BROWSER = {"fi": "Tämä selain", "sv": "Den här webbläsaren", "en": "This browser"}
EMAIL_LABEL = {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"}


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture(params=list(LOCALES))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def new_page(browser: Browser, language: str) -> Page:
    context = browser.new_context(viewport=DESKTOP, locale=LOCALES[language])
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    return opened


@pytest.fixture
def page_in(browser: Browser, language: str) -> Iterator[Page]:
    opened = new_page(browser, language)
    try:
        yield opened
    finally:
        opened.context.close()


def test_a_token_is_created_and_shown_once_on_the_settings_page(
    page_in: Page, language: str, web_url: str, owner: Staff
) -> None:
    sign_in(page_in, web_url, owner, email_label=EMAIL_LABEL[language])
    page_in.goto(f"{web_url}/settings")
    expect(page_in.locator("#sessions")).to_contain_text(THIS_BROWSER[language])

    page_in.locator("#token-name").fill("Raportointi")
    page_in.locator("form[action='/settings/tokens'] button[type=submit]").click()

    value = page_in.locator("#new-token")
    expect(value).to_be_visible()
    token = value.input_value()
    assert len(token) >= 43
    reply = httpx.get(f"{web_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert reply.status_code == 200
    in_language(page_in, language, "settings", shows=COPY_NOW[language])

    page_in.goto(f"{web_url}/settings")

    expect(page_in.locator("#new-token")).to_have_count(0)
    expect(page_in.locator("#tokens")).to_contain_text("Raportointi")
    assert token not in page_in.content()


def test_the_coordinator_ends_a_representatives_sessions_and_reads_the_audit_trail(
    browser: Browser, web_url: str, coordinator: Staff, owner: Staff
) -> None:
    theirs, mine = new_page(browser, "en"), new_page(browser, "en")
    try:
        sign_in(theirs, web_url, owner)
        sign_in(mine, web_url, coordinator)
        mine.goto(f"{web_url}/staff")
        card = mine.get_by_role("listitem").filter(has=mine.get_by_role("heading", name=owner.email))
        expect(card).to_contain_text("1 session")
        in_language(mine, "en", "staff", shows="End sessions")

        card.get_by_text("End sessions").click()
        card.get_by_role("button", name="Yes, end their sessions").click()

        expect(mine.get_by_role("status")).to_contain_text(f"1 session of {owner.email} ended")
        theirs.goto(f"{web_url}/queue")
        expect(theirs).to_have_url(f"{web_url}/sign-in?next=/queue")
        mine.goto(f"{web_url}/audit")
        expect(mine.locator(".audit-list")).to_contain_text("Sessions ended")
        in_language(mine, "en", "audit", shows="Signed in")
    finally:
        theirs.context.close()
        mine.context.close()
