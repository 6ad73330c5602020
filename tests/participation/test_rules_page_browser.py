"""The ground rules page in Chromium: read in the member's language, acknowledge with the keyboard, axe-core clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.participation import ground_rules
from notifications.links import GROUND_RULES, LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.browser.conftest import browser, check_page, page  # noqa: F401  (the fixtures)
from tests.conftest import FixedClock
from tests.participation.world import World, build
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

SIGNER = LinkSigner(b"member-rights-browser-key-0123456789")
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    return build(uow_factory, clock)


@pytest.fixture
def web_url(uow_factory: UowFactory, clock: FixedClock, tmp_path: Path) -> Iterator[str]:
    settings = WebSettings(data_dir=tmp_path / "data", session_secret="member-rights-session-secret")
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: SIGNER, web_settings=settings)
    with serving(app) as url:
        yield url


def rules_link(web_url: str, member_id: int) -> str:
    return f"{web_url}/m/{member_id}/rules?token={SIGNER.sign(GROUND_RULES, member_id)}"


def test_a_member_reads_the_rules_and_acknowledges_them_with_the_keyboard(
    page: Page,  # noqa: F811
    web_url: str,
    world: World,
    uow_factory: UowFactory,
) -> None:
    page.goto(rules_link(web_url, world.sven))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensamma spelregler")
    expect(page.get_by_role("listitem").filter(has_text="inte i detalj")).to_have_count(1)
    check_page(page, "member-ground-rules-sv")

    button = page.get_by_role("button", name="Jag har läst spelreglerna")
    button.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Tack! Du bekräftade")
    expect(page.get_by_role("button")).to_have_count(0)
    check_page(page, "member-ground-rules-acknowledged-sv")
    assert ground_rules.member_ground_rules(world.sven, uow=uow_factory()).acknowledged_at is not None


def test_the_rules_page_in_english_and_a_tampered_link(
    page: Page,  # noqa: F811
    web_url: str,
    world: World,
) -> None:
    page.goto(rules_link(web_url, world.maija) + "&lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our ground rules")
    check_page(page, "member-ground-rules-en")

    response = page.goto(rules_link(web_url, world.maija).replace(f"/m/{world.maija}/", f"/m/{world.sven}/"))

    assert response is not None
    assert response.status == 403
