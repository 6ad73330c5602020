"""Meeting materials and the pre-brief's preview in Chromium: a program named .pdf refused in words (focus on the
error summary), a PDF uploaded and a link added, the preview read in each language and sent now. axe-core clean at
1280 and 390 px, nothing wider than the phone; screenshots ``meeting-materials-*.png`` and ``prebrief-preview-*.png``
in build/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.commands import UpdateMeeting
from application.meetings.changes import update_meeting
from notifications.composer import MailComposer
from notifications.links import LinkSigner
from notifications.render import Renderer
from persistence.meeting_files import LocalFileStore
from tests.browser.conftest import Staff, check_page, sign_in
from tests.browser.test_page_languages import DESKTOP, PHONE
from tests.conftest import fresh_database_url
from tests.web.test_meeting_materials import EXE, PDF
from tests.web_server import serving
from web.app import create_app
from web.pages.meeting_materials import MaterialsWiring
from web.settings import WebSettings

pytestmark = pytest.mark.slow


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture
def web_url(uow_factory, clock, signer: LinkSigner, tmp_path: Path) -> Iterator[str]:
    """The app with its files in this test's folder and the preview composed as the outbox would."""
    settings = WebSettings(data_dir=tmp_path / "data", session_secret="browser-tests-session-secret")
    store = LocalFileStore(tmp_path / "data" / "files")
    composer = MailComposer(
        renderer=Renderer(base_url="http://127.0.0.1:8000"),
        signer=signer,
        sender="Raati <raati@raati.test>",
        base_url="http://127.0.0.1:8000",
        mail_domain="raati.test",
        clock=clock,
    )
    wiring = MaterialsWiring(files=lambda: store, composer=lambda: composer, max_bytes=1024 * 1024)
    app = create_app(
        uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=settings, materials=wiring
    )
    with serving(app) as url:
        yield url


def at_both_widths(page: Page, name: str) -> None:
    check_page(page, name)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    check_page(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_coordinator_shares_materials_and_sends_the_pre_brief(
    page: Page, web_url: str, coordinator: Staff, world, uow_factory, clock, tmp_path: Path
) -> None:
    update_meeting(UpdateMeeting(meeting_id=world.meeting_id, place="Kaaren kirjasto"), uow=uow_factory(), clock=clock)
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/meetings/{world.meeting_id}")
    page.get_by_role("link", name="Links and files for the members").click()
    at_both_widths(page, "meeting-materials-empty-en")

    program = tmp_path / "ohje.pdf"
    program.write_bytes(EXE)
    page.get_by_label("File", exact=True).set_input_files(str(program))
    page.get_by_role("button", name="Upload the file").click()
    expect(page.locator("#form-error")).to_be_focused()
    expect(page.locator("#form-error")).to_contain_text("“ohje.pdf” is not a PDF")
    at_both_widths(page, "meeting-materials-refused-en")

    document = tmp_path / "Ajanvarausohje.pdf"
    document.write_bytes(PDF)
    page.get_by_label("File", exact=True).set_input_files(str(document))
    page.get_by_label("Title of the file").fill("Ajanvarauksen ohje")
    page.get_by_role("button", name="Upload the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file is saved.")
    page.get_by_label("Title of the link").fill("Omaolo")
    page.get_by_label("Address").fill("https://www.omaolo.fi/palvelut/oirearviot/ajanvaraus-ja-yhteydenotto")
    page.get_by_label("Address").press("Enter")  # the keyboard alone
    expect(page.get_by_role("status")).to_contain_text("The link is added to the materials.")
    expect(page.locator("main")).to_contain_text("Ajanvarauksen ohje")
    at_both_widths(page, "meeting-materials-en")

    page.get_by_role("link", name="Preview the pre-brief").click()
    expect(page.locator("h1")).to_contain_text("Preview the pre-brief")
    expect(page.locator("#prebrief-fi")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ajanvarauksen ohje")
    at_both_widths(page, "prebrief-preview-en")
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("status")).to_contain_text("The pre-brief is on its way to the members.")
    expect(page.get_by_role("button", name="Send now")).to_have_count(0)
    at_both_widths(page, "prebrief-preview-sent-en")
