"""Every staff page in Finnish, Swedish and English, and every member page in Swedish, in Chromium: the browser's
language (Accept-Language, from the context's locale) decides; html lang is right; the page shows its own
words and none of the other languages' (content in another language is marked with its own lang and left
out of the check); no ISO dates; axe-core clean; screenshots at 1280 and 390 px in build/screenshots/
(``staff-queue-sv.png``, ``staff-queue-sv-390.png`` …), and nothing wider than the phone at 390 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from application.surveys import CreateSurvey, OpenSurvey, add_statements, create_survey, open_survey, survey_for_token
from notifications.i18n import LANGUAGES, po_path
from notifications.links import GROUND_RULES, LinkSigner
from tests.browser.conftest import Staff, UowFactory, check_page, idea_sent_to_service, preferences_link
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import PANEL, World
from web.rendering import LOCALE_DIR, WEB_DOMAIN, catalog_for

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
BENGT = "bengt@example.org"  # the Swedish member
IDEA = "Ajanvaraus chatissa"  # Finnish content: on a Swedish or English page it carries lang="fi"
KNEW = "Sain tarpeeksi tietoa etukäteen."  # a survey statement with a Swedish version
UNTRANSLATED = "Ilmapiiri oli hyvä."  # one without


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: this walk is about the pages' words, not about storage."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture(params=list(LOCALES))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page_in(browser: Browser, language: str) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale=LOCALES[language])
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    try:
        yield opened
    finally:
        context.close()


@cache
def foreign_words(language: str) -> frozenset[str]:
    """Whole messages of the other languages that this language never writes (no fields, at least 8 letters)."""

    def strings(code: str) -> set[str]:
        with po_path(LOCALE_DIR, WEB_DOMAIN, code).open("rb") as source:
            catalog = read_po(source)
        found: set[str] = set()
        for message in catalog:
            if not message.id:
                continue
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                if text and "{" not in text and len(text) >= 8:
                    found.add(text)
        return found

    own = strings(language)
    others = set().union(*(strings(code) for code in LANGUAGES if code != language))
    return frozenset(text for text in others if not any(text in mine for mine in own))


def own_text(page: Page) -> str:
    """The page's text in its own language: elements marked with another lang (content, language names) left out."""
    return str(
        page.evaluate(
            """() => {
              const lang = document.documentElement.lang;
              const body = document.body.cloneNode(true);
              body.querySelectorAll('script, style').forEach((e) => e.remove());
              body.querySelectorAll('[lang]').forEach((e) => { if (e.getAttribute('lang') !== lang) e.remove(); });
              return body.textContent.replace(/\\s+/g, ' ');
            }"""
        )
    )


