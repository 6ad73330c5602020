"""The survey answer page over HTTP on SQLite and PostgreSQL: the member's language, an accessible form,
single use (410 after), unknown links (404), missing choices (422, link not spent)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from application.commands import AddMember, CreatePanel
from application.people.roster import add_member, create_panel
from application.surveys import CreateSurvey, OpenSurvey, close_survey, create_survey, open_survey, survey_report
from notifications.links import LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from web.app import create_app

Factory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def opened(uow_factory: Factory, clock: FixedClock) -> tuple[TestClient, int, dict[str, str]]:
    """A survey opened to three members; the token of each member's link by language."""
    create_panel(CreatePanel(name="Raati"), uow=uow_factory(), clock=clock)
    for language in ("fi", "sv", "en"):
        add_member(AddMember(panel="Raati", name=f"Jäsen {language}", email=f"{language}@example.org",
                             language=language), uow=uow_factory(), clock=clock)  # fmt: skip
    survey = create_survey(
        CreateSurvey(panel="Raati", title="Arviointi", statements=("Osallistuminen on mielekästä", "Sain tietoa")),
        uow=uow_factory(),
        clock=clock,
    )
    assert survey.id is not None
    issued = iter(["fi-token-" + "a" * 32, "sv-token-" + "b" * 32, "en-token-" + "c" * 32])
    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url="http://testserver",
                tokens=lambda: next(issued))  # fmt: skip
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: LinkSigner(b"k" * 32))
    tokens = {"fi": "fi-token-" + "a" * 32, "sv": "sv-token-" + "b" * 32, "en": "en-token-" + "c" * 32}
    return TestClient(app), survey.id, tokens


COMPLETE = {"statement_1": "agree", "statement_2": "skip", "recommendation": "9", "comment": "Hyvä"}


def test_the_form_speaks_the_members_language_with_a_fieldset_per_question(opened: tuple) -> None:
    client, _, tokens = opened
    page = client.get(f"/survey/{tokens['sv']}")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert page.text.count("<fieldset") == 3  # two statements and the recommendation
    # The statement is Finnish content on a Swedish page: marked with its own language.
    assert '<legend>1. <span lang="fi">Osallistuminen on mielekästä</span></legend>' in page.text
    assert "Delvis av samma åsikt" in page.text
    assert "Jag vill inte svara" in page.text
    # Every radio button has a label that names it.
    ids = re.findall(r'<input type="radio" id="([^"]+)"', page.text)
    assert len(ids) == 2 * 5 + 10 + 1
    assert all(f'<label for="{i}">' in page.text for i in ids)
    assert '<label for="comment">' in client.get(f"/survey/{tokens['fi']}").text
    assert "Osittain eri mieltä" in client.get(f"/survey/{tokens['fi']}").text


def test_an_answer_counts_once_and_the_link_then_says_it_is_used(opened: tuple, uow_factory: Factory) -> None:
    client, survey_id, tokens = opened
    done = client.post(f"/survey/{tokens['en']}", data=COMPLETE)
    assert done.status_code == 200
    assert "Thank you for your answers" in done.text
    again = client.post(f"/survey/{tokens['en']}", data=COMPLETE)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert client.get(f"/survey/{tokens['en']}").status_code == 410
    assert survey_report(survey_id, uow=uow_factory()).respondents == 1


def test_a_missing_choice_shows_the_form_again_and_keeps_the_link(opened: tuple, uow_factory: Factory) -> None:
    client, survey_id, tokens = opened
    missing = client.post(f"/survey/{tokens['fi']}", data={**COMPLETE, "recommendation": ""})
    assert missing.status_code == 422
    assert 'role="alert"' in missing.text
    assert 'id="recommendation" aria-invalid="true"' in missing.text
    assert "Valitse luku 1–10" in missing.text
    assert 'value="agree" checked' in missing.text  # what was chosen stays chosen
    assert survey_report(survey_id, uow=uow_factory()).respondents == 0
    assert client.post(f"/survey/{tokens['fi']}", data=COMPLETE).status_code == 200


def test_an_unknown_link_is_404_in_the_browsers_language(opened: tuple) -> None:
    client, _, _ = opened
    page = client.get("/survey/" + "z" * 43)
    assert page.status_code == 404
    assert '<html lang="fi">' in page.text
    assert "Linkkiä ei löydy" in page.text
    swedish = client.get("/survey/" + "z" * 43, headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in swedish.text
    assert "Länken hittades inte" in swedish.text
    assert client.post("/survey/nope", data=COMPLETE).status_code == 404


def test_a_closed_survey_takes_no_answers(opened: tuple, uow_factory: Factory, clock: FixedClock) -> None:
    client, survey_id, tokens = opened
    close_survey(survey_id, uow=uow_factory(), clock=clock)
    page = client.post(f"/survey/{tokens['fi']}", data=COMPLETE)
    assert page.status_code == 410
    assert "Kysely on päättynyt" in page.text
    assert survey_report(survey_id, uow=uow_factory()).respondents == 0


def test_every_missing_choice_is_flagged_at_once(opened: tuple) -> None:
    client, _, tokens = opened
    page = client.post(f"/survey/{tokens['en']}", data={"statement_1": "agree", "comment": ""})
    assert page.status_code == 422
    assert 'id="statement_2" aria-invalid="true"' in page.text
    assert 'id="recommendation" aria-invalid="true"' in page.text
    assert 'id="statement_1" aria-invalid' not in page.text
    assert page.text.count("<li><a href=") == 2  # one line for the statements, one for the recommendation
