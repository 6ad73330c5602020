"""The JSON API keeps its machine-readable problem bodies (type, status, field codes, facts) and writes title and
detail in the language Accept-Language asks for; without the header, English and the developer's detail."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import OWNER, World, client  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s); CI runs them on SQLite and PostgreSQL


def transition(client: TestClient, world: World, language: str | None, **body: object) -> dict:  # noqa: F811
    headers = world.auth(OWNER) | ({"Accept-Language": language} if language else {})
    response = client.post(f"/api/v1/ideas/{world.idea_sent}/transitions", json=body, headers=headers)
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()


def test_a_stale_version_is_explained_in_finnish_and_keeps_its_facts(client: TestClient, world: World) -> None:  # noqa: F811
    problem = transition(client, world, "fi-FI,fi;q=0.9", to="in_progress", expected_version=1)

    assert problem["status"] == 409
    assert problem["type"] == "urn:raati:problem:version-conflict"
    assert problem["title"] == "Joku muu on muuttanut tätä sen jälkeen, kun se luettiin"
    assert problem["detail"].startswith("Joku muu muutti ideaa")
    assert problem["errors"][0]["field"] == "expected_version"  # the field code stays for machines
    assert (problem["expected_version"], problem["current_version"]) == (1, 2)


def test_a_missing_reason_is_explained_in_swedish_with_the_field_code_kept(client: TestClient, world: World) -> None:  # noqa: F811
    problem = transition(client, world, "sv-FI", to="declined", expected_version=2)

    assert problem["status"] == 422
    assert problem["title"] == "Begäran är felaktig"
    assert problem["detail"] == "Skriv till medlemmarna varför idén inte går vidare."
    assert problem["errors"] == [
        {"field": "note", "reason": "a declined idea needs the reason, written for the members"}
    ]


def test_without_accept_language_the_problem_reads_as_before(client: TestClient, world: World) -> None:  # noqa: F811
    problem = transition(client, world, None, to="in_progress", expected_version=1)

    assert problem["title"] == "Changed by someone else since it was read"
    assert problem["detail"].startswith("expected_version: idea")


def test_an_unknown_token_is_refused_in_the_readers_language(client: TestClient) -> None:  # noqa: F811
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer nope", "Accept-Language": "sv"})

    assert response.status_code == 401
    assert response.json()["title"] == "Inte autentiserad"
    assert response.json()["detail"] == "Åtkomstnyckeln är inte giltig: den är okänd eller har återkallats."
    assert response.json()["errors"][0]["field"] == "authorization"


def test_a_malformed_body_names_the_fields_in_english_words_around_them(client: TestClient, world: World) -> None:  # noqa: F811
    problem = transition(client, world, "en", expected_version="two")

    assert problem["status"] == 422
    assert problem["title"] == "The request is malformed"
    assert problem["detail"].startswith("Some values are missing or malformed:")
    assert {error["field"] for error in problem["errors"]} >= {"to", "expected_version"}
