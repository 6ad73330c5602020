"""The member's calendar address page in Chromium (issue 16): the address to add and to copy, a new address that
revokes the old one; in Swedish and Finnish, axe clean at 1280 and 390 px with nothing scrolling sideways."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Page, expect

from notifications.links import PREFERENCES, LinkSigner
from tests.browser.test_home_and_queue import at_both_widths
from tests.integration.conftest import World

AINO = "aino@example.org"  # Finnish
BENGT = "bengt@example.org"  # Swedish


def test_a_member_adds_the_meetings_to_a_calendar_and_makes_a_new_address(
    page: Page, web_url: str, world: World, signer: LinkSigner
) -> None:
    member_id = world.members[BENGT][0]
    page.goto(f"{web_url}/m/{member_id}/calendar?token={signer.sign(PREFERENCES, member_id)}")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=2)).to_have_text("Lägg till mötena i din kalender")
    old = page.get_by_role("textbox").input_value()
    assert (
        page.get_by_role("link", name="Lägg till i min kalender").get_attribute("href")
        == "webcal://" + old.split("://", 1)[1]
    )
    at_both_widths(page, "member-calendar-sv")
    path = urlsplit(old)
    feed = f"{web_url}{path.path}?{path.query}"  # the test server's own address, not RAATI_BASE_URL
    assert httpx.get(feed).status_code == 200

    page.get_by_role("button", name="Skapa en ny adress").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("En ny kalenderadress")
    expect(page.get_by_role("status")).to_contain_text("Den gamla adressen fungerar inte längre")
    new = page.get_by_role("textbox").input_value()
    assert new != old
    at_both_widths(page, "member-calendar-renewed-sv")
    assert httpx.get(feed).status_code == 404
    fresh = urlsplit(new)
    assert httpx.get(f"{web_url}{fresh.path}?{fresh.query}").status_code == 200


def test_the_page_in_finnish_at_a_phones_width(page: Page, web_url: str, world: World, signer: LinkSigner) -> None:
    member_id = world.members[AINO][0]
    page.goto(f"{web_url}/m/{member_id}/calendar?token={signer.sign(PREFERENCES, member_id)}")

    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalenterisi osoite")
    expect(page.get_by_label("Jos painike ei toimi", exact=False)).to_have_attribute("readonly", "")
    at_both_widths(page, "member-calendar-fi")
