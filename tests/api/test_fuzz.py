"""Schemathesis against the app as served (real uvicorn, its own /openapi.json), on SQLite and PostgreSQL, with a
coordinator's token: every check the installed version has (statuses, content types, headers and bodies as
documented; schema-valid requests accepted and schema-invalid ones refused; no 5xx; auth; methods), through its
coverage, fuzzing and stateful phases. The run is the command line's (``schemathesis run``) with a fixed seed
and a bounded number of examples; its JSON report must list no finding and no error.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from application.commands import RaiseIdea
from application.ideas.changes import raise_idea
from tests.api.conftest import COORD, World
from tests.web_server import serving

# Every check schemathesis knows (a newer version's join in by themselves) but two:
# - ensure_resource_availability reads any 404 after a POST /api/v1/ideas as "the idea just created is missing",
#   but a transition of that idea naming a service that does not exist is answered 404 about the service
#   (README: 404 for an unknown id, in the path or the body);
# - positive_data_acceptance gives way to fuzz_checks.py's, the same check but for the refusals it names that
#   depend on stored data (or the privacy guard's reading of the text), which no document can state.
CHECKS = ["--checks", "all", "--exclude-checks", "ensure_resource_availability,positive_data_acceptance"]
HOOKS = Path(__file__).with_name("fuzz_checks.py")
EXAMPLES = 25
SEED = 1
# Warnings that would mean the run did not test what it claims: a pattern it cannot read, a document that
# disagrees with the app's own validation, operations it could not get past 404s or 4xx to the use cases.
FATAL_WARNINGS = ("unsupported_regex", "validation_mismatch", "missing_test_data", "low_valid_rate", "missing_auth")


class Tally:
    """ASGI wrapper counting the answers the server gave, per method, path (ids as {id}) and status."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: Counter[tuple[str, str, int]] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = re.sub(r"/\d+(?=/|$)", "/{id}", scope["path"])

        async def counted(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.seen[(scope["method"], path, message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counted)

    def statuses(self, method: str, path: str) -> set[int]:
        return {status for (m, p, status) in self.seen if (m, p) == (method, path)}


@pytest.fixture
def served(app) -> Iterator[tuple[str, Tally]]:
    tally = Tally(app)
    with serving(tally) as url:
        yield url, tally


@pytest.fixture
def movable(world: World, uow_factory, clock) -> list[int]:
    """Raised ideas for the moves alone (at version 1 until a move): the notes and the other ideas' moves leave
    them be, so that a move with the version listed below can get through."""
    raised = [
        raise_idea(RaiseIdea(meeting_id=world.meeting_a, title=f"Siirrettävä {n}"), uow=uow_factory(), clock=clock)
        for n in range(8)
    ]
    return [idea.id for idea in raised]


def config(world: World, movable: Sequence[int]) -> str:
    """schemathesis.toml: the seed, the examples, and for ids and references a value that exists half of the time
    (the rest are generated), so that reads and writes get past 404 to the use cases."""
    known = {
        "ideas": [world.idea_sent, world.idea_raised, world.idea_b],
        "meetings": [world.meeting_a, world.meeting_b],
        "panels": [str(world.panel_a), str(world.panel_b), "Itäinen raati"],
        "services": [str(world.service_a1), "Suun terveydenhuolto", "Perhekeskus"],
        "versions": [1, 2, 3],
    }
    bound = {
        "path.idea_id": "ideas",
        "path.meeting_id": "meetings",
        "body.meeting_id": "meetings",
        "query.panel": "panels",
        "query.service": "services",
        "body.service": "services",
        "body.expected_version": "versions",
    }
    lines = [
        f"hooks = {json.dumps(str(HOOKS))}",
        f"seed = {SEED}",
        "workers = 1",
        "continue-on-failure = true",
        "[cache]",
        "enabled = false",
        "[generation]",
        f"max-examples = {EXAMPLES}",
        "deterministic = true",
        'database = "none"',
        "[parameters]",
        *(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in bound.items()),
    ]
    for name, values in known.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}"]
    # A move succeeds only with the idea's version and a state it may move to: more tries, mostly on ideas the
    # coordinator may move, so that some get through (each then moves the idea on, to a version still listed).
    lines += [
        "[[operations]]",
        'include-path = "/api/v1/ideas/{idea_id}/transitions"',
        f"generation.max-examples = {EXAMPLES * 3}",
        "[operations.parameters]",
        '"path.idea_id" = { dictionary = "movable", probability = 0.9 }',
        '"body.expected_version" = { dictionary = "first_versions", probability = 0.9 }',
        "[dictionaries.movable]",
        f"values = {json.dumps(list(movable))}",
        "[dictionaries.first_versions]",
        "values = [1, 2]",
    ]
    return "\n".join(lines) + "\n"


def run_schemathesis(
    location: str, *, tmp_path: Path, settings: str, token: str, arguments: Sequence[str] = ()
) -> tuple[dict[str, Any], str]:
    """Run ``schemathesis run`` and return its JSON report and its output."""
    (tmp_path / "schemathesis.toml").write_text(settings, encoding="utf-8")
    report = tmp_path / "report.json"
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(tmp_path / "schemathesis.toml")),
        *("run", location, "--header", f"Authorization: Bearer {token}"),
        *("--report", "json", "--report-json-path", str(report), "--no-color"),
        *arguments,
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert report.exists(), done.stdout + done.stderr
    return json.loads(report.read_text(encoding="utf-8")), done.stdout + done.stderr


