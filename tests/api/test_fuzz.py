"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis + hypothesis), with a
valid coordinator token: no 5xx, and answers (problems included) conform to the document."""

from __future__ import annotations

import time

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import COORD, World
from web.api import api_router

POSITIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance]
# Per operation; the whole run stays well under a minute per database.
EXAMPLES_PER_OPERATION = {"positive": 30, "negative": 25, "existing": 30}


@pytest.fixture
def api_schema(uow_factory, clock):
    # The API alone, from its own OpenAPI document (the HTML pages are not part of the contract).
    app = FastAPI(title="Raati API")
    app.include_router(api_router(uow_factory=uow_factory, clock=clock))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("mode", ["positive", "negative", "existing"])
def test_fuzzing_the_api_finds_no_server_error(api_schema, world: World, mode: str) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    auth = world.auth(COORD)
    generation = schemathesis.GenerationMode.NEGATIVE if mode == "negative" else schemathesis.GenerationMode.POSITIVE
    checks = NEGATIVE_CHECKS if mode == "negative" else POSITIVE_CHECKS
    # "existing": valid requests about ideas and meetings that exist, so that the writes get exercised too.
    known = {"idea_id": world.idea_sent, "meeting_id": world.meeting_a} if mode == "existing" else None
    seen: dict[int, int] = {}
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES_PER_OPERATION[mode] * len(operations),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=api_schema.as_strategy(generation, headers=auth, path_parameters=known))
    def fuzz(case) -> None:
        case.headers = {**(case.headers or {}), **auth}
        response = case.call()
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        case.validate_response(response, checks=checks)

    fuzz()
    assert not any(status >= 500 for status in seen), seen
    assert sum(seen.values()) >= len(operations) * 10
    if mode == "existing":
        assert 200 in seen
    assert time.monotonic() - started < 60
