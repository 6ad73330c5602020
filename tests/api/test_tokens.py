"""Staff API tokens: issued by ``raati user add`` and ``raati user token``, shown once, stored hashed,
a new one revoking the old; ``authenticate`` turns a token into the user's Actor."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from application.access.tokens import IssueToken, add_user_with_token, authenticate, issue_token
from application.commands import AddUser, CreatePanel
from application.people.roster import create_panel
from cli import context
from cli.main import app as cli_app
from domain.errors import PermissionDenied
from domain.values import Role
from persistence.access_tables import ApiTokenRow
from persistence.tables import EventRow
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork


@pytest.fixture
def raati(cli_env: dict[str, str]) -> Iterator:
    runner = CliRunner()
    context.reset()

    def invoke(*args: str) -> dict:
        result = runner.invoke(cli_app, list(args), env=cli_env, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    yield invoke
    context.reset()


def status(client, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_user_add_prints_a_token_once_that_the_api_accepts_and_only_its_hash_is_stored(raati, client, engine) -> None:
    raati("panel", "create", "Raati", "--json")
    raati("service", "add", "Omaolo", "--panel", "Raati", "--json")
    added = raati("user", "add", "omaolo@example.org", "--role", "service_owner", "--service", "Omaolo", "--json")
    token = added["token"]
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "service_owner"
    with engine.connect() as connection:
        rows = connection.execute(select(ApiTokenRow)).all()
        logged = connection.execute(select(EventRow).where(EventRow.type == "token_issued")).all()
    assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in json.dumps([dict(r._mapping) for r in rows], default=str)
    assert len(logged) == 1
    assert token not in json.dumps([dict(r._mapping) for r in logged], default=str)


def test_user_token_issues_a_new_token_and_revokes_the_old(raati, client) -> None:
    raati("panel", "create", "Raati", "--json")
    old = raati("user", "add", "koord@example.org", "--role", "coordinator", "--panel", "Raati", "--json")["token"]
    renewed = raati("user", "token", "koord@example.org", "--json")
    assert (renewed["email"], renewed["revoked"]) == ("koord@example.org", 1)
    assert renewed["token"] != old
    assert status(client, old) == 401
    assert status(client, renewed["token"]) == 200


def test_a_coordinator_given_another_panel_keeps_the_token(raati, client) -> None:
    raati("panel", "create", "Raati", "--json")
    raati("panel", "create", "Toinen", "--json")
    first = raati("user", "add", "koord@example.org", "--role", "coordinator", "--panel", "Raati", "--json")
    again = raati("user", "add", "koord@example.org", "--role", "coordinator", "--panel", "Toinen", "--json")
    assert again["token"] is None
    assert status(client, first["token"]) == 200


@pytest.fixture
def fake() -> tuple[FakeUnitOfWork, FixedClock]:
    uow, clock = FakeUnitOfWork(), FixedClock()
    create_panel(CreatePanel(name="Raati"), uow=uow, clock=clock)
    create_panel(CreatePanel(name="Toinen"), uow=uow, clock=clock)
    return uow, clock


def test_authenticate_gives_the_users_actor_and_refuses_everything_else(fake) -> None:
    uow, clock = fake
    issued = add_user_with_token(AddUser("k@example.org", Role.COORDINATOR, panel="Raati"), uow=uow, clock=clock)
    actor = authenticate(issued.token, uow=uow, clock=clock)
    assert actor is not None
    assert (actor.name, actor.role, actor.panel_ids) == ("k@example.org", Role.COORDINATOR, frozenset({1}))
    for bad in ("", "x" * 43, issued.token + "x", issued.token[:-1], "ä" * 43, "x" * 10_000):
        assert authenticate(bad, uow=uow, clock=clock) is None


def test_a_coordinator_issues_tokens_only_for_staff_of_their_own_panels(fake) -> None:
    uow, clock = fake
    add_user_with_token(AddUser("k@example.org", Role.COORDINATOR, panel="Raati"), uow=uow, clock=clock)
    add_user_with_token(AddUser("t@example.org", Role.COORDINATOR, panel="Toinen"), uow=uow, clock=clock)
    add_user_with_token(AddUser("j@example.org", Role.MANAGER), uow=uow, clock=clock)
    with pytest.raises(PermissionDenied):
        issue_token(IssueToken("t@example.org", actor="k@example.org"), uow=uow, clock=clock)
    with pytest.raises(PermissionDenied):
        issue_token(IssueToken("j@example.org", actor="k@example.org"), uow=uow, clock=clock)
    mine = issue_token(IssueToken("k@example.org", actor="k@example.org"), uow=uow, clock=clock)
    assert mine.revoked == 1
    assert authenticate(mine.token, uow=uow, clock=clock) is not None
