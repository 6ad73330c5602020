"""The transition contract of POST /api/v1/ideas/{id}/transitions, notes, raising, filters and error bodies."""

from __future__ import annotations

from sqlalchemy import select

from application.reads import views
from domain.actors import Actor
from persistence.tables import EventRow, IdeaRow, OutboxRow
from tests.api.conftest import COORD, MANAGER, OWNER, World

OPERATOR = Actor.operator()  # who the command line reads as


def transition(client, world: World, idea: int, who: str = OWNER, **body):
    return client.post(f"/api/v1/ideas/{idea}/transitions", json=body, headers=world.auth(who))


def snapshot(engine) -> tuple[list, list, list]:
    with engine.connect() as connection:
        return (
            connection.execute(select(IdeaRow.id, IdeaRow.state, IdeaRow.version).order_by(IdeaRow.id)).all(),
            connection.execute(select(EventRow.id).order_by(EventRow.id)).all(),
            connection.execute(select(OutboxRow.id).order_by(OutboxRow.id)).all(),
        )


def test_a_move_answers_the_idea_as_the_command_line_prints_it(client, world: World, uow_factory) -> None:
    response = transition(client, world, world.idea_sent, to="in_progress", note="Aloitimme.", expected_version=2)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    # What `raati idea show --json` prints.
    shown = views.show_idea(world.idea_sent, actor=OPERATOR, uow=uow_factory()).to_dict()
    assert body == {**shown, "queued_notifications": 2}
    assert (body["state"], body["version"], body["allowed_next"]) == ("in_progress", 3, ["declined", "implemented"])
    last = body["timeline"][-1]
    assert (last["type"], last["from_state"], last["to_state"]) == ("moved", "sent_to_service", "in_progress")
    assert (last["actor"], last["text"]) == ("suu@ita.example", "Aloitimme.")


def test_a_move_commits_its_event_and_one_outbox_row_per_member(client, world: World, engine) -> None:
    _, events, outbox = snapshot(engine)
    response = transition(client, world, world.idea_sent, to="declined", note="Ei resursseja.", expected_version=2)
    assert response.status_code == 200, response.text
    with engine.connect() as connection:
        new_events = connection.execute(select(EventRow).where(EventRow.id > events[-1][0])).all()
        new_rows = connection.execute(select(OutboxRow).where(OutboxRow.id.not_in([r[0] for r in outbox]))).all()
        state = connection.scalar(select(IdeaRow.state).where(IdeaRow.id == world.idea_sent))
    assert state == "declined"
    assert [(e.type, e.to_state, e.text) for e in new_events] == [("moved", "declined", "Ei resursseja.")]
    assert sorted(r.email for r in new_rows) == ["aino@example.org", "bengt@example.org"]
    assert {r.payload["idea_id"] for r in new_rows} == {world.idea_sent}


def test_an_illegal_transition_is_409_listing_the_allowed_states_and_writes_nothing(client, world, engine) -> None:
    before = snapshot(engine)
    response = transition(client, world, world.idea_sent, to="implemented", note="Valmis.", expected_version=2)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["allowed"] == ["declined", "in_progress"]
    assert problem["current_state"] == "sent_to_service"
    assert problem["type"].endswith("invalid-transition")
    assert problem["errors"][0]["field"] == "state"
    assert snapshot(engine) == before


def test_a_stale_version_is_409_giving_the_current_version_and_writes_nothing(client, world, engine) -> None:
    before = snapshot(engine)
    response = transition(client, world, world.idea_sent, to="in_progress", note="Myöhässä.", expected_version=1)
    assert response.status_code == 409
    problem = response.json()
    assert (problem["current_version"], problem["expected_version"]) == (2, 1)
    assert problem["errors"] == [
        {
            "field": "expected_version",
            "reason": f"idea {world.idea_sent} was expected at version 1; it is now at version 2",
        }
    ]
    assert snapshot(engine) == before


