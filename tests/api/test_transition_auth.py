"""The transition route checks its bearer token inside the move's own transaction: one BEGIN/COMMIT per
transition, and a token revoked a moment before is refused (nothing cached), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import event, func, select

from application.access.tokens import IssueToken, issue_token
from persistence.tables import EventRow, OutboxRow
from tests.api.conftest import OWNER, World

BODY = {"to": "in_progress", "note": "Työ alkoi.", "expected_version": 2}


def written(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.scalar(select(func.count()).select_from(EventRow))
        outbox = connection.scalar(select(func.count()).select_from(OutboxRow))
    return events, outbox


def test_a_transition_authenticates_and_moves_in_one_transaction(client, world: World, engine) -> None:
    seen: list[str] = []
    listeners = {name: (lambda *_, name=name: seen.append(name)) for name in ("begin", "commit", "rollback")}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        response = client.post(f"/api/v1/ideas/{world.idea_sent}/transitions", json=BODY, headers=world.auth(OWNER))
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)
    assert response.status_code == 200, response.text
    assert (response.json()["state"], response.json()["version"]) == ("in_progress", 3)
    # The token lookup no longer has a transaction of its own (it was begin, rollback, begin, commit).
    assert seen[:2] == ["begin", "commit"]
    assert seen.count("begin") == 1


def test_a_revoked_token_cannot_move_an_idea(client, world: World, engine, uow_factory, clock) -> None:
    old = world.tokens[OWNER]
    issue_token(IssueToken(email="suu@ita.example"), uow=uow_factory(), clock=clock)
    before = written(engine)
    response = client.post(f"/api/v1/ideas/{world.idea_sent}/transitions", json=BODY, headers={
        "Authorization": f"Bearer {old}"})  # fmt: skip
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "authorization"
    assert response.headers["www-authenticate"].startswith('Bearer realm="raati", error="invalid_token"')
    assert written(engine) == before
