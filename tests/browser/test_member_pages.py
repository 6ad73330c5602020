"""Member pages in Chromium by signed link: language and delivery, a topic wish, unsubscribing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from domain.events import Aggregate
from notifications.links import LinkSigner
from tests.browser.conftest import UowFactory, check_page, preferences_link, unsubscribe_link
from tests.integration.conftest import World

AINO = "aino@example.org"  # Finnish
BENGT = "bengt@example.org"  # Swedish


def test_a_member_changes_language_through_a_signed_link(
    page: Page, web_url: str, world: World, signer: LinkSigner, uow_factory: UowFactory
) -> None:
    member_id = world.members[AINO][0]
    page.goto(preferences_link(signer, web_url, member_id))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Viestiasetukset")
    check_page(page, "member-preferences-fi")

    page.get_by_label("svenska").check()
    page.get_by_label("Koosteena kerran viikossa").check()
    page.get_by_role("button", name="Tallenna").click()

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("status")).to_have_text("Inställningarna har sparats.")
    expect(page.get_by_label("svenska")).to_be_checked()
    check_page(page, "member-preferences-sv")
    with uow_factory() as uow:
        member = uow.members.get(member_id)
        changes = [e for e in uow.events.for_aggregate(Aggregate.MEMBER, member_id) if e.type != "added"]
    assert (member.language.value, member.delivery.value) == ("sv", "digest")
    assert changes, "the change is not in the member's log"


def test_the_pages_show_in_english_on_request_and_a_tampered_link_is_refused(
    page: Page, web_url: str, world: World, signer: LinkSigner
) -> None:
    link = preferences_link(signer, web_url, world.members[BENGT][0])
    page.goto(link + "&lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    check_page(page, "member-preferences-en")

    response = page.goto(link[:-1] + ("A" if link[-1] != "A" else "B"))

    assert response is not None
    assert response.status == 403
    # Whose link it was cannot be known: the page follows the browser's language (English here).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid")
    check_page(page, "member-invalid-link")


def test_a_member_wishes_a_topic_and_an_empty_wish_names_the_problem(
    page: Page, web_url: str, world: World, signer: LinkSigner, uow_factory: UowFactory
) -> None:
    member_id = world.members[BENGT][0]
    page.goto(preferences_link(signer, web_url, member_id))
    page.get_by_role("link", name="Föreslå ett ämne för kundrådet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Föreslå ett ämne")
    check_page(page, "member-topic-wish")

    page.get_by_role("button", name="Skicka förslaget").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv först ditt ämne i rutan.")
    expect(page.get_by_label("Vilket ämne vill du att kundrådet diskuterar?")).to_have_attribute("aria-invalid", "true")
    check_page(page, "member-topic-wish-error")

    page.get_by_label("Vilket ämne vill du att kundrådet diskuterar?").fill("Tydligare skyltar i väntrummet")
    page.get_by_role("button", name="Skicka förslaget").click()

    expect(page.get_by_role("status")).to_contain_text("Tack!")
    with uow_factory() as uow:
        wishes = uow.topic_wishes.for_panel(world.panel_id)
    assert [(w.member_id, w.text) for w in wishes] == [(member_id, "Tydligare skyltar i väntrummet")]


def test_a_member_unsubscribes_from_the_page(
    page: Page, web_url: str, world: World, signer: LinkSigner, uow_factory: UowFactory
) -> None:
    member_id = world.members[AINO][0]
    page.goto(unsubscribe_link(signer, web_url, member_id))
    expect(page.get_by_role("heading", level=1)).to_have_text("Raadin sähköpostit")
    check_page(page, "member-unsubscribe")

    page.get_by_role("button", name="Lopeta sähköpostit").click()

    expect(page.get_by_role("status")).to_contain_text("Et saa enää asiakasraadin sähköposteja.")
    check_page(page, "member-unsubscribed")
    with uow_factory() as uow:
        assert uow.members.get(member_id).unsubscribed
        (event,) = [e for e in uow.events.for_aggregate(Aggregate.MEMBER, member_id) if e.type == "unsubscribed"]
    assert event.data["via"] == "link"
