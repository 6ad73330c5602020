"""The survey pages in Chromium, as a coordinator runs a survey: the panel's surveys, a refused form (focus on its
summary), a draft, opening it (the links mailed), the members' answers, closing it, and the report with a chart and
its table per statement, NPS and the CSV. axe-core clean at 1280 and 390 px, nothing wider than the phone;
screenshots ``surveys-*.png`` and ``survey-report-*.png`` in build/screenshots/. A manager reads the report without
the comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from application.commands import AddMember
from application.people.roster import add_member
from notifications.kinds import SURVEY_INVITATION
from tests.browser.conftest import Staff, UowFactory, sign_in
from tests.browser.test_page_languages import DESKTOP
from tests.browser.test_panels_and_members import at_both_widths
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import PANEL, World

pytestmark = pytest.mark.slow

# Five answers (the world's three members and two more), so that nothing is suppressed: NPS (3 − 1) / 5 = +40.
ANSWERS = [
    ("agree", "agree", "10", "Hyvät keskustelut"),
    ("agree", "somewhat_agree", "9", ""),
    ("somewhat_agree", "skip", "9", "Kokoukset voisivat olla iltaisin"),
    ("disagree", "agree", "7", ""),
    ("somewhat_disagree", "disagree", "4", ""),
]


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite only: the pages' words, layout and accessibility; tests/web covers both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


def survey_links(uow_factory: UowFactory) -> list[str]:
    with uow_factory() as uow:
        return [str(m.payload["survey_url"]) for m in uow.outbox.list() if m.kind == SURVEY_INVITATION]


def test_a_coordinator_runs_a_survey_and_reads_its_report(
    page: Page,
    web_url: str,
    world: World,
    coordinator: Staff,
    manager: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
) -> None:
    for n in (1, 2):
        add_member(AddMember(panel=PANEL, name=f"Jäsen {n}", email=f"jasen{n}@example.org"),
                   uow=uow_factory(), clock=clock)  # fmt: skip
    page.set_viewport_size(DESKTOP)
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/panels/{world.panel_id}")
    page.get_by_role("link", name="Surveys", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    at_both_widths(page, "surveys-empty-en")

    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#create-error")).to_be_focused()
    expect(page.locator("#create-error")).to_contain_text("Title in Finnish")
    expect(page.locator("#create-error")).to_contain_text("Statements in Finnish")
    at_both_widths(page, "surveys-refused-en")

    page.get_by_label("Title in Finnish").fill("Syksyn arviointi")
    page.get_by_label("Statements in Finnish").fill("Kokoukset olivat hyödyllisiä\nSain tietää, mitä ideoille tapahtui")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("status")).to_contain_text("saved as a draft")
    expect(page.locator("h1 .status")).to_have_text("not yet sent")
    at_both_widths(page, "surveys-draft-en")

    page.get_by_role("button", name="Open the survey and send the links").click()
    expect(page.get_by_role("status")).to_contain_text("5 members get a link of their own by email")
    expect(page.locator("h1 .status")).to_have_text("open for answers")
    at_both_widths(page, "surveys-open-en")
    links = survey_links(uow_factory)
    assert len(links) == 5
    for link, (first, second, number, comment) in zip(links, ANSWERS, strict=True):
        form = {"statement_1": first, "statement_2": second, "recommendation": number, "comment": comment}
        answered = page.request.post(link.replace("http://127.0.0.1:8000", web_url), form=form)
        assert answered.status == 200

    page.reload()
    page.get_by_role("button", name="Close the survey now").click()
    expect(page.get_by_role("status")).to_contain_text("The survey is closed")
    report = page.locator("#report")
    expect(report).to_contain_text("5 of 5 invited answered")
    expect(report).to_contain_text("+40")
    expect(report).to_contain_text("Kokoukset voisivat olla iltaisin")
    expect(report.locator("canvas[data-chart]")).to_have_count(3)
    expect(report.locator("table")).to_have_count(3)
    at_both_widths(page, "survey-report-en")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the report as CSV").click()
    assert downloading.value.suggested_filename.startswith("survey-")
    survey_page = page.url

    page.context.clear_cookies()
    sign_in(page, web_url, manager)
    page.goto(survey_page)
    expect(page.locator("#report")).to_contain_text("+40")
    expect(page.locator("#report")).to_contain_text("shown to the panel's coordinators only")
    expect(page.locator("#report")).not_to_contain_text("Kokoukset voisivat olla iltaisin")
    expect(page.get_by_role("button", name="Close the survey now")).to_have_count(0)
    at_both_widths(page, "survey-report-manager-en")
