"""The survey answer page in Chromium with axe-core: a Swedish member answers once through their link."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from application.surveys import CreateSurvey, OpenSurvey, create_survey, open_survey, survey_report
from tests.browser.conftest import UowFactory, check_page
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, World

STATEMENTS = ("Koen osallistumisen mielekkääksi", "Sain tietää, mitä ideoille tapahtui")


def test_a_member_answers_in_their_language_and_the_link_then_says_it_is_used(
    page: Page, web_url: str, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    survey = create_survey(CreateSurvey(panel=PANEL, title="Höstens utvärdering", statements=STATEMENTS),
                           uow=uow_factory(), clock=clock)  # fmt: skip
    assert survey.id is not None
    issued: list[str] = []

    def token() -> str:
        issued.append(f"browser-{len(issued)}-" + "t" * 32)
        return issued[-1]

    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url=web_url, tokens=token)
    swedish = sorted(world.members.values()).index(world.members["bengt@example.org"])
    link = f"{web_url}/survey/{issued[swedish]}"

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Höstens utvärdering")
    check_page(page, "survey-form-sv")

    first = page.get_by_role("group", name=f"1. {STATEMENTS[0]}")
    first.get_by_label("delvis av samma åsikt").check()
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj ett alternativ")
    expect(first.get_by_label("delvis av samma åsikt")).to_be_checked()  # kept
    check_page(page, "survey-form-sv-missing")

    page.get_by_role("group", name=f"2. {STATEMENTS[1]}").get_by_label("Jag vill inte svara").check()
    page.get_by_role("group", name="På en skala 1–10: skulle du rekommendera kundrådet?").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_label("Vill du säga något mer? (frivilligt)").fill("Bra möten.")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("status")).to_contain_text("Tack för dina svar")
    check_page(page, "survey-thanks-sv")

    response = page.goto(link)
    assert response is not None
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken har redan använts")
    report = survey_report(survey.id, uow=uow_factory())
    assert report.respondents == 1
