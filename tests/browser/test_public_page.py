"""A panel's public page in Chromium (issue 16): a coordinator turns it on in the panel's settings; anyone then
reads it, here in Swedish on a 390 px phone: axe finds nothing, nothing scrolls sideways, no member is named."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from application.commands import MoveIdea
from application.ideas.changes import move_idea
from tests.browser.conftest import Staff, UowFactory, check_page, idea_sent_to_service, sign_in
from tests.conftest import FixedClock
from tests.integration.conftest import MEMBERS, World

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REASON = "Pysäköinti kuuluu kiinteistön omistajalle."
REASON_SV = "Parkeringen sköts av fastighetens ägare."


def test_a_coordinator_publishes_the_panel_and_anyone_reads_it_on_a_phone_in_swedish(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus chatissa")
    parking = world.raise_idea(uow_factory, clock, "Pysäköinti")
    declined = MoveIdea(parking, to="declined", note=REASON, translations={"sv": {"note": REASON_SV}})
    move_idea(declined, uow=uow_factory(), clock=clock)
    sign_in(page, web_url, coordinator)

    page.goto(f"{web_url}/panels/{world.panel_id}")
    page.get_by_label("Show the panel's public page").check()
    page.get_by_label("Address of the public page").fill("kaari")
    page.get_by_role("button", name="Save the public page").click()
    expect(page.get_by_role("status")).to_contain_text("/p/kaari")
    page.set_viewport_size(PHONE)
    check_page(page, "public-settings-390")
    page.set_viewport_size(DESKTOP)

    reader = page.context.browser.new_context(viewport=PHONE, locale="sv-FI")  # a stranger: no session
    public = reader.new_page()
    try:
        public.goto(f"{web_url}/p/kaari")
        expect(public.locator("html")).to_have_attribute("lang", "sv")
        expect(public.get_by_role("heading", level=1)).to_have_text("Kaaren hyvinvointikeskuksen asiakasraati")
        expect(public.get_by_text(REASON_SV).first).to_be_visible()  # the latest words; the steps repeat them
        expect(public.locator(".state-declined")).to_have_text("går inte vidare")
        width = public.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{width} px wide at 390 px"
        check_page(public, "public-panel-sv-390")
        every = public.evaluate("async () => (await window.axe.run(document)).violations.map(v => v.id)")
        assert every == [], every  # not even a minor one
        text = public.locator("body").inner_text()
        for name, address, _ in MEMBERS:
            assert name not in text
            assert address not in public.content()

        public.get_by_label("Visa").select_option("declined")
        public.get_by_role("button", name="Visa").click()
        expect(public.get_by_text("Ajanvaraus chatissa")).to_have_count(0)
        expect(public.get_by_text("Pysäköinti").first).to_be_visible()
        expect(public.locator("html")).to_have_attribute("lang", "sv")

        public.set_viewport_size(DESKTOP)
        public.get_by_role("link", name="English").click()
        expect(public.locator("html")).to_have_attribute("lang", "en")
        check_page(public, "public-panel-en-1280")

        missing = public.goto(f"{web_url}/p/no-such-panel")
        assert missing is not None
        assert missing.status == 404
        check_page(public, "public-not-found")
    finally:
        reader.close()
