"""What people wrote, in the page's language where it has a translation: the idea's title and text, the notes on
its timeline, the panel's name, a meeting's title, a survey's title and statements; else the Finnish original
marked lang="fi". The move form takes the note's Swedish and English versions, checks them like the Finnish
note and says who would read it only in Finnish."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from application.commands import RaiseIdea, ScheduleMeeting, UpdatePanel
from application.ideas.changes import raise_idea
from application.meetings.changes import schedule_meeting
from application.people.roster import update_panel
from application.surveys import CreateSurvey, OpenSurvey, create_survey, open_survey
from notifications.links import GROUND_RULES, LinkSigner
from tests.api.conftest import (
    COORD,
    OWNER,
    World,
    app,  # noqa: F401  (the fixture)
)
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s); CI runs them on SQLite and PostgreSQL

ADVICE_BOTH_FI = "Ruotsin- ja englanninkieliset raatilaiset saavat tämän viestin suomeksi, koska käännös puuttuu."
ADVICE_SV_FI = "Ruotsinkieliset raatilaiset saavat tämän viestin suomeksi, koska ruotsinkielinen versio puuttuu."


def move(client: TestClient, idea_id: int, **form: str) -> tuple[int, str]:
    page = client.get(f"/ideas/{idea_id}").text
    version = re.search(r'name="expected_version" value="(\d+)"', page)
    assert version, page
    data = {"csrf_token": csrf(page), "expected_version": version.group(1), "from": "idea", **form}
    response = client.post(f"/ideas/{idea_id}/move", data=data)
    return response.status_code, response.text


def translated_idea(uow_factory, clock, world: World) -> int:
    """An idea with a Swedish title and text (no English), in panel A, whose name has a Swedish version."""
    update_panel(
        UpdatePanel(panel="Itäinen raati", translations={"sv": {"name": "Östra rådet"}}), uow=uow_factory(), clock=clock
    )
    view = raise_idea(
        RaiseIdea(
            meeting_id=world.meeting_a,
            title="Esteetön sisäänkäynti",
            text="Ovi aukeaa napista.",
            translations={"sv": {"title": "Tillgänglig ingång", "text": "Dörren öppnas med en knapp."}},
        ),
        uow=uow_factory(),
        clock=clock,
    )
    return view.id


def test_a_swedish_page_shows_the_swedish_texts_and_marks_the_finnish_ones(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    idea_id = translated_idea(uow_factory, clock, world)
    coordinator = signed_in(COORD, "sv-FI,sv;q=0.9")
    assert move(coordinator, idea_id, to="note", note="Selvitämme asiaa.", note_sv="Vi utreder saken.")[0] == 303
    assert move(coordinator, idea_id, to="note", note="Kysymme palvelulta.")[0] == 303

    page = coordinator.get(f"/ideas/{idea_id}").text

    assert '<html lang="sv">' in page
    assert "<span>Tillgänglig ingång</span>" in page
    assert "Esteetön sisäänkäynti" not in page
    assert re.search(r'<p class="lead">\s*Dörren öppnas med en knapp.</p>', page)
    assert re.search(r"<blockquote>Vi utreder saken.</blockquote>", page)
    assert "Selvitämme asiaa." not in page
    # A note without a Swedish version: the Finnish, marked as Finnish.
    assert '<blockquote lang="fi">Kysymme palvelulta.</blockquote>' in page
    assert "<dd>Östra rådet</dd>" in page
    # English has no translation of the title: the Finnish original, marked.
    english = signed_in(COORD, "en").get(f"/ideas/{idea_id}").text
    assert '<span lang="fi">Esteetön sisäänkäynti</span>' in english
    assert '<blockquote lang="fi">Selvitämme asiaa.</blockquote>' in english


def test_an_idea_without_translations_is_finnish_marked_lang_fi(signed_in: Signed, world: World) -> None:
    page = signed_in(OWNER, "sv").get(f"/ideas/{world.idea_sent}").text

    assert '<span lang="fi">Ajanvaraus verkossa</span>' in page
    assert '<dd lang="fi">Itäinen raati</dd>' in page


def test_the_forms_translations_are_saved_and_reach_the_api(signed_in: Signed, world: World, app) -> None:  # noqa: F811
    owner = signed_in(OWNER)

    status, _ = move(
        owner,
        world.idea_sent,
        to="in_progress",
        note="Aloitimme kokeilun.",
        note_sv="Vi har börjat ett försök.",
        note_en="We have started a trial.",
    )
    assert status == 303
    status, _ = move(owner, world.idea_sent, to="note", note="Kokeilu jatkuu.", note_en="The trial goes on.")
    assert status == 303

    with TestClient(app, base_url="http://127.0.0.1") as api:
        answer = api.get(f"/api/v1/ideas/{world.idea_sent}", headers=world.auth(OWNER)).json()
    moved, noted = answer["timeline"][-2:]
    assert moved["text"] == "Aloitimme kokeilun."
    assert moved["translations"] == {
        "sv": {"text": "Vi har börjat ett försök."},
        "en": {"text": "We have started a trial."},
    }
    assert noted["text"] == "Kokeilu jatkuu."
    assert noted["translations"] == {"en": {"text": "The trial goes on."}}


def test_a_health_detail_in_the_swedish_version_is_refused_and_highlighted(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)

    status, page = move(
        owner,
        world.idea_sent,
        to="in_progress",
        note="Aloitamme kokeilun.",
        note_sv="En medlem berättade om sin diabetes.",
    )

    assert status == 422
    text = visible(page)
    assert "Ruotsinkielinen versio" in text  # the field named in words
    assert "terveystieto" in text
    assert re.search(r'<textarea id="note-sv-\d+" name="note_sv"[^>]*aria-invalid="true"', page)
    assert re.search(r'<div class="found" id="note-sv-\d+-found" lang="sv">', page)
    assert re.search(r"<mark>.*diabetes</mark>", page)
    assert "En medlem berättade om sin diabetes." in page  # the field keeps what was written
    assert re.search(r"<details class=\"translations\" open>", page)
    # The Finnish note has nothing to highlight; its field is not marked as wrong.
    assert not re.search(r'<textarea id="note-\d+" name="note"[^>]*aria-invalid', page)
    assert "translations." not in text
    assert not LEAKS.search(text), LEAKS.search(text)


def test_an_identifier_in_the_english_version_is_named_in_swedish(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER, "sv")

    status, page = move(owner, world.idea_sent, to="in_progress", note="Soitamme.", note_en="Call 040 123 4567.")

    assert status == 422
    assert "Engelsk version" in visible(page)
    assert re.findall(r"<mark>(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)</mark>", page) == ["040 123 4567"]


def test_a_translation_without_the_finnish_note_asks_for_the_finnish(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)

    status, page = move(owner, world.idea_sent, to="in_progress", note="", note_sv="Vi har börjat.")

    assert status == 422
    assert "Kirjoita viesti myös suomeksi." in visible(page)
    assert not LEAKS.search(visible(page))


def test_the_form_says_who_would_read_the_note_only_in_finnish(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD)

    page = coordinator.get(f"/ideas/{world.idea_sent}").text
    assert ADVICE_BOTH_FI in visible(page)
    assert 'name="note_sv"' in page
    assert 'name="note_en"' in page

    # Refused for another reason with only the English version given: the advice names Swedish alone.
    status, page = move(coordinator, world.idea_sent, to="declined", note="", note_en="It does not go ahead.")
    assert status == 422
    assert ADVICE_SV_FI in visible(page)
    assert ADVICE_BOTH_FI not in visible(page)
    assert "It does not go ahead." in page


def test_missing_translations_never_block_saving(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")

    status, _ = move(coordinator, world.idea_sent, to="note", note="Vain suomeksi.")

    assert status == 303
    page = coordinator.get(f"/ideas/{world.idea_sent}").text
    assert '<blockquote lang="fi">Vain suomeksi.</blockquote>' in page
    assert "Swedish- and English-speaking members get this note in Finnish, because there is no translation." in page


def test_the_swedish_dashboard_shows_the_panel_meeting_and_survey_in_swedish(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    update_panel(
        UpdatePanel(panel="Itäinen raati", translations={"sv": {"name": "Östra rådet"}}), uow=uow_factory(), clock=clock
    )
    schedule_meeting(
        ScheduleMeeting(
            panel="Itäinen raati",
            starts_at=clock.now() + timedelta(days=40),
            service="Suun terveydenhuolto",
            tasks=("Miten hammashoitoon pääsee?",),
            title="Kevään tapaaminen",
            translations={"sv": {"title": "Vårens möte"}},
        ),
        uow=uow_factory(),
        clock=clock,
    )
    survey = create_survey(
        CreateSurvey(
            panel="Itäinen raati",
            title="Syksyn arviointi",
            statements=("Sain tarpeeksi tietoa.", "Ilmapiiri oli hyvä."),
            translations={
                "sv": {"title": "Höstens utvärdering", "statement": ["Jag fick tillräckligt med information."]}
            },
        ),
        uow=uow_factory(),
        clock=clock,
    )
    tokens = iter(f"dashboard-token-{n}" for n in range(10))
    open_survey(
        OpenSurvey(survey.stored_id), uow=uow_factory(), clock=clock, base_url="http://x", tokens=lambda: next(tokens)
    )

    page = signed_in(COORD, "sv").get(f"/dashboard?panel={world.panel_a}").text

    assert "<span>Östra rådet</span>" in page
    assert re.search(r'<th scope="row"><a href="/meetings/\d+">Vårens möte</a></th>', page)
    assert "Kevään tapaaminen" not in page
    assert f'<a href="/surveys/{survey.stored_id}">Höstens utvärdering</a>' in page  # the title leads to its page
    assert '<th scope="row">Jag fick tillräckligt med information.</th>' in page
    assert '<th scope="row" lang="fi">Ilmapiiri oli hyvä.</th>' in page
    # In English nothing is translated: the Finnish, marked.
    english = signed_in(COORD, "en").get(f"/dashboard?panel={world.panel_a}").text
    assert f'<a href="/surveys/{survey.stored_id}" lang="fi">Syksyn arviointi</a>' in english
    assert re.search(r'<th scope="row" lang="fi"><a href="/meetings/\d+">Kevään tapaaminen</a></th>', english)


def test_the_ground_rules_page_names_the_panel_in_the_pages_language(world: World, app, uow_factory, clock) -> None:  # noqa: F811
    update_panel(
        UpdatePanel(panel="Itäinen raati", translations={"sv": {"name": "Östra rådet"}}), uow=uow_factory(), clock=clock
    )
    with uow_factory() as uow:
        member_id = uow.members.for_panel(world.panel_a)[0].stored_id
    link = f"/m/{member_id}/rules?token={LinkSigner(b'k' * 32).sign(GROUND_RULES, member_id)}"

    with TestClient(app, base_url="http://127.0.0.1") as client:
        swedish = client.get(f"{link}&lang=sv").text
        english = client.get(f"{link}&lang=en").text

    assert "<span>Östra rådet</span>" in swedish
    assert '<span lang="fi">Itäinen raati</span>' in english


def test_the_queue_shows_an_ideas_title_in_the_page_language_else_the_finnish_marked(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    translated_idea(uow_factory, clock, world)

    swedish = signed_in(COORD, "sv-FI,sv;q=0.9").get("/queue").text
    english = signed_in(COORD, "en").get("/queue").text

    assert "<span>Tillgänglig ingång</span>" in swedish
    assert "Esteetön sisäänkäynti" not in swedish
    assert '<span lang="fi">Esteetön sisäänkäynti</span>' in english
