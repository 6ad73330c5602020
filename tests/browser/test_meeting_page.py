"""The meeting page in Chromium, as the coordinator reaches it from a reminder: wholly in the browser's language,
axe-core clean, and fitting a 390 px phone (screenshots ``meeting-fi.png``, ``meeting-fi-390.png`` … in
build/screenshots/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.commands import MoveIdea, UpdateMeeting
from application.ideas.changes import move_idea
from application.meetings.changes import update_meeting
from notifications.links import LinkSigner
from tests.browser.conftest import Staff, UowFactory
from tests.browser.test_page_languages import in_language, language, page_in  # noqa: F401  (the fixtures)
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import SERVICE, World
from tests.sign_in import newest_link

pytestmark = pytest.mark.slow

NEXT_STEP = {
    "fi": "Nyt ei ole tehtävää: ennakkotiedot lähtevät raatilaisille automaattisesti",
    "sv": "Inget att göra just nu: förhandsinformationen skickas automatiskt till medlemmarna",
    "en": "Nothing to do now: the pre-brief goes out to the members automatically",
}


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the page's words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


def mailed_link(uow_factory: UowFactory, signer: LinkSigner, web_url: str, address: str) -> str:
    """The link of the sign-in mail just queued for ``address`` (the app queues it a moment after its answer, so
    this waits for it), as the composer writes it into the mail."""
    return newest_link(uow_factory, signer, address, web_url)


def test_the_coordinator_reads_the_meeting_page_in_their_language_on_a_desktop_and_a_phone(
    page_in: Page,  # noqa: F811
    language: str,  # noqa: F811
    web_url: str,
    world: World,
    coordinator: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
    signer: LinkSigner,
) -> None:
    update_meeting(
        UpdateMeeting(
            meeting_id=world.meeting_id,
            title="Ajanvaraus asiakkaan silmin",
            online_url="https://teams.example.fi/l/meetup-join/19%3ameeting_very_long_identifier_that_must_wrap",
            translations={"sv": {"title": "Tidsbokning ur kundens synvinkel"}},
        ),
        uow=uow_factory(),
        clock=clock,
    )
    sent = world.raise_idea(uow_factory, clock, "Ajanvaraus chatissa")
    move_idea(MoveIdea(sent, to="sent_to_service", service=SERVICE, expected_version=1), uow=uow_factory(), clock=clock)
    world.raise_idea(uow_factory, clock, "Pysäköintiohjeet selkeämmiksi ja lyhyemmiksi kaikilla kielillä")

    # As from a reminder without a session: the meeting's address, the sign-in form, the mailed link, the meeting.
    page_in.goto(f"{web_url}/meetings/{world.meeting_id}")
    page_in.locator("#email").fill(coordinator.email)
    page_in.locator("form[action='/sign-in'] button[type=submit]").click()
    page_in.wait_for_load_state()
    page_in.goto(mailed_link(uow_factory, signer, web_url, coordinator.email))
    page_in.locator("form[action^='/sign-in/link/'] button[type=submit]").click()
    expect(page_in).to_have_url(f"{web_url}/meetings/{world.meeting_id}")

    expect(page_in.get_by_role("heading", level=1)).to_be_visible()
    expect(page_in.get_by_role("link", name="Ajanvaraus chatissa")).to_have_attribute("href", f"/ideas/{sent}")
    in_language(page_in, language, "meeting", shows=NEXT_STEP[language])
