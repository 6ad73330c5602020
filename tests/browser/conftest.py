"""The web app under a real uvicorn on 127.0.0.1, a real Chromium driven by Playwright, axe-core on every page.

The data comes from the real use cases (the ``world`` panel); staff users from the use case behind ``raati user add``;
they sign in as people do, by a link by email (tests/sign_in.py). Screenshots of each page go to build/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from application.access.tokens import add_user_with_token
from application.commands import AddUser, MoveIdea
from application.ideas.changes import move_idea
from domain.values import Role
from notifications.links import LinkSigner, member_links
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.browser.axe import axe_source
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, SERVICE, World, world  # noqa: F401  (the fixture)
from tests.sign_in import links_queued, newest_link
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SIGNING_KEY = b"browser-tests-signing-key-0123456789"
BLOCKING = ("serious", "critical")
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1))


@pytest.fixture
def signer() -> LinkSigner:
    return LinkSigner(SIGNING_KEY)


@pytest.fixture
def web_url(uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner, tmp_path: Path) -> Iterator[str]:
    settings = WebSettings(data_dir=tmp_path / "data", session_secret="browser-tests-session-secret")
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=settings)
    with serving(app) as url:
        yield url


# Per module, not per session: Playwright's sync API holds an asyncio loop on the main thread while it
# runs, and tests elsewhere that call asyncio.run() must not find it still there.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # An English browser: the staff tests read the English pages; members' pages follow the member's language.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    try:
        yield opened
    finally:
        context.close()


@dataclass(frozen=True)
class Staff:
    """A staff user, their API token (for the API), and what finds the sign-in link mailed to them."""

    email: str
    token: str
    uow_factory: UowFactory = field(repr=False, compare=False)
    signer: LinkSigner = field(repr=False, compare=False)

    def links_queued(self) -> int:
        """How many sign-in mails have been queued for this user so far."""
        return len(links_queued(self.uow_factory, self.email))

    def newest_link(self, base_url: str, *, after: int = 0) -> str:
        """The newest sign-in link queued for this user, as its mail carries it (once more than ``after`` were)."""
        return newest_link(self.uow_factory, self.signer, self.email, base_url, after=after)


def staff_token(
    uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner, *, email: str, role: Role, **where: str
) -> Staff:
    """A staff user and token exactly as ``raati user add`` makes them."""
    issued = add_user_with_token(AddUser(email=email, role=role, **where), uow=uow_factory(), clock=clock)
    assert issued.token, "raati user add issued no token"
    return Staff(email=issued.user.email, token=issued.token, uow_factory=uow_factory, signer=signer)


@pytest.fixture
def owner(world: World, uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner) -> Staff:  # noqa: F811
    return staff_token(uow_factory, clock, signer, email=world.owner_email, role=Role.SERVICE_OWNER, service=SERVICE)


@pytest.fixture
def coordinator(world: World, uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner) -> Staff:  # noqa: F811
    email = "koordinaattori@kaari.example"
    return staff_token(uow_factory, clock, signer, email=email, role=Role.COORDINATOR, panel=PANEL)


@pytest.fixture
def manager(world: World, uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner) -> Staff:  # noqa: F811
    return staff_token(uow_factory, clock, signer, email="johto@kaari.example", role=Role.MANAGER)


def idea_sent_to_service(panel: World, uow_factory: UowFactory, clock: FixedClock, title: str) -> int:
    idea_id = panel.raise_idea(uow_factory, clock, title)
    command = MoveIdea(idea_id, to="sent_to_service", service=SERVICE, expected_version=1)
    move_idea(command, uow=uow_factory(), clock=clock)
    return idea_id


def preferences_link(signer: LinkSigner, web_url: str, member_id: int) -> str:
    return member_links(signer, web_url, "raati.test", member_id)["preferences"]


def unsubscribe_link(signer: LinkSigner, web_url: str, member_id: int) -> str:
    return member_links(signer, web_url, "raati.test", member_id)["unsubscribe"]


def sign_in(page: Page, web_url: str, staff: Staff, *, email_label: str = "Email address") -> None:
    """As a person signs in: the address typed at /sign-in, the mailed link opened, its button pressed."""
    before = staff.links_queued()
    page.goto(f"{web_url}/sign-in")
    page.get_by_label(email_label).fill(staff.email)
    page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(staff.newest_link(web_url, after=before))
    page.locator("form[action^='/sign-in/link/'] button[type=submit]").click()
    page.wait_for_load_state()


def check_page(page: Page, name: str) -> None:
    """No serious or critical axe-core violation on the page as it is now; a screenshot of it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    results: dict[str, Any] = page.evaluate("async () => await window.axe.run(document)")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    described = [f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}" for v in blocking]
    assert not blocking, f"axe-core on {name} ({page.url}):\n" + "\n".join(described)
    assert results["passes"], "axe-core ran no checks"
