"""Twenty notes posted at once to one idea over the API: without a version all land (201); a stale one is a 409."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COORD, World

WRITERS = 20


@pytest.mark.slow
def test_twenty_notes_posted_at_once_without_a_version_all_land(client: TestClient, world: World) -> None:
    start = threading.Barrier(WRITERS)
    path = f"/api/v1/ideas/{world.idea_raised}/notes"

    def post(n: int) -> tuple[int, str]:
        start.wait(timeout=30)
        response = client.post(path, json={"text": f"Tilanne {n}"}, headers=world.auth(COORD))
        return response.status_code, response.text

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(post, range(WRITERS)))

    assert [a for a in answers if a[0] >= 300] == []
    idea = client.get(f"/api/v1/ideas/{world.idea_raised}", headers=world.auth(COORD)).json()
    assert [e["seq"] for e in idea["timeline"]] == list(range(1, WRITERS + 2))


def test_a_note_with_a_stale_version_is_a_409_naming_the_version_given(client: TestClient, world: World) -> None:
    path = f"/api/v1/ideas/{world.idea_raised}/notes"
    assert client.post(path, json={"text": "Ensin"}, headers=world.auth(COORD)).status_code < 300

    stale = client.post(path, json={"text": "Myöhässä", "expected_version": 1}, headers=world.auth(COORD))

    assert stale.status_code == 409
    body = stale.json()
    assert (body["expected_version"], body["current_version"]) == (1, 2)