def in_language(page: Page, language: str, name: str, *, shows: str) -> None:
    """The page is wholly in ``language``, shows ``shows``, passes axe at both widths; screenshots of both."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("body")).to_contain_text(shows)
    text = own_text(page)
    leftovers = sorted(word for word in foreign_words(language) if word in text)
    assert not leftovers, f"{name}: words of another language on a {language} page: {leftovers}"
    assert not ISO_DATE.search(text), f"{name}: an ISO date on the page: {ISO_DATE.search(text)}"
    if language != "fi":
        assert IDEA not in text, f"{name}: Finnish content without lang=fi on a {language} page"
    check_page(page, f"{name}-{language}")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)  # the charts redraw for the narrower page
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 390 px, by {wide_elements(page)}"
    check_page(page, f"{name}-{language}-390")
    page.set_viewport_size(DESKTOP)


def wide_elements(page: Page) -> list[str]:
    """The innermost elements that reach past the phone's width: what to fix when a page is too wide."""
    return list(
        page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
              .filter((e) => e.getBoundingClientRect().right > limit && ![...e.children].some(
                  (c) => c.getBoundingClientRect().right > limit))
              .slice(0, 5).map((e) => e.tagName.toLowerCase() + ': ' + e.textContent.slice(0, 40))""",
            PHONE["width"],
        )
    )


def sign_in_as(page: Page, web_url: str, staff: Staff, t_send: str, t_address: str) -> None:
    """The address typed at /sign-in, the mailed link opened and its button pressed, in the page's language."""
    before = staff.links_queued()
    page.goto(f"{web_url}/sign-in")
    page.get_by_label(t_address).fill(staff.email)
    page.get_by_role("button", name=t_send, exact=True).click()
    page.wait_for_load_state()
    page.goto(staff.newest_link(web_url, after=before))
    page.locator("form[action^='/sign-in/link/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_every_staff_page_is_in_the_browsers_language(
    page_in: Page,
    language: str,
    web_url: str,
    world: World,
    coordinator: Staff,
    owner: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
) -> None:
    page, t = page_in, catalog_for(language)
    idea_id = idea_sent_to_service(world, uow_factory, clock, IDEA)
    world.raise_idea(uow_factory, clock, "Pysäköinti")

    page.goto(web_url)
    in_language(page, language, "staff-start", shows=t("Customer panels and what became of every idea."))
    page.goto(f"{web_url}/sign-in")
    in_language(page, language, "staff-sign-in", shows=t("Email address"))
    page.get_by_label(t("Email address")).fill("not-an-address")
    page.get_by_role("button", name=t("Email me a sign-in link"), exact=True).click()
    refused = t("Enter your email address, for example name@example.org.")
    expect(page.get_by_role("alert")).to_contain_text(refused)
    in_language(page, language, "staff-sign-in-error", shows=t("Email address"))

    sign_in_as(page, web_url, coordinator, t("Email me a sign-in link"), t("Email address"))
    expect(page).to_have_url(f"{web_url}/")  # a coordinator's home: what needs doing now
    in_language(page, language, "staff-home", shows=t("What needs doing now"))
    page.goto(f"{web_url}/dashboard")
    in_language(page, language, "staff-dashboard", shows=t("Ideas by state"))

    page.goto(f"{web_url}/queue")
    page.locator("main details summary").first.click()  # the move form, not the header's menu
    in_language(page, language, "staff-queue", shows=t.ngettext("{count} open idea", "{count} open ideas", 2))

    page.goto(f"{web_url}/ideas/{idea_id}")
    in_language(page, language, "staff-idea", shows=t("Timeline"))
    page.get_by_label(t("Action")).select_option("declined")
    page.get_by_role("button", name=t("Save and notify")).click()
    expect(page.get_by_role("alert")).to_contain_text(t("Write the members why the idea is not going ahead."))
    in_language(page, language, "staff-idea-error", shows=t("Check the form"))

    page.get_by_label(t("Action")).select_option("in_progress")
    page.get_by_label(t("Note for the members")).fill("Soita Maijalle numeroon 040 123 4567.")
    page.get_by_role("button", name=t("Save and notify")).click()
    expect(page.locator("mark")).to_contain_text("040 123 4567")
    in_language(page, language, "staff-idea-privacy", shows=t("a phone number"))

    # The note's Swedish version: checked like the Finnish note, its finding highlighted beside it; the advice
    # says who would still read the note in Finnish.
    page.get_by_label(t("Note for the members")).fill("Aloitamme kokeilun.")
    page.locator("details.translations summary").click()
    advice = page.locator(".advice")
    expect(advice).to_contain_text(
        t("Swedish- and English-speaking members get this note in Finnish, because there is no translation.")
    )
    page.get_by_label(t("Swedish version"), exact=True).fill("En medlem berättade om sin diabetes.")
    expect(advice).to_contain_text(
        t("English-speaking members get this note in Finnish, because there is no English version.")
    )
    page.get_by_role("button", name=t("Save and notify")).click()
    expect(page.locator(".found[lang=sv] mark")).to_contain_text("diabetes")
    expect(page.get_by_label(t("Swedish version"), exact=True)).to_have_attribute("aria-invalid", "true")
    in_language(page, language, "staff-idea-translation", shows=t("Swedish version"))
    violations = page.evaluate("async () => (await window.axe.run(document)).violations.map((v) => v.id)")
    assert violations == [], f"axe-core on the translated note form: {violations}"

    page.goto(f"{web_url}/ideas/999999")
    in_language(page, language, "staff-not-found", shows=t("Not found"))

    page.get_by_role("button", name=t("Sign out")).click()
    sign_in_as(page, web_url, owner, t("Email me a sign-in link"), t("Email address"))
    page.goto(f"{web_url}/dashboard")
    in_language(page, language, "staff-forbidden", shows=t("You may not see this page."))


def test_the_switcher_changes_the_language_and_keeps_it(
    page: Page, web_url: str, world: World, coordinator: Staff
) -> None:
    sign_in_as(page, web_url, coordinator, "Email me a sign-in link", "Email address")  # an English browser
    page.get_by_role("button", name="svenska").click()

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vad som behöver göras nu")  # the home page
    page.goto(f"{web_url}/queue")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_page(page, "staff-queue-switched-sv")


def test_every_member_page_is_in_swedish_for_a_swedish_member(
    browser: Browser, web_url: str, world: World, signer: LinkSigner, uow_factory: UowFactory, clock: FixedClock
) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="sv-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    t = catalog_for("sv")
    member_id = world.members[BENGT][0]
    try:
        page.goto(preferences_link(signer, web_url, member_id))
        in_language(page, "sv", "member-preferences", shows=t("Language of the emails"))

        page.get_by_role("link", name=t("Suggest a topic for the panel")).click()
        in_language(page, "sv", "member-topic-wish", shows=t("Suggest a topic"))
        page.get_by_role("button", name=t("Send the suggestion")).click()
        expect(page.get_by_role("alert")).to_contain_text(t("Write your topic in the box first."))
        in_language(page, "sv", "member-topic-wish-error", shows=t("Write your topic in the box first."))
        page.get_by_label(t("Which topic would you like the panel to discuss?")).fill("Ring mig: 040 123 4567")
        page.get_by_role("button", name=t("Send the suggestion")).click()
        expect(page.get_by_role("alert")).to_contain_text("ett telefonnummer")
        in_language(page, "sv", "member-topic-wish-privacy", shows="ett telefonnummer")

        page.goto(preferences_link(signer, web_url, member_id))
        page.get_by_role("link", name=t("Stop all of the panel's emails")).click()
        in_language(page, "sv", "member-unsubscribe", shows=t("Stop the emails"))

        page.goto(f"{web_url}/m/{member_id}/rules?token={signer.sign(GROUND_RULES, member_id)}")
        in_language(page, "sv", "member-ground-rules", shows=t("I have read the ground rules"))

        page.goto(survey_link(web_url, uow_factory, clock))
        in_language(page, "sv", "member-survey", shows=t("Send my answers"))
        # The survey's Swedish title and statement; the statement without one in Finnish, marked.
        expect(page.get_by_role("heading", level=1)).to_have_text("Höstens utvärdering")
        expect(page.locator("legend").first).to_contain_text("Jag fick tillräckligt med information i förväg.")
        expect(page.locator("legend span[lang=fi]")).to_have_text(UNTRANSLATED)
        page.get_by_role("button", name=t("Send my answers")).click()
        expect(page.get_by_role("alert")).to_contain_text(t("Your answers have not been sent yet. Please check:"))
        in_language(page, "sv", "member-survey-error", shows=t("I'd rather not answer"))

        page.goto(f"{web_url}/survey/{'z' * 43}")
        in_language(page, "sv", "member-survey-unknown", shows=t("Link not found"))
        page.goto(f"{web_url}/m/{member_id}/preferences?token=tampered")
        in_language(page, "sv", "member-invalid-link", shows=t("This link is not valid"))
    finally:
        context.close()


def survey_link(web_url: str, uow_factory: UowFactory, clock: FixedClock) -> str:
    """The Swedish member's one-time link to a freshly opened survey."""
    translated = {
        "sv": {"title": "Höstens utvärdering", "statement": ["Jag fick tillräckligt med information i förväg."]}
    }
    survey = create_survey(
        CreateSurvey(panel=PANEL, title="Syksyn arviointi", statements=(KNEW,), translations=translated),
        uow=uow_factory(),
        clock=clock,
    )
    assert survey.id is not None
    add_statements(survey.id, (UNTRANSLATED,), uow=uow_factory(), clock=clock)
    tokens = [f"language-walk-token-{n}" for n in range(10)]
    issued = iter(tokens)
    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url=web_url, tokens=lambda: next(issued))
    for token in tokens:
        try:
            if survey_for_token(token, uow=uow_factory(), clock=clock).language == "sv":
                return f"{web_url}/survey/{token}"
        except Exception:
            continue
    raise AssertionError("no survey link went to the Swedish member")
