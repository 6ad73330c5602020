"""Every caller (coordinator of this panel / of another, owner of this service / of another, manager,
no token, a bad token) against every action, on SQLite and PostgreSQL: the status and what was written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from persistence.tables import EventRow, OutboxRow
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, OWNER_OTHER, World

# A world of two panels and five staff users for each cell: a third of a second each, twenty seconds in all.
pytestmark = pytest.mark.slow

NO_TOKEN = "no_token"
BAD_TOKEN = "bad_token"
ALL = (COORD, COORD_OTHER, OWNER, OWNER_OTHER, MANAGER, NO_TOKEN, BAD_TOKEN)

# action -> expected status per caller; the callers not named get 401 (no or a bad token).
EXPECTED: dict[str, dict[str, int]] = {
    "list": {COORD: 200, COORD_OTHER: 200, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "show": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 403, MANAGER: 200},
    "transition": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 403, MANAGER: 403},
    "note": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 403, MANAGER: 403},
    "raise": {COORD: 201, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    "members": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 403},
    # Meetings are the panel's: both owners' services take part in panel A.
    "meetings": {COORD: 200, COORD_OTHER: 403, OWNER: 200, OWNER_OTHER: 200, MANAGER: 200},
    "outbox": {COORD: 200, COORD_OTHER: 403, OWNER: 403, OWNER_OTHER: 403, MANAGER: 200},
}
WRITES = {"transition", "note", "raise"}


def headers(world: World, who: str) -> dict[str, str]:
    if who == NO_TOKEN:
        return {}
    if who == BAD_TOKEN:
        return {"Authorization": "Bearer " + "x" * 43}
    return world.auth(who)


def call(client, world: World, action: str, who: str):
    h = headers(world, who)
    idea = world.idea_sent
    match action:
        case "list":
            return client.get("/api/v1/ideas", headers=h)
        case "show":
            return client.get(f"/api/v1/ideas/{idea}", headers=h)
        case "transition":
            body = {"to": "in_progress", "note": "Työ alkoi.", "expected_version": 2}
            return client.post(f"/api/v1/ideas/{idea}/transitions", json=body, headers=h)
        case "note":
            body = {"text": "Edistyy.", "expected_version": 2}
            return client.post(f"/api/v1/ideas/{idea}/notes", json=body, headers=h)
        case "raise":
            body = {"meeting_id": world.meeting_a, "title": "Uusi idea", "text": "Lisää penkkejä."}
            return client.post("/api/v1/ideas", json=body, headers=h)
        case "members":
            return client.get("/api/v1/members", params={"panel": str(world.panel_a)}, headers=h)
        case "meetings":
            return client.get(f"/api/v1/meetings/{world.meeting_a}", headers=h)
        case "outbox":
            return client.get("/api/v1/outbox", params={"panel": str(world.panel_a)}, headers=h)
    raise AssertionError(action)


def written(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(EventRow))
        outbox = connection.scalar(select(func.count()).select_from(OutboxRow))
    return events, outbox


@pytest.mark.parametrize("who", ALL)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_role_matrix(client, world: World, engine, action: str, who: str) -> None:
    before = written(engine)
    response = call(client, world, action, who)
    expected = EXPECTED[action].get(who, 401)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == expected
        assert problem["errors"], problem
        field = "authorization" if expected == 401 else "actor"
        assert problem["errors"][0]["field"] == field
        if expected == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
        # A refused request writes nothing: no event, no outbox row.
        assert written(engine) == before
        return
    after = written(engine)
    if action in {"transition", "note"}:
        # One event, and in the same transaction one outbox row per active member of panel A (two).
        assert after == (before[0] + 1, before[1] + 2)
        assert response.json()["queued_notifications"] == 2
    elif action == "raise":
        assert after[0] == before[0] + 1
    else:
        assert after == before  # reads write nothing


def test_each_caller_lists_only_the_ideas_within_reach(client, world: World) -> None:
    def ids(who: str) -> set[int]:
        response = client.get("/api/v1/ideas", headers=world.auth(who))
        assert response.status_code == 200, response.text
        return {idea["id"] for idea in response.json()}

    assert ids(COORD) == {world.idea_sent, world.idea_raised}
    assert ids(COORD_OTHER) == {world.idea_b}
    assert ids(OWNER) == {world.idea_sent}
    assert ids(OWNER_OTHER) == set()
    assert ids(MANAGER) == {world.idea_sent, world.idea_raised, world.idea_b}


def test_filters_outside_the_callers_reach_are_refused(client, world: World) -> None:
    refused = client.get("/api/v1/ideas", params={"panel": str(world.panel_b)}, headers=world.auth(COORD))
    assert refused.status_code == 403
    refused = client.get("/api/v1/ideas", params={"service": "Perhekeskus"}, headers=world.auth(OWNER))
    assert refused.status_code == 403
    members = client.get("/api/v1/members", headers=world.auth(COORD_OTHER))
    assert members.status_code == 200
    assert [m["email"] for m in members.json()] == ["chris@example.org"]
    meetings = client.get("/api/v1/meetings", headers=world.auth(COORD_OTHER))
    assert [m["id"] for m in meetings.json()] == [world.meeting_b]
    everything = client.get("/api/v1/meetings", headers=world.auth(MANAGER))
    assert sorted(m["id"] for m in everything.json()) == sorted([world.meeting_a, world.meeting_b])


def test_me_tells_who_the_token_belongs_to(client, world: World) -> None:
    me = client.get("/api/v1/me", headers=world.auth(OWNER)).json()
    assert me == {
        "email": "suu@ita.example",
        "role": "service_owner",
        "panels": [],
        "service": world.service_a1,
        "language": None,
    }
    me = client.get("/api/v1/me", headers=world.auth(COORD)).json()
    assert (me["role"], me["panels"], me["service"]) == ("coordinator", [world.panel_a], None)
