"""The survey pages (``/panels/{id}/surveys``, ``/surveys/{id}``) over HTTP on the API tests' two panels, on SQLite
and PostgreSQL: a coordinator creates, opens, reminds and closes a survey (the invitations in the outbox, the
members answering through their links), the report with its NPS and the CSV that ``raati survey report --csv``
writes; who may see and do what; a refused form names its fields and writes nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from application.commands import AddMember
from application.people.roster import add_member
from application.surveys import list_surveys, survey_report
from cli.survey_exports import write_csv
from notifications.kinds import SURVEY_INVITATION
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.conftest import FixedClock
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

STATEMENTS = "Kokoukset olivat hyödyllisiä\nSain tietää, mitä ideoille tapahtui\n"
# Six answers (the API world's two members of panel A and four more): recommendations 10, 9, 9, 8, 7, 3.
ANSWERS = [
    ("agree", "agree", "10", "Hyvä raati"),
    ("agree", "somewhat_agree", "9", ""),
    ("somewhat_agree", "skip", "9", "Lisää iltakokouksia"),
    ("agree", "disagree", "8", ""),
    ("disagree", "agree", "7", ""),
    ("somewhat_disagree", "agree", "3", "Aikataulut eivät sopineet"),
]


def invitation_tokens(uow_factory, survey_id: int) -> list[str]:
    """The one-time links the opening queued, read back from the outbox."""
    with uow_factory() as uow:
        rows = [m for m in uow.outbox.list() if m.kind == SURVEY_INVITATION and m.payload["survey_id"] == survey_id]
    return [str(m.payload["survey_url"]).rsplit("/", 1)[1] for m in rows]


def answer_all(app, uow_factory, survey_id: int) -> None:
    """Each invited member answers through their own link, on the members' answer page."""
    with TestClient(app, base_url="http://127.0.0.1") as member:
        for token, (first, second, number, comment) in zip(
            invitation_tokens(uow_factory, survey_id), ANSWERS, strict=True
        ):
            answer = {"statement_1": first, "statement_2": second, "recommendation": number, "comment": comment}
            assert member.post(f"/survey/{token}", data=answer).status_code == 200


def more_members(world: World, uow_factory, clock: FixedClock) -> None:
    for n in range(1, 5):
        add_member(AddMember(panel=str(world.panel_a), name=f"Jäsen {n}", email=f"jasen{n}@example.org"),
                   uow=uow_factory(), clock=clock)  # fmt: skip


def create(client: TestClient, world: World, **fields: str):
    token = csrf(client.get(f"/panels/{world.panel_a}/surveys").text)
    form = {"csrf_token": token, "title": "Syksyn arviointi", "statements": STATEMENTS, **fields}
    return client.post(f"/panels/{world.panel_a}/surveys", data=form)