def test_another_services_idea_is_403_and_unknown_ideas_404(client, world, engine) -> None:
    before = snapshot(engine)
    other = transition(client, world, world.idea_b, to="declined", note="Ei.", expected_version=1)
    assert other.status_code == 403
    unknown = transition(client, world, 987654, to="declined", note="Ei.", expected_version=1)
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [{"field": "idea", "reason": "no idea 987654"}]
    assert snapshot(engine) == before


def test_malformed_bodies_are_422_naming_the_field(client, world, engine) -> None:
    before = snapshot(engine)
    url = f"/api/v1/ideas/{world.idea_sent}/transitions"
    auth = world.auth(OWNER)
    cases = {
        "to": {"note": "x", "expected_version": 2},
        "expected_version": {"to": "in_progress", "expected_version": "two"},
        "colour": {"to": "in_progress", "expected_version": 2, "colour": "red"},
    }
    for field, body in cases.items():
        response = client.post(url, json=body, headers=auth)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in [e["field"] for e in response.json()["errors"]]
    bad_state = client.post(url, json={"to": "done", "expected_version": 2}, headers=auth)
    assert bad_state.json()["errors"][0]["field"] == "to"
    not_json = client.post(url, content=b"{to: in_progress", headers={**auth, "content-type": "application/json"})
    assert not_json.status_code == 422
    assert not_json.json()["errors"][0]["field"] == "body"
    no_note = client.post(url, json={"to": "declined", "expected_version": 2}, headers=auth)
    assert no_note.status_code == 422
    assert no_note.json()["errors"] == [
        {"field": "note", "reason": "a declined idea needs the reason, written for the members"}
    ]
    assert client.post("/api/v1/ideas/0/transitions", json={}, headers=auth).status_code == 422
    assert snapshot(engine) == before


def test_a_coordinator_sends_a_raised_idea_to_a_service(client, world) -> None:
    response = transition(
        client, world, world.idea_raised, COORD, to="sent_to_service", service="Perhekeskus", expected_version=1
    )
    assert response.status_code == 200, response.text
    assert (response.json()["state"], response.json()["service_name"]) == ("sent_to_service", "Perhekeskus")
    # The owner of another service cannot act on a raised idea at all.
    refused = transition(client, world, world.idea_raised, OWNER, to="declined", note="x", expected_version=2)
    assert refused.status_code == 403


def test_a_progress_note_and_a_closed_idea(client, world) -> None:
    auth = world.auth(OWNER)
    noted = client.post(f"/api/v1/ideas/{world.idea_sent}/notes", json={"text": "Selvitämme."}, headers=auth)
    assert noted.status_code == 200, noted.text
    assert (noted.json()["version"], noted.json()["timeline"][-1]["type"]) == (3, "noted")
    transition(client, world, world.idea_sent, to="declined", note="Ei onnistu.", expected_version=3)
    closed = client.post(f"/api/v1/ideas/{world.idea_sent}/notes", json={"text": "Vielä."}, headers=auth)
    assert closed.status_code == 422
    assert closed.json()["errors"][0]["field"] == "note"


def test_raising_an_idea(client, world) -> None:
    body = {"meeting_id": world.meeting_a, "title": "Penkit", "text": "Lisää penkkejä odotustilaan."}
    raised = client.post("/api/v1/ideas", json=body, headers=world.auth(COORD))
    assert raised.status_code == 201, raised.text
    assert (raised.json()["state"], raised.json()["panel"], raised.json()["version"]) == ("raised", world.panel_a, 1)
    unknown = client.post("/api/v1/ideas", json={**body, "meeting_id": 999}, headers=world.auth(COORD))
    assert unknown.status_code == 404
    blank = client.post("/api/v1/ideas", json={**body, "title": "  "}, headers=world.auth(COORD))
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "title"


