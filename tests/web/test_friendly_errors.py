"""A refused form tells people what to do in the page's language: the field by its label, never a field code,
flag, character span or internal state; the privacy guard's findings highlighted; a stale form shows what changed;
read-only refusals are not headed as failed saves."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import (
    COORD,
    MANAGER,
    OWNER,
    World,
    app,  # noqa: F401  (the fixture)
)
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s); CI runs them on SQLite and PostgreSQL


def move(client: TestClient, idea_id: int, **form: str) -> tuple[int, str]:
    page = client.get(f"/ideas/{idea_id}").text
    version = re.search(r'name="expected_version" value="(\d+)"', page)
    assert version, page
    data = {"csrf_token": csrf(page), "expected_version": version.group(1), "from": "idea", **form}
    response = client.post(f"/ideas/{idea_id}/move", data=data)
    return response.status_code, response.text


def test_a_decline_without_a_reason_says_what_to_write_in_finnish(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)

    status, page = move(owner, world.idea_sent, to="declined", note="")

    assert status == 422
    assert "Kirjoita raatilaisille, miksi idea ei etene." in page
    assert re.search(r'<textarea id="note-\d+" name="note"[^>]*aria-invalid="true"', page)
    assert not LEAKS.search(visible(page)), LEAKS.search(visible(page))


def test_an_implemented_idea_without_its_outcome_names_what_to_write(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)
    assert move(owner, world.idea_sent, to="in_progress", note="")[0] == 303

    status, page = move(owner, world.idea_sent, to="implemented", note="  ")

    assert status == 422
    assert "Kirjoita raatilaisille, mitä ideasta toteutettiin." in page
    assert not LEAKS.search(visible(page))


def test_the_field_is_named_in_the_pages_language(signed_in: Signed, world: World) -> None:
    for language, words in (
        ("sv-FI,sv;q=0.9", "Skriv till medlemmarna varför idén inte går vidare."),
        ("en-GB,en;q=0.9", "Write the members why the idea is not going ahead."),
    ):
        status, page = move(signed_in(OWNER, language), world.idea_sent, to="declined", note="")
        assert status == 422
        assert words in page
        assert not LEAKS.search(visible(page))


def test_personal_identifiers_are_highlighted_and_named_in_words(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)
    note = "Soita Maijalle 040 123 4567, henkilötunnus 131052-308T."

    status, page = move(owner, world.idea_sent, to="in_progress", note=note)

    assert status == 422
    assert "<mark>" in page
    marked = re.findall(r"<mark>(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)</mark>", page)
    assert marked == ["040 123 4567", "131052-308T"]
    text = visible(page)
    assert "puhelinnumero" in text
    assert "henkilötunnus" in text
    assert "Poista henkilötiedot" in text
    assert not LEAKS.search(text), LEAKS.search(text)
    assert "Soita Maijalle 040 123 4567" in page  # the textarea keeps what was written


def test_a_health_detail_is_highlighted_and_a_coordinator_may_let_it_through(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")
    note = "A member told us about their diabetes."

    status, page = move(coordinator, world.idea_sent, to="in_progress", note=note)

    assert status == 422
    assert "a health detail" in page
    assert re.search(r"<mark>.*diabetes</mark>", page)
    assert 'name="acknowledge_health"' in page
    assert "--acknowledge-health" not in page
    assert not LEAKS.search(visible(page))
    status, _ = move(coordinator, world.idea_sent, to="in_progress", note=note, acknowledge_health="yes")
    assert status == 303


def test_a_stale_form_says_someone_else_changed_the_idea_and_shows_what(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)
    page = owner.get(f"/ideas/{world.idea_sent}").text
    # The idea was at version 2 when the form was read; another note lands first.
    other = signed_in(COORD)
    assert move(other, world.idea_sent, to="note", note="Selvitämme asiaa.")[0] == 303

    response = owner.post(
        f"/ideas/{world.idea_sent}/move",
        data={"csrf_token": csrf(page), "expected_version": "2", "to": "in_progress", "note": "Aloitamme."},
    )

    assert response.status_code == 409
    text = visible(response.text)
    assert "Joku muu muutti ideaa" in text
    assert "tilannetieto" in text
    assert "Selvitämme asiaa." in text
    assert "Aloitamme." in response.text  # the note is kept in the form
    assert not LEAKS.search(text), LEAKS.search(text)


def test_read_only_refusals_are_not_headed_as_failed_saves(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER)

    missing = owner.get("/ideas/999999")
    forbidden = owner.get("/dashboard")

    assert missing.status_code == 404
    assert "<h1>Ei löytynyt</h1>" in missing.text
    assert forbidden.status_code == 403
    assert "<h1>Ei oikeutta</h1>" in forbidden.text
    for page in (missing.text, forbidden.text):
        assert "Tallennus ei onnistunut" not in page
        assert "permission:" not in page
        assert "idea: no idea" not in page


def test_a_manager_who_may_not_change_an_idea_is_told_so(signed_in: Signed, world: World) -> None:
    manager = signed_in(MANAGER, "sv")
    page = manager.get("/queue").text

    response = manager.post(
        f"/ideas/{world.idea_sent}/move",
        data={"csrf_token": csrf(page), "expected_version": "2", "to": "in_progress", "note": ""},
    )

    assert response.status_code == 403
    assert "Du har inte rätt att ändra den här idén." in response.text
    assert not LEAKS.search(visible(response.text))


def test_an_address_no_page_has_is_a_page_in_the_readers_language(app) -> None:  # noqa: F811
    from fastapi.testclient import TestClient as Client

    with Client(app, base_url="http://127.0.0.1") as client:
        page = client.get("/no/such/page", headers={"Accept-Language": "sv-FI"})
        api = client.get("/api/v1/nothing-here")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Hittades inte</h1>" in page.text
    assert api.headers["content-type"] == "application/problem+json"


def test_a_service_owner_is_asked_to_turn_to_the_coordinator_for_health_details(
    signed_in: Signed, world: World
) -> None:
    owner = signed_in(OWNER, "en")

    status, page = move(owner, world.idea_sent, to="in_progress", note="A member told us about their diabetes.")

    assert status == 422
    assert "ask the panel&#39;s coordinator to check them" in page
    assert 'name="acknowledge_health"' not in page  # an owner's word would not let them through
    assert re.search(r"<mark>.*diabetes</mark>", page)