def test_schemathesis_finds_nothing_the_document_does_not_say(
    served, world: World, movable: list[int], tmp_path: Path
) -> None:
    url, tally = served
    started = time.monotonic()
    report, output = run_schemathesis(f"{url}/openapi.json", tmp_path=tmp_path, settings=config(world, movable),
                                      token=world.tokens[COORD], arguments=CHECKS)  # fmt: skip
    took = time.monotonic() - started
    assert (report["failures"], report["errors"]) == ([], []), output
    assert report["exit_code"] == 0, output
    operations = report["operations"]
    assert operations["tested"] == operations["total"] >= 10, operations
    assert {phase: result["status"] for phase, result in report["phases"].items() if phase != "examples"} == {
        "coverage": "success",
        "fuzzing": "success",
        "stateful": "success",
    }, output
    warned = {name: found for name, found in report["warnings"].items() if found and name in FATAL_WARNINGS}
    assert not warned, output
    # The writes got through to the use cases, and refusals of every kind were checked against the document.
    assert 201 in tally.statuses("POST", "/api/v1/ideas"), tally.seen
    assert 200 in tally.statuses("POST", "/api/v1/ideas/{id}/transitions"), tally.seen
    assert 200 in tally.statuses("POST", "/api/v1/ideas/{id}/notes"), tally.seen
    seen = {status for (_, _, status) in tally.seen}
    assert {401, 403, 404, 405, 409, 422} <= seen, tally.seen
    assert not any(status >= 500 for status in seen), tally.seen
    assert took < 60, took


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_undocumented_status_or_an_unstated_rule_fails_the_run(
    served, world: World, movable: list[int], tmp_path: Path
) -> None:
    """The run above is not vacuous: the same run against the document with one status and one rule taken out
    (404 of one idea; the title's length and pattern, the drill's empty title) reports both."""
    url, _ = served
    document = httpx.get(f"{url}/openapi.json").json()
    del document["paths"]["/api/v1/ideas/{idea_id}"]["get"]["responses"]["404"]
    title = document["components"]["schemas"]["RaiseIn"]["properties"]["title"]
    for rule in ("minLength", "maxLength", "pattern"):
        del title[rule]
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    only = ("--include-name", "GET /api/v1/ideas/{idea_id}", "--include-name", "POST /api/v1/ideas")
    report, output = run_schemathesis(
        str(tmp_path / "openapi.json"),
        tmp_path=tmp_path,
        settings=config(world, movable),
        token=world.tokens[COORD],
        arguments=[*CHECKS, "--url", url, "--phases", "coverage", *only],
    )
    found = {failure["code"]: failure["operations"] for failure in report["failures"]}
    assert found.get("ST103") == ["GET /api/v1/ideas/{idea_id}"], output  # Undocumented status code
    assert found.get("ST202") == ["POST /api/v1/ideas"], output  # Schema-valid request rejected
    assert report["exit_code"] != 0
