"""The topic wishes and ground rules pages in Chromium, as a coordinator works them: a decline without a note refused
(focus on the error summary), then declined with a note and the member mailed in Swedish; another wish put on the
coming meeting's agenda; the ground rules with a language left empty refused, then a new version published. axe-core
reports no violation at all at 1280 and 390 px, nothing is wider than the phone; screenshots ``wishes-*.png`` and
``rules-*.png`` in build/screenshots/. Both pages wholly in Finnish, Swedish and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from application.participation.ground_rules import show_ground_rules
from application.participation.topic_wishes import (
    DeclineTopicWish,
    decline_topic_wish,
    list_topic_wishes,
    submit_topic_wish,
)
from domain.topic_wishes import WishStatus
from notifications.kinds import TOPIC_WISH_DECLINED
from notifications.links import PREFERENCES, LinkSigner
from tests.browser.conftest import Staff, check_page, sign_in
from tests.browser.test_page_languages import DESKTOP, LOCALES, PHONE, in_language
from tests.conftest import fresh_database_url

pytestmark = pytest.mark.slow

NOTE = "Pysäköinti ei kuulu terveysasemalle, joten raati ei voi vaikuttaa siihen. Kiitos ajatuksesta!"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


def axe_clean(page: Page, name: str) -> None:
    """A screenshot, and not a single axe-core violation (of any impact) on the page as it is now."""
    check_page(page, name)
    results: dict[str, Any] = page.evaluate("async () => await window.axe.run(document)")
    found = [f"{v['impact']}: {v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]
    assert not found, f"axe-core on {name}:\n" + "\n".join(found)


def at_both_widths(page: Page, name: str) -> None:
    axe_clean(page, name)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px"
    axe_clean(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_a_coordinator_declines_one_wish_and_takes_up_another(
    page: Page, web_url: str, coordinator: Staff, world, uow_factory, clock, signer: LinkSigner
) -> None:
    bengt = world.members["bengt@example.org"][0]
    aino = world.members["aino@example.org"][0]
    parking = submit_topic_wish(bengt, "Parkering vid hälsostationen", uow=uow_factory(), clock=clock)
    clock.advance(hours=2)
    phones = submit_topic_wish(aino, "Ajanvaraus puhelimella", uow=uow_factory(), clock=clock)
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/panels/{world.panel_id}")
    page.get_by_role("link", name="Topic wishes").click()
    expect(page.locator("h1")).to_have_text("Topic wishes")
    at_both_widths(page, "wishes-en")

    card = page.locator(f"#wish-{parking.id}")
    card.get_by_text("Decline the wish", exact=True).click()
    card.get_by_role("button", name="Decline and tell the member").click()
    error = page.locator(f"#decline-{parking.id}-error")
    expect(error).to_be_focused()
    expect(error).to_contain_text("Note to the member")
    at_both_widths(page, "wishes-refused-en")
    page.locator(f"#decline-{parking.id}-note").fill(NOTE)
    page.locator(f"#wish-{parking.id}").get_by_role("button", name="Decline and tell the member").click()
    expect(page.get_by_role("status")).to_contain_text("The wish is declined. Its member will be told why by email.")

    page.locator(f"#schedule-{phones.id}-meeting").select_option(index=0)
    page.locator(f"#wish-{phones.id}").get_by_role("button", name="Put it on the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("The wish is on the meeting's agenda.")
    expect(page.locator(f"#wish-{phones.id}")).to_contain_text("on an agenda")
    expect(page.locator(f"#wish-{parking.id}")).to_contain_text(NOTE)
    at_both_widths(page, "wishes-decided-en")

    statuses = {w.id: w.status for w in list_topic_wishes(str(world.panel_id), uow=uow_factory())}
    assert statuses == {parking.id: WishStatus.DECLINED, phones.id: WishStatus.SCHEDULED}
    with uow_factory() as uow:
        told = [(m.recipient_id, m.language) for m in uow.outbox.list() if m.kind == TOPIC_WISH_DECLINED]
    assert told == [(bengt, "sv")]

    # The member's own topic page (their signed link) shows the wish as not taken up, with the note, in Swedish.
    page.goto(f"{web_url}/m/{bengt}/topics?token={signer.sign(PREFERENCES, bengt)}")
    expect(page.locator("main")).to_contain_text("Kundrådet tar inte upp detta ämne.")
    expect(page.locator("main")).to_contain_text(NOTE)
    at_both_widths(page, "wishes-member-sv")


def test_a_coordinator_publishes_new_ground_rules(
    page: Page, web_url: str, coordinator: Staff, world, uow_factory
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/panels/{world.panel_id}")
    page.get_by_role("link", name="Ground rules").click()
    expect(page.locator("h1")).to_have_text("Ground rules")
    expect(page.locator("main")).to_contain_text("We keep our turns brief.")
    at_both_widths(page, "rules-en")

    page.get_by_label("Rules in Finnish").fill("Kuuntelemme toisiamme.\nAloitamme ajallaan.")
    page.get_by_label("Rules in Swedish").fill("")
    page.get_by_label("Rules in English").fill("We listen to each other.\nWe start on time.")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.locator("#publish-error")).to_be_focused()
    expect(page.locator("#publish-error")).to_contain_text("Rules in Swedish")
    at_both_widths(page, "rules-refused-en")
    assert show_ground_rules(str(world.panel_id), uow=uow_factory())[1].stored is False  # nothing written

    page.get_by_label("Rules in Swedish").fill("Vi lyssnar på varandra.\nVi börjar i tid.")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 of the ground rules is published.")
    expect(page.locator("main")).to_contain_text("Vi börjar i tid.")
    at_both_widths(page, "rules-published-en")
    _, rules = show_ground_rules(str(world.panel_id), uow=uow_factory())
    assert rules.in_language("sv") == ["Vi lyssnar på varandra.", "Vi börjar i tid."]


WISHES = {"fi": "Aihetoiveet", "sv": "Ämnesönskemål", "en": "Topic wishes"}
RULES = {"fi": "Pelisäännöt", "sv": "Spelregler", "en": "Ground rules"}
EMAIL_LABEL = {"fi": "Sähköpostiosoite", "sv": "E-postadress", "en": "Email address"}


@pytest.mark.parametrize("language", list(LOCALES))
def test_the_wish_and_rules_pages_speak_each_language(
    browser: Browser, web_url: str, coordinator: Staff, world, uow_factory, clock, language: str
) -> None:
    bengt = world.members["bengt@example.org"][0]
    wish = submit_topic_wish(bengt, "Parkering vid hälsostationen", uow=uow_factory(), clock=clock)
    decline_topic_wish(DeclineTopicWish(wish_id=wish.stored_id, note=NOTE), uow=uow_factory(), clock=clock)
    submit_topic_wish(world.members["aino@example.org"][0], "Ajanvaraus puhelimella", uow=uow_factory(), clock=clock)
    context = browser.new_context(viewport=DESKTOP, locale=LOCALES[language])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, web_url, coordinator, email_label=EMAIL_LABEL[language])
        page.goto(f"{web_url}/panels/{world.panel_id}/wishes")
        in_language(page, language, "wishes", shows=WISHES[language])
        page.goto(f"{web_url}/panels/{world.panel_id}/rules")
        in_language(page, language, "rules", shows=RULES[language])
    finally:
        context.close()
