"""The JSON API's ``translations``: bodies accept them beside the Finnish fields (with the body's own field names),
answers return them, and a refused one is a 422 problem naming ``translations.<language>.<field>``."""

from __future__ import annotations

from tests.api.conftest import COORD, MANAGER, OWNER, World


def _problem_fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    return [error["field"] for error in response.json()["errors"]]


def test_an_idea_is_raised_moved_and_noted_with_translations(client, world: World) -> None:
    raised = client.post(
        "/api/v1/ideas",
        json={
            "meeting_id": world.meeting_a,
            "title": "Iltavastaanotot",
            "text": "Päivällä on vaikea päästä.",
            "translations": {"sv": {"title": "Kvällsmottagningar"}, "en": {"title": "Evening hours", "text": "Hard."}},
        },
        headers=world.auth(COORD),
    )
    assert raised.status_code == 201, raised.text
    idea = raised.json()
    assert idea["translations"] == {
        "sv": {"title": "Kvällsmottagningar"},
        "en": {"title": "Evening hours", "text": "Hard."},
    }

    moved = client.post(
        f"/api/v1/ideas/{idea['id']}/transitions",
        json={
            "to": "declined",
            "note": "Ei resursseja.",
            "expected_version": idea["version"],
            "translations": {"sv": {"note": "Inga resurser."}, "en": {"note": "No resources."}},
        },
        headers=world.auth(COORD),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["timeline"][-1]["translations"] == {
        "sv": {"text": "Inga resurser."},
        "en": {"text": "No resources."},
    }

    noted = client.post(
        f"/api/v1/ideas/{world.idea_sent}/notes",
        json={"text": "Työn alla.", "translations": {"sv": {"text": "På gång."}}},
        headers=world.auth(OWNER),
    )
    assert noted.status_code == 200, noted.text
    assert noted.json()["timeline"][-1]["translations"] == {"sv": {"text": "På gång."}}
    shown = client.get(f"/api/v1/ideas/{idea['id']}", headers=world.auth(MANAGER)).json()
    assert shown["translations"]["sv"] == {"title": "Kvällsmottagningar"}


def test_a_bad_translation_is_a_422_naming_the_field(client, world: World) -> None:
    def raise_with(translations: object):
        body = {"meeting_id": world.meeting_a, "title": "T", "translations": translations}
        return client.post("/api/v1/ideas", json=body, headers=world.auth(COORD))

    assert _problem_fields(raise_with({"de": {"title": "Titel"}})) == ["translations.de"]
    assert _problem_fields(raise_with({"sv": {"note": "x"}})) == ["translations.sv.note"]
    assert _problem_fields(raise_with({"sv": {"title": "x" * 201}})) == ["translations.sv.title"]
    assert _problem_fields(raise_with({"sv": {"title": "två\nrader"}})) == ["translations.sv.title"]
    moved = client.post(
        f"/api/v1/ideas/{world.idea_raised}/transitions",
        json={"to": "declined", "note": "Ei.", "expected_version": 1, "translations": {"sv": {"note": "x" * 4001}}},
        headers=world.auth(COORD),
    )
    assert _problem_fields(moved) == ["translations.sv.note"]


def test_the_privacy_guard_reads_the_swedish_note_too(client, world: World) -> None:
    moved = client.post(
        f"/api/v1/ideas/{world.idea_raised}/transitions",
        json={
            "to": "declined",
            "note": "Ei tällä kertaa.",
            "expected_version": 1,
            "translations": {"sv": {"note": "Min diabetes gör att jag inte orkar."}},
        },
        headers=world.auth(COORD),
    )
    assert moved.status_code == 422, moved.text
    assert moved.json()["errors"][0]["field"] == "translations.sv.note"
    blocked = client.post(
        f"/api/v1/ideas/{world.idea_raised}/transitions",
        json={
            "to": "declined",
            "note": "Ei tällä kertaa.",
            "expected_version": 1,
            "translations": {"en": {"note": "Call me on 040 123 4567"}},
        },
        headers=world.auth(COORD),
    )
    assert blocked.status_code == 422, blocked.text
    assert blocked.json()["errors"][0]["field"] == "translations.en.note"


def test_meetings_answer_with_their_translations(client, world: World) -> None:
    meeting = client.get(f"/api/v1/meetings/{world.meeting_a}", headers=world.auth(COORD)).json()
    assert meeting["translations"] == {}
    assert meeting["tasks"][0]["translations"] == {}
    assert meeting["missing_translations"] == {"sv": ["tasks[0]"], "en": ["tasks[0]"]}


def test_a_panel_shows_and_changes_its_translated_name_and_contact(client, world: World) -> None:
    changed = client.patch(
        f"/api/v1/panels/{world.panel_a}",
        json={
            "translations": {"sv": {"name": "Östra rådet"}, "en": {"name": "Eastern panel"}},
            "contact": {"name": "Kaisa Koordinaattori", "email": "kaisa@ita.example", "phone": "09 310 1234"},
        },
        headers=world.auth(COORD),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["contact"] == {
        "name": "Kaisa Koordinaattori",
        "email": "kaisa@ita.example",
        "phone": "09 310 1234",
    }
    shown = client.get(f"/api/v1/panels/{world.panel_a}", headers=world.auth(MANAGER)).json()
    assert shown["translations"] == {"sv": {"name": "Östra rådet"}, "en": {"name": "Eastern panel"}}
    removed = client.patch(
        f"/api/v1/panels/{world.panel_a}", json={"translations": {"en": {"name": ""}}}, headers=world.auth(COORD)
    ).json()
    assert removed["translations"] == {"sv": {"name": "Östra rådet"}}
    listed = client.get("/api/v1/panels", headers=world.auth(COORD)).json()
    assert [p["id"] for p in listed] == [world.panel_a]


def test_a_bad_contact_is_a_422_and_only_coordinators_change_a_panel(client, world: World) -> None:
    bad = client.patch(
        f"/api/v1/panels/{world.panel_a}",
        json={"contact": {"name": "K", "email": "not-an-address"}},
        headers=world.auth(COORD),
    )
    assert _problem_fields(bad) == ["contact.email"]
    phone = client.patch(
        f"/api/v1/panels/{world.panel_a}",
        json={"contact": {"name": "K", "email": "k@ita.example", "phone": "soita"}},
        headers=world.auth(COORD),
    )
    assert _problem_fields(phone) == ["contact.phone"]
    refused = client.patch(
        f"/api/v1/panels/{world.panel_a}", json={"translations": {"sv": {"name": "X"}}}, headers=world.auth(MANAGER)
    )
    assert refused.status_code == 403
