"""Problem details for domain errors the API has never heard of, ``acknowledge_health`` passing, and the
API over a real uvicorn socket on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from domain.errors import DomainError, InvalidValue
from tests.api.conftest import OWNER, World
from tests.web_server import serving
from web.api.context import command
from web.api.problems import domain_problem


class HealthDetailsFound(DomainError):
    """Stands for an error class another part adds later (a privacy guard's, say)."""

    field = "note"

    def __init__(self, findings: list[str]) -> None:
        self.findings = findings
        self.reason = "mentions health details; acknowledge to send anyway"
        super().__init__(f"note: {self.reason}")


def test_an_unknown_domain_error_is_a_422_problem_with_its_facts() -> None:
    response = domain_problem(HealthDetailsFound(["diagnosis"]))
    assert (response.status_code, response.media_type) == (422, "application/problem+json")
    body = json.loads(response.body)
    assert body["errors"] == [{"field": "note", "reason": "mentions health details; acknowledge to send anyway"}]
    assert body["findings"] == ["diagnosis"]
    assert (body["status"], body["detail"]) == (422, "note: mentions health details; acknowledge to send anyway")


def test_a_known_error_keeps_its_own_status() -> None:
    body = json.loads(domain_problem(InvalidValue("title", "is empty")).body)
    assert (body["status"], body["errors"]) == (422, [{"field": "title", "reason": "is empty"}])


def test_acknowledge_health_reaches_only_commands_that_take_it() -> None:
    @dataclass(frozen=True)
    class Takes:
        text: str
        acknowledge_health: bool = False

    @dataclass(frozen=True)
    class Ignores:
        text: str

    assert command(Takes, acknowledge_health=True, text="x") == Takes("x", acknowledge_health=True)
    assert command(Ignores, acknowledge_health=True, text="x") == Ignores("x")


@pytest.fixture
def served(app) -> Iterator[str]:
    with serving(app) as url:
        yield url


def test_a_transition_over_a_real_socket(served: str, world: World) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        url = f"/api/v1/ideas/{world.idea_sent}/transitions"
        refused = client.post(url, json={"to": "in_progress", "expected_version": 2})
        assert (refused.status_code, refused.headers["content-type"]) == (401, "application/problem+json")
        moved = client.post(url, json={"to": "in_progress", "expected_version": 2}, headers=world.auth(OWNER))
        assert moved.status_code == 200, moved.text
        assert (moved.json()["state"], moved.json()["version"]) == ("in_progress", 3)
        again = client.post(url, json={"to": "in_progress", "expected_version": 2}, headers=world.auth(OWNER))
        assert (again.status_code, again.json()["current_version"]) == (409, 3)


class OddFacts(DomainError):
    def __init__(self) -> None:
        self.current_version = "not a number"  # clashes with the documented member's type
        self.status = 999  # would replace a standard member
        super().__init__("odd: facts")


def test_an_error_class_with_odd_facts_still_answers_a_problem() -> None:
    response = domain_problem(OddFacts())
    body = json.loads(response.body)
    assert (response.status_code, body["status"], body["current_version"]) == (422, 422, "not a number")
