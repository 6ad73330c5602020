"""The meeting page, where mail about a pre-brief or a summary leads: the meeting, where its pre-brief and summary
stand, the ideas raised in it (each linked), and what the coordinator does next, in words and the page's
language. Whoever may read the panel's meetings reads it (``permissions.require_may_read_meeting``); others get a
friendly refusal, a missing meeting a friendly 404, and no session the sign-in page that comes back here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.commands import ApproveSummary, DraftSummary, UpdateMeeting
from application.meetings.changes import approve_summary, draft_summary, update_meeting
from tests.api.conftest import (
    COORD,
    COORD_OTHER,
    MANAGER,
    OWNER,
    World,
    app,  # noqa: F401  (the fixture)
    client,  # noqa: F401  (the fixture)
)
from tests.web.conftest import LEAKS, Signed, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s); CI runs them on SQLite and PostgreSQL


def text_of(html: str) -> str:
    return " ".join(visible(html).split())


def test_the_coordinator_reads_the_meeting_its_ideas_and_what_to_do_next(signed_in: Signed, world: World) -> None:
    page = signed_in(COORD, "fi").get(f"/meetings/{world.meeting_a}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "Miten ajanvaraus?" in text  # the meeting is named by its task until it has a title
    assert "Itäinen raati" in text
    assert "Suun terveydenhuolto" in text  # the service that prepared it
    assert "Mitä sinun pitää tehdä seuraavaksi" in text
    # No place or link yet: the pre-brief cannot go out; said with the weekday and date it is due by.
    assert "Lisää tapaamisen paikka tai etäyhteyden linkki viimeistään" in text
    assert f'href="/ideas/{world.idea_sent}"' in page.text
    assert f'href="/ideas/{world.idea_raised}"' in page.text
    assert "Ajanvaraus verkossa" in text
    assert "välitetty palvelulle" in text
    assert "kirjattu raadissa" in text
    assert LEAKS.search(text) is None
    assert "raati meeting" not in text  # never a CLI command


def test_a_reader_who_is_not_signed_in_signs_in_and_comes_back_here(client, world: World) -> None:  # noqa: F811
    response = client.get(f"/meetings/{world.meeting_a}", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next=/meetings/{world.meeting_a}"


def test_a_coordinator_of_another_panel_is_refused_with_a_page(signed_in: Signed, world: World) -> None:
    page = signed_in(COORD_OTHER, "fi").get(f"/meetings/{world.meeting_a}")

    assert page.status_code == 403
    assert "Miten ajanvaraus?" not in page.text
    assert LEAKS.search(text_of(page.text)) is None
    assert page.headers["content-type"].startswith("text/html")


def test_a_service_owner_reads_their_panels_meeting_with_only_their_services_ideas(
    signed_in: Signed, world: World
) -> None:
    owner = signed_in(OWNER, "fi")

    page = owner.get(f"/meetings/{world.meeting_a}")
    other_panel = owner.get(f"/meetings/{world.meeting_b}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert f'href="/ideas/{world.idea_sent}"' in page.text
    assert f'href="/ideas/{world.idea_raised}"' not in page.text  # still raised: not the owner's to open
    assert "Pysäköinti" not in text
    assert "1 muu tämän tapaamisen idea ei näy" in text
    assert "Mitä vastuuhenkilö tekee seuraavaksi" in text  # the next step is the coordinator's, not theirs
    assert other_panel.status_code == 403


def test_a_manager_reads_every_panels_meetings_and_every_idea_in_them(signed_in: Signed, world: World) -> None:
    manager = signed_in(MANAGER, "en")

    page = manager.get(f"/meetings/{world.meeting_b}")

    assert page.status_code == 200
    assert f'href="/ideas/{world.idea_b}"' in page.text
    assert "What the coordinator does next" in text_of(page.text)


def test_a_meeting_that_does_not_exist_is_a_friendly_not_found_page(signed_in: Signed, world: World) -> None:
    page = signed_in(COORD, "sv").get("/meetings/999999")

    assert page.status_code == 404
    assert page.headers["content-language"] == "sv"
    assert LEAKS.search(text_of(page.text)) is None


@pytest.mark.parametrize(
    ("language", "heading", "pre_brief"),
    [
        ("sv", "Vad du behöver göra härnäst", "Förhandsinformation"),
        ("en", "What you need to do next", "Pre-brief"),
    ],
)
def test_the_page_is_in_the_readers_language(
    signed_in: Signed, world: World, language: str, heading: str, pre_brief: str
) -> None:
    page = signed_in(COORD, language).get(f"/meetings/{world.meeting_a}")

    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text
    text = text_of(page.text)
    assert heading in text
    assert pre_brief in text
    assert "Tapaamisen" not in text  # no Finnish words of Raati's own
    assert '<span lang="fi">Ajanvaraus verkossa</span>' in page.text  # a member's words keep their language


def test_the_next_step_follows_the_meeting_from_pre_brief_to_summary(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    address = f"/meetings/{world.meeting_a}"

    def next_step() -> str:
        # Signed in afresh each time: weeks pass on the test clock, longer than a session lives.
        page = signed_in(COORD, "fi").get(address)
        assert page.status_code == 200
        return text_of(page.text)

    update_meeting(
        UpdateMeeting(
            meeting_id=world.meeting_a, place="Kalasataman terveysasema, 2. krs", online_url="https://teams.example/x"
        ),
        uow=uow_factory(),
        clock=clock,
    )
    ready = next_step()
    assert "Nyt ei ole tehtävää: ennakkotiedot lähtevät raatilaisille automaattisesti" in ready
    assert "Kalasataman terveysasema, 2. krs" in ready
    assert 'href="https://teams.example/x"' in signed_in(COORD, "fi").get(address).text

    clock.advance(days=30, hours=3)  # the meeting (two hours from its start) is over; the pre-brief never went out
    late_prebrief = next_step()
    assert "Kirjoita ja hyväksy yhteenveto viimeistään" in late_prebrief
    assert "myöhässä" in late_prebrief

    draft_summary(
        DraftSummary(meeting_id=world.meeting_a, text="Keskustelimme ajanvarauksesta."), uow=uow_factory(), clock=clock
    )
    assert "Hyväksy yhteenveto viimeistään" in next_step()
    assert "Luonnos on kirjoitettu, mutta sitä ei ole vielä hyväksytty." in next_step()

    approve_summary(ApproveSummary(meeting_id=world.meeting_a), uow=uow_factory(), clock=clock)
    assert "Ei tehtävää: hyväksytty yhteenveto lähtee raatilaisille automaattisesti." in next_step()

    clock.advance(timedelta(days=30))
    assert "Yhteenveto on myöhässä" not in next_step()  # approved in time: it only waits for the follow-up run
