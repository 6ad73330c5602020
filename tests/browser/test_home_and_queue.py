"""The coordinator's home page and the queue in Chromium: what needs doing now, the raised ideas sent on from the
queue, the owner's filters; axe at 1280 and 390 px with screenshots (build/screenshots/)."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import Staff, UowFactory, check_page, idea_sent_to_service, sign_in
from tests.conftest import FixedClock
from tests.integration.conftest import World

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def at_both_widths(page: Page, name: str) -> None:
    """axe and a screenshot at 1280 px, then at 390 px, where nothing may scroll sideways."""
    page.set_viewport_size(DESKTOP)
    check_page(page, name)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    check_page(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_coordinator_starts_from_what_needs_doing_and_sends_a_raised_idea_on_from_the_queue(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus chatissa")
    idea_id = world.raise_idea(uow_factory, clock, "Esteetön sisäänkäynti")
    world.raise_idea(uow_factory, clock, "Pyörätelineet")
    sign_in(page, web_url, coordinator)

    expect(page).to_have_url(f"{web_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing now")
    at_both_widths(page, "home-coordinator")

    page.get_by_role("link", name="2 raised ideas to send on").click()
    expect(page).to_have_url(re.compile(r"/queue\?state=raised&panel=\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Raised ideas waiting to be sent on")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("Esteetön")))
    expect(card).to_contain_text("changed today")  # its age
    card.get_by_text("Move or add a note").click()
    action, service = card.get_by_label("Action"), card.get_by_label("Service", exact=True)
    expect(action).to_have_value("")  # no move preselected
    expect(service).to_be_hidden()  # asked only when the idea is sent to a service
    action.select_option("sent_to_service")
    expect(service).to_be_visible()
    expect(service).to_have_value("")  # no suggested service: none is preselected
    at_both_widths(page, "queue-raised")
    service.select_option(label="Suun terveydenhuolto")
    expect(card.locator(f"#told-{idea_id}")).to_have_text("3 members by email and 1 service representative")

    card.get_by_role("button", name="Save and notify").click()

    expect(page).to_have_url(f"{web_url}/ideas/{idea_id}")
    expect(page.get_by_role("status")).to_contain_text("Saved. 4 notifications are on their way.")
    page.goto(f"{web_url}/")
    expect(page.get_by_role("link", name="1 raised idea to send on")).to_be_visible()


def test_an_owner_filters_their_queue_by_words_in_the_title_without_javascript(
    browser, page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    try:
        idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus chatissa")
        clock.advance(timedelta(days=16))  # past the panel's 14 stale days
        idea_sent_to_service(world, uow_factory, clock, "Opasteet aulaan")
        sign_in(plain, web_url, owner)
        first = plain.get_by_role("listitem").filter(has=plain.get_by_role("heading", name=re.compile("Ajanvaraus")))
        expect(first).to_contain_text("waiting 16 days")
        expect(first).to_contain_text("overdue")
        expect(plain.get_by_role("heading", level=2).first).to_contain_text("Ajanvaraus")  # the longest waiting
        expect(plain).to_have_url(f"{web_url}/queue")
        expect(plain.get_by_role("heading", level=2)).to_have_count(2)
        plain.get_by_label("Words in the title").fill("opasteet")
        plain.get_by_role("button", name="Show", exact=True).click()
        expect(plain).to_have_url(re.compile(r"/queue\?q=opasteet"))
        expect(plain.get_by_role("heading", level=2)).to_have_count(1)
        expect(plain.get_by_role("heading", level=2)).to_contain_text("Opasteet aulaan")
        expect(plain.get_by_text("1 open idea matches")).to_be_visible()
    finally:
        context.close()
    # The same pages with scripts on, for axe.
    sign_in(page, web_url, owner)
    at_both_widths(page, "queue-owner-overdue")
    page.goto(f"{web_url}/queue?q=opasteet")
    at_both_widths(page, "queue-owner-filtered")