def test_list_filters(client, world) -> None:
    auth = world.auth(MANAGER)

    def ids(**params) -> list[int]:
        response = client.get("/api/v1/ideas", params=params, headers=auth)
        assert response.status_code == 200, response.text
        return [idea["id"] for idea in response.json()]

    assert ids(state="raised") == [world.idea_raised, world.idea_b]
    assert ids(panel="Läntinen raati") == [world.idea_b]
    assert ids(service=str(world.service_a1)) == [world.idea_sent]
    assert ids(panel=str(world.panel_a), state="sent_to_service") == [world.idea_sent]
    assert ids(limit=1, offset=1) == [world.idea_raised]
    assert "timeline" not in client.get("/api/v1/ideas", headers=auth).json()[0]
    assert client.get("/api/v1/ideas", params={"state": "done"}, headers=auth).status_code == 422
    unknown = client.get("/api/v1/ideas", params={"panel": "Ei ole"}, headers=auth)
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (404, "panel")


def test_one_idea_with_its_timeline(client, world) -> None:
    shown = client.get(f"/api/v1/ideas/{world.idea_sent}", headers=world.auth(MANAGER))
    assert shown.status_code == 200
    assert [e["type"] for e in shown.json()["timeline"]] == ["raised", "moved"]


def test_unknown_paths_and_methods_are_problems_too(client, world) -> None:
    missing = client.get("/api/v1/nothing-here", headers=world.auth(MANAGER))
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/problem+json")
    assert missing.json()["errors"][0]["field"] == "path"
    wrong = client.delete(f"/api/v1/ideas/{world.idea_sent}", headers=world.auth(MANAGER))
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET"


def test_outbox_status(client, world, engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            OutboxRow.__table__.update()
            .where(OutboxRow.email == "aino@example.org")
            .values(status="failed", last_error="550 mailbox unavailable")
        )
    status = client.get("/api/v1/outbox", headers=world.auth(MANAGER))
    assert status.status_code == 200, status.text
    body = status.json()
    assert body["counts"]["failed"] == len(body["failed"]) >= 1
    assert body["counts"]["pending"] >= 1
    assert body["oldest_pending_age_seconds"] == 0.0  # the fixed clock has not moved
    assert {f["reason"] for f in body["failed"]} == {"550 mailbox unavailable"}
    assert "email" not in body["failed"][0]


def test_the_openapi_document_describes_the_contract(client) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/ideas/{idea_id}/transitions"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "application/problem+json" in operation["responses"]["409"]["content"]
    body = schema["components"]["schemas"]["TransitionIn"]
    assert set(body["required"]) == {"to", "expected_version"}
    assert schema["components"]["securitySchemes"]["StaffToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff user's API token from `raati user add` or `raati user token EMAIL`.",
    }


def test_the_privacy_guard_answers_422_naming_the_field_and_where(client, world, engine) -> None:
    before = snapshot(engine)
    url = f"/api/v1/ideas/{world.idea_sent}/transitions"
    phone = client.post(url, json={"to": "in_progress", "note": "Soita 040 123 4567", "expected_version": 2},
                        headers=world.auth(OWNER))  # fmt: skip
    assert phone.status_code == 422
    problem = phone.json()
    assert problem["errors"][0]["field"] == "note"
    assert problem["findings"]
    assert "040" not in " ".join(problem["findings"])
    health = {"to": "in_progress", "note": "Jäsen käy dialyysissä kolmesti viikossa.", "expected_version": 2}
    refused = client.post(url, json=health, headers=world.auth(OWNER))
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "note")
    # Only a coordinator's word lets health details go out; an owner's is refused.
    owner_ack = client.post(url, json={**health, "acknowledge_health": True}, headers=world.auth(OWNER))
    assert owner_ack.status_code == 403
    assert snapshot(engine) == before
    acknowledged = client.post(url, json={**health, "acknowledge_health": True}, headers=world.auth(COORD))
    assert acknowledged.status_code == 200, acknowledged.text
    assert [e["type"] for e in acknowledged.json()["timeline"]][-2:] == ["moved", "privacy_acknowledged"]
