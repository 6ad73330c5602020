"""The pages' look and layout in Chromium, over the Helsinki Design System's styles: each staff page, the sign-in page,
a member's page and a page that does not exist, at 1280 and 390 px: axe-core clean, nothing wider than the phone,
the header one line and a menu button on the phone; the menu opens with the keyboard alone; focus goes to the error
summary after a refused form (and the summary comes first without JavaScript); error pages answer in the reader's
language with a way back, and problem+json to a JSON client. Screenshots ``layout-*.png`` in build/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from notifications.links import LinkSigner
from tests.browser.conftest import Staff, UowFactory, check_page, idea_sent_to_service, preferences_link, sign_in
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import World
from web.errors import wants_json
from web.rendering import catalog_for

pytestmark = pytest.mark.slow

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HEADER_AT_MOST = 80  # px at 390 wide: one line with the name and the menu button (44 px high) and its padding


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the look of the pages, not storage (tests/web covers both databases)."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Page]:
    """A Finnish browser without a session."""
    context = browser.new_context(viewport=DESKTOP, locale="fi-FI")
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    try:
        yield opened
    finally:
        context.close()


def header_height(page: Page) -> float:
    return float(page.evaluate("() => document.querySelector('.site-header').getBoundingClientRect().height"))


def at_both_widths(page: Page, name: str) -> None:
    """axe and a screenshot at 1280 px; at 390 px also nothing wider than the phone and a one-line header."""
    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(100)
    check_page(page, f"layout-{name}")
    menu = page.locator("details.menu")
    if menu.count():  # staff pages: the links stand in the header, no menu button
        expect(menu.locator("summary")).to_be_hidden()
        expect(menu.locator("nav a").first).to_be_visible()
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    assert header_height(page) < HEADER_AT_MOST, f"{name}: the header is {header_height(page)} px high at 390 px"
    if menu.count():  # the links are behind the menu button until it is opened
        expect(menu.locator("summary")).to_be_visible()
        expect(menu.locator("nav a").first).to_be_hidden()
    check_page(page, f"layout-{name}-390")
    page.set_viewport_size(DESKTOP)


def test_every_page_fits_a_phone_with_a_one_line_header_and_passes_axe(
    page: Page,
    visitor: Page,
    web_url: str,
    world: World,
    coordinator: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
    signer: LinkSigner,
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus chatissa")
    world.raise_idea(uow_factory, clock, "Esteetön sisäänkäynti ja pyörätuolipaikat pääovelle")
    fetched: list[str] = []  # every address the pages load: the HDS styles are served here, no CDN
    for tab in (page, visitor):
        tab.on("request", lambda request: fetched.append(request.url))
    visitor.goto(f"{web_url}/sign-in")
    at_both_widths(visitor, "sign-in")
    visitor.goto(f"{web_url}/ei-ole")
    expect(visitor.locator("h1")).to_have_text("Ei löytynyt")
    at_both_widths(visitor, "not-found-signed-out")
    member_id = next(iter(world.members.values()))[0]
    visitor.goto(preferences_link(signer, web_url, member_id))
    at_both_widths(visitor, "member-preferences")

    sign_in(page, web_url, coordinator)
    panel = world.panel_id
    for name, path in (
        ("home", "/"),
        ("queue", "/queue"),
        ("dashboard", f"/dashboard?panel={panel}"),
        ("panels", "/panels"),
        ("panel", f"/panels/{panel}"),
        ("members", f"/panels/{panel}/members"),
        ("meetings", f"/panels/{panel}/meetings"),
        ("meeting", f"/meetings/{world.meeting_id}"),
        ("settings", "/settings"),
        ("audit", "/audit"),
        ("staff", "/staff"),
        ("not-found", "/meetings/999999"),
    ):
        response = page.goto(f"{web_url}{path}")
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200), (path, response.status)
        at_both_widths(page, name)
    assert any(url.endswith("/static/vendor/hds-core-5.2.2/base.min.css") for url in fetched)
    outside = sorted({url for url in fetched if not url.startswith((web_url, "data:"))})
    assert not outside, f"loaded from outside the app: {outside}"


def test_the_phone_menu_opens_with_the_keyboard_and_leads_to_every_link(
    page: Page, web_url: str, world: World, coordinator: Staff
) -> None:
    sign_in(page, web_url, coordinator)
    page.set_viewport_size(PHONE)
    page.goto(f"{web_url}/queue")
    summary = page.locator("details.menu > summary")
    for _ in range(6):  # the skip link, the name, then the menu button
        page.keyboard.press("Tab")
        if summary.evaluate("(e) => e === document.activeElement"):
            break
    expect(summary).to_be_focused()
    expect(summary).to_have_text("Menu")
    ring = summary.evaluate("(e) => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]")
    assert ring[0] == "solid", ring  # a visible focus ring
    assert ring[1] >= 2, ring
    links = page.locator("details.menu nav a")
    expect(links.first).to_be_hidden()

    page.keyboard.press("Enter")
    expect(page.locator("details.menu")).to_have_attribute("open", "")
    expect(links.first).to_be_visible()
    check_page(page, "layout-menu-open-390")
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    expect(links.first).to_have_text("Queue")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert names[:5] == ["Queue", "Overview", "Panels at a glance", "Panels", "Mail"], names
    for _ in range(links.count() - 1):
        page.keyboard.press("Tab")
    expect(links.last).to_be_focused()
    page.keyboard.press("Tab")  # on to the languages and signing out, each with a tap target of its own
    expect(page.get_by_role("button", name="Suomi")).to_be_focused()
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    box = sign_out.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    # The open menu lies over the page and stays inside the phone's width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    page.keyboard.press("Escape")  # closes the menu, back on its button
    expect(links.first).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Space")
    expect(links.first).to_be_visible()
    page.keyboard.press("Space")
    expect(links.first).to_be_hidden()
    page.keyboard.press("Enter")
    links.nth(3).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web_url}/panels")
    expect(page.locator("details.menu nav a[aria-current=page]")).to_have_text("Panels")


def test_focus_goes_to_the_error_summary_of_a_refused_form_which_comes_first_without_javascript(
    page: Page, browser: Browser, web_url: str, world: World, coordinator: Staff
) -> None:
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/panels/{world.panel_id}")
    page.get_by_label("Contact person's email", exact=True).fill("kaisa@")
    page.get_by_role("button", name="Save the settings").click()
    summary = page.locator(".error-summary").first
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("tabindex", "-1")
    assert summary.get_attribute("id"), "the error summary has an id (a link can lead to it)"
    at_both_widths(page, "refused")

    # The sign-in page refused: with JavaScript focus goes to its summary; without, the summary comes first.
    context = browser.new_context(viewport=PHONE, locale="fi-FI", java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{web_url}/sign-in")
        plain.get_by_label("Sähköpostiosoite").fill("ei-osoite")
        plain.locator("form[action='/sign-in'] button[type=submit]").click()
        first = plain.locator(".error-summary")
        expect(first).to_be_visible()
        # Without JavaScript nothing moves focus, so the summary is the first thing in the main content.
        assert plain.evaluate(
            """() => {
              const summary = document.querySelector('.error-summary');
              const field = document.querySelector('main input:not([type=hidden])');
              return !field || Boolean(summary.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
    finally:
        context.close()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_error_pages_answer_a_browser_in_its_language_and_a_json_client_with_a_problem(
    web_url: str, world: World, coordinator: Staff, language: str
) -> None:
    t = catalog_for(language)
    browser_like = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": language}
    json_like = {"Accept": "application/json", "Accept-Language": language}
    with httpx.Client(base_url=web_url, timeout=10, follow_redirects=False) as client:
        for path in ("/nope", "/meetings/abc", "/panels/x/members"):
            page = client.get(path, headers=browser_like)
            assert page.status_code == 404, (path, page.status_code)
            assert page.headers["content-type"].startswith("text/html"), (path, page.headers["content-type"])
            assert f'<html lang="{language}">' in page.text
            assert t("Not found") in page.text, path
            assert 'href="/"' in page.text, path  # a way back
            problem = client.get(path, headers=json_like)
            assert (problem.status_code, problem.headers["content-type"]) == (404, "application/problem+json")
            assert problem.json()["title"] == t("Not found")
        wrong = client.get("/sign-out", headers=browser_like)  # a form's address, opened as a page
        assert wrong.status_code == 405
        assert wrong.headers["content-type"].startswith("text/html")
        assert t("This page cannot be opened this way") in wrong.text
        assert 'href="/"' in wrong.text
        assert "POST" in wrong.headers.get("allow", "")
        assert client.get("/sign-out", headers=json_like).headers["content-type"] == "application/problem+json"
        unreadable = client.get("/dashboard?panel=x", headers=browser_like)  # a letter where a number should be
        assert unreadable.status_code == 422
        assert t("Check the address") in unreadable.text
        assert 'href="/"' in unreadable.text
        problem = client.get("/dashboard?panel=x", headers=json_like)
        assert (problem.status_code, problem.headers["content-type"]) == (422, "application/problem+json")
        assert client.get("/nope").headers["content-type"].startswith("text/html")  # */* alone gets the page


def test_a_signed_in_coordinators_missing_pages_are_pages_with_a_way_back_and_problems_to_json_clients(
    page: Page, web_url: str, world: World, coordinator: Staff
) -> None:
    sign_in(page, web_url, coordinator)
    for path, status, heading in (
        ("/meetings/999999", 404, "Not found"),
        ("/panels/999999/members", 404, "Not found"),
        ("/nope", 404, "Not found"),
        (f"/dashboard?panel=x{world.panel_id}", 422, "Check the address"),
    ):
        response = page.goto(f"{web_url}{path}")
        assert response is not None, path
        assert response.status == status, (path, response.status)
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    for path in ("/meetings/999999", "/panels/999999/members"):  # the same addresses, asked for JSON with the session
        response = page.request.get(f"{web_url}{path}", headers={"Accept": "application/json"})
        assert (response.status, response.headers["content-type"]) == (404, "application/problem+json"), path
        assert response.json()["title"] == "Not found"


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),  # Chromium and Firefox
        ("*/*", False),  # curl, httpx, TestClient: the page, as before
        ("", False),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/json, text/plain, */*", True),  # axios
        ("text/html;q=0.5, application/json", True),
        ("application/json;q=0.4, text/html", False),
        ("application/json;q=oops", False),  # an unreadable weight counts as not wanted
    ],
)
def test_only_a_request_that_ranks_json_above_html_gets_a_problem_body(accept: str, json: bool) -> None:
    assert wants_json(accept) is json


def test_a_page_another_role_may_not_see_is_a_page_saying_so_with_a_way_back(
    page: Page, web_url: str, world: World, owner: Staff
) -> None:
    sign_in(page, web_url, owner)
    response = page.goto(f"{web_url}/panels/{world.panel_id}/members")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    at_both_widths(page, "forbidden")
    page.get_by_role("link", name="Back to the start page").click()
    expect(page).to_have_url(f"{web_url}/queue")  # an owner's start is their queue
    refused = page.request.get(f"{web_url}/panels/{world.panel_id}/members", headers={"Accept": "application/json"})
    assert (refused.status, refused.headers["content-type"]) == (403, "application/problem+json")


def test_the_phone_menu_opens_without_javascript(browser: Browser, web_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="sv-FI", java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{web_url}/sign-in")
        assert header_height(plain) < HEADER_AT_MOST
        expect(plain.get_by_role("link", name="Logga in")).to_be_hidden()
        plain.get_by_text("Meny", exact=True).click()
        expect(plain.get_by_role("link", name="Logga in")).to_be_visible()
        expect(plain.get_by_role("button", name="suomi")).to_be_visible()
        assert plain.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