def survey_id_of(response) -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/surveys/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def test_a_survey_runs_from_creation_to_its_report_in_the_browser(
    signed_in: Signed, world: World, uow_factory, clock: FixedClock, app, tmp_path: Path
) -> None:
    more_members(world, uow_factory, clock)
    coordinator = signed_in(COORD, "en")
    survey_id = survey_id_of(
        create(coordinator, world, title_sv="Höstens utvärdering", statements_sv="Mötena var nyttiga\n")
    )
    draft = coordinator.get(f"/surveys/{survey_id}")
    assert draft.status_code == 200
    assert "The survey is saved as a draft" in draft.text
    assert "not yet sent" in draft.text  # the status badge says its word
    assert "Open the survey and send the links" in draft.text
    assert "Download the report as CSV" not in draft.text  # a draft has no report yet
    swedish = signed_in(COORD, "sv").get(f"/surveys/{survey_id}").text
    assert "Höstens utvärdering" in swedish
    assert "<li>Mötena var nyttiga</li>" in swedish  # translated: in the page's language
    assert '<li lang="fi">Sain tietää, mitä ideoille tapahtui</li>' in swedish  # not translated: marked Finnish

    closes = (clock.now() + timedelta(days=10)).date().isoformat()
    opened = coordinator.post(f"/surveys/{survey_id}/open", data={"csrf_token": csrf(draft.text), "closes": closes})
    assert opened.status_code == 303
    page = coordinator.get(f"/surveys/{survey_id}")
    assert "The survey is open. 6 members get a link of their own by email." in page.text
    assert "open for answers" in page.text
    assert "Add the statements" not in page.text  # an open survey takes no statements
    tokens = invitation_tokens(uow_factory, survey_id)
    assert len(tokens) == 6

    answer_all(app, uow_factory, survey_id)

    reminded = coordinator.post(f"/surveys/{survey_id}/remind", data={"csrf_token": csrf(page.text)})
    assert reminded.status_code == 303
    assert "No reminders yet" in coordinator.get(f"/surveys/{survey_id}").text
    closed = coordinator.post(f"/surveys/{survey_id}/close", data={"csrf_token": csrf(page.text)})
    assert closed.status_code == 303
    report = coordinator.get(f"/surveys/{survey_id}")
    text = unescape(visible(report.text))
    assert "6 of 6 invited answered" in text
    assert "Net promoter score (NPS): +33" in " ".join(text.split())  # promoters 3, detractors 1, of 6
    assert "Aikataulut eivät sopineet" in text  # a coordinator reads the comments
    assert report.text.count("data-chart=") == 3  # each statement and the recommendation: a chart ...
    assert report.text.count("The chart&#39;s figures as a table") == 3  # ... and its table beside it
    assert not LEAKS.search(text)
    again = coordinator.post(f"/surveys/{survey_id}/close", data={"csrf_token": csrf(report.text)})
    assert again.status_code == 409
    assert "already “closed”" in unescape(again.text)

    download = coordinator.get(f"/surveys/{survey_id}/report.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["content-disposition"] == f'attachment; filename="survey-{survey_id}.csv"'
    written = tmp_path / "report.csv"
    write_csv(survey_report(survey_id, uow=uow_factory()), written)  # what `raati survey report --csv` writes
    assert download.content == written.read_bytes()
    assert b"nps,Net promoter score (NPS),,,33,6,false" in download.content


def test_who_may_see_and_do_what_on_the_survey_pages(
    signed_in: Signed, world: World, uow_factory, clock: FixedClock, app
) -> None:
    more_members(world, uow_factory, clock)
    coordinator = signed_in(COORD, "en")
    survey_id = survey_id_of(create(coordinator, world))
    token = csrf(coordinator.get(f"/surveys/{survey_id}").text)
    assert coordinator.post(f"/surveys/{survey_id}/open", data={"csrf_token": token, "closes": ""}).status_code == 303
    answer_all(app, uow_factory, survey_id)

    other = signed_in(COORD_OTHER, "en")
    for path in (f"/surveys/{survey_id}", f"/panels/{world.panel_a}/surveys", f"/surveys/{survey_id}/report.csv"):
        refused = other.get(path)
        assert refused.status_code == 403, path
        assert "Not allowed" in refused.text
    own = csrf(other.get(f"/panels/{world.panel_b}/surveys").text)
    assert other.post(f"/surveys/{survey_id}/close", data={"csrf_token": own}).status_code == 403
    assert other.post(f"/surveys/{survey_id}/remind", data={"csrf_token": own}).status_code == 403
    made = {"csrf_token": own, "title": "X", "statements": "Y"}
    assert other.post(f"/panels/{world.panel_a}/surveys", data=made).status_code == 403

    owner = signed_in(OWNER, "en")
    assert owner.get(f"/surveys/{survey_id}").status_code == 403
    assert owner.get(f"/panels/{world.panel_a}/surveys").status_code == 403

    manager = signed_in(MANAGER, "en")
    listed = manager.get(f"/panels/{world.panel_a}/surveys")
    assert listed.status_code == 200
    assert "Syksyn arviointi" in listed.text
    assert "Create a survey" not in listed.text
    seen = manager.get(f"/surveys/{survey_id}")
    assert seen.status_code == 200
    text = unescape(visible(seen.text))
    assert "Net promoter score (NPS): +33" in " ".join(text.split())
    assert "Aikataulut eivät sopineet" not in text  # a manager does not read the comments
    assert "shown to the panel's coordinators only" in text
    assert "Remind those who have not answered" not in text
    assert manager.get(f"/surveys/{survey_id}/report.csv").status_code == 200
    mine = csrf(seen.text)
    assert manager.post(f"/surveys/{survey_id}/close", data={"csrf_token": mine}).status_code == 403
    assert manager.post(f"/surveys/{survey_id}/remind", data={"csrf_token": mine}).status_code == 403
    assert survey_report(survey_id, uow=uow_factory()).status == "open"  # nothing the others tried took effect


def test_a_refused_form_names_its_fields_and_writes_nothing(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "fi")

    empty = create(coordinator, world, title=" ", statements="\n")

    assert empty.status_code == 422
    text = unescape(visible(empty.text))
    assert "Kenttä ”Otsikko suomeksi” on tyhjä" in text
    assert "Kirjoita kenttään ”Väittämät suomeksi” vähintään yksi väittämä" in text
    assert 'id="create-title" name="title" type="text" value=" " aria-describedby' in empty.text
    assert empty.text.count('aria-invalid="true"') == 2
    assert not LEAKS.search(text)
    too_many = create(coordinator, world, statements_en="One\nTwo\nThree\n")
    assert too_many.status_code == 422
    assert 'id="create-statements_en"' in too_many.text
    assert "Three" in too_many.text  # what was sent stays in the form
    assert list_surveys(str(world.panel_a), uow=uow_factory()) == []


def test_a_closing_day_in_the_past_is_refused_in_the_form_and_nothing_is_sent(
    signed_in: Signed, world: World, uow_factory, clock: FixedClock
) -> None:
    coordinator = signed_in(COORD, "sv")
    survey_id = survey_id_of(create(coordinator, world))
    token = csrf(coordinator.get(f"/surveys/{survey_id}").text)
    yesterday = (clock.now() - timedelta(days=1)).date().isoformat()

    refused = coordinator.post(f"/surveys/{survey_id}/open", data={"csrf_token": token, "closes": yesterday})

    assert refused.status_code == 422
    assert "Välj en sista svarsdag som infaller efter i dag." in unescape(refused.text)
    assert 'id="open-closes" name="closes" type="date" value="' + yesterday + '"' in refused.text
    assert survey_report(survey_id, uow=uow_factory()).status == "draft"
    assert invitation_tokens(uow_factory, survey_id) == []
    garbled = coordinator.post(f"/surveys/{survey_id}/open", data={"csrf_token": token, "closes": "next week"})
    assert garbled.status_code == 422
    assert 'aria-invalid="true"' in garbled.text
