"""A coordinator's task with the keyboard alone (issue 15): sign in, find the raised idea in the queue, send it on to
a service and see it saved, using only Tab, Shift+Tab, Enter, Space, the arrow keys and typing. Every step checks
that the focus is visible where it went (an outline or a box shadow), so a keyboard user can follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Staff, UowFactory
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import World

pytestmark = pytest.mark.slow

MOST_TABS = 80  # more stops than any page here has before the control sought


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url(request, "sqlite", tmp_path)


def focused(page: Page) -> dict[str, str]:
    """The focused element: its tag, name attribute, text and value, and whether its focus can be seen."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            const seen = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || (style.boxShadow && style.boxShadow !== 'none');
            return {tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
                    text: (e.innerText || e.value || '').trim(), value: e.value || '', seen: String(seen)};
        }"""
    )


def tab_to(page: Page, wanted: str, *, tag: str | None = None) -> dict[str, str]:
    """Press Tab until the focused control's text or name holds ``wanted`` (and is a ``tag``); its focus is visible."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if (wanted in now["text"] or wanted == now["name"]) and (tag is None or now["tag"] == tag):
            assert now["seen"] == "true", f"the focus on {now} cannot be seen"
            return now
    raise AssertionError(f"Tab never reached {wanted!r}")


def choose(page: Page, value: str) -> None:
    """On a focused select: the arrow keys until ``value`` is chosen."""
    for _ in range(12):
        if focused(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never chose {value!r}")


def test_a_coordinator_sends_a_raised_idea_on_with_the_keyboard_alone(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = world.raise_idea(uow_factory, clock, "Ajanvarauksen jonotus")

    before = coordinator.links_queued()
    page.goto(f"{web_url}/sign-in")
    tab_to(page, "email", tag="input")
    page.keyboard.type(coordinator.email)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(coordinator.newest_link(web_url, after=before))  # the link opened from the mail
    tab_to(page, "Sign in", tag="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs doing now")

    tab_to(page, "raised idea", tag="a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Raised ideas waiting to be sent on")
    tab_to(page, "Move or add a note", tag="summary")
    page.keyboard.press("Enter")
    tab_to(page, "to", tag="select")
    choose(page, "sent_to_service")
    tab_to(page, "service", tag="select")
    choose(page, str(world.service_id))
    expect(page.locator(f"#told-{idea_id}")).to_contain_text("member")  # who will be told, said beforehand
    tab_to(page, "Save and notify", tag="button")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{web_url}/ideas/{idea_id}")
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.locator("main")).to_contain_text("sent to the service")
