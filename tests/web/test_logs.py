"""Logs and request ids (issue 17, item 4), over HTTP on SQLite and PostgreSQL: with ``RAATI_LOG_FORMAT=json`` every
line is one JSON object, the access log names the route template, never a path, token, name, address or text; each
request's id comes back in ``X-Request-ID``, in problem bodies and on the HTML error page; an unhandled error is one
line with its traceback in a field."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from notifications.links import PREFERENCES, LinkSigner
from tests.api.conftest import COORD, World
from tests.sign_in import sign_in
from tests.web.test_member_panel_page import member_id
from wiring.logs import RAATI_LOGGERS, LogSettings, configure_logging

pytestmark = pytest.mark.slow  # the whole web app on both databases

NOTE = "Aino Asukkaan ehdotus etenee: ajanvaraus avataan verkossa."
TITLE = "Bengtin toive: pysäköintipaikat lähemmäs ovea"


@contextmanager
def kept_logging() -> Iterator[None]:
    """Raati's loggers put back as they were afterwards (other tests read the log through pytest's handler)."""
    names = (*RAATI_LOGGERS, "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {
        name: (list(lg.handlers), lg.level, lg.propagate, list(lg.filters), lg.disabled)
        for name in names
        for lg in [logging.getLogger(name)]
    }
    try:
        yield
    finally:
        for name, (handlers, level, propagate, filters, disabled) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers, logger.filters = handlers, filters
            logger.setLevel(level)
            logger.propagate, logger.disabled = propagate, disabled


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Raati's loggers writing JSON into a buffer, as ``RAATI_LOG_FORMAT=json`` makes them write to stderr."""
    with kept_logging():
        stream = io.StringIO()
        configure_logging(LogSettings(log_format="json"), stream=stream)
        yield stream


def lines(stream: io.StringIO) -> list[dict]:
    text = stream.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # each line alone is one JSON object


def test_json_logs_carry_routes_and_request_ids_and_no_personal_data(
    app: FastAPI, world: World, uow_factory, link_signer: LinkSigner, json_log: io.StringIO
) -> None:
    aino = member_id(uow_factory, "aino@example.org")
    token = link_signer.sign(PREFERENCES, aino)
    client = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)

    assert client.get(f"/m/{aino}/panel", params={"token": token}).status_code == 200
    assert client.get(f"/m/{aino}/panel", params={"token": token + "x"}).status_code >= 400
    raised = client.post(
        "/api/v1/ideas", json={"meeting_id": world.meeting_a, "title": TITLE, "text": NOTE}, headers=world.auth(COORD)
    )
    assert raised.status_code == 201, raised.text
    moved = client.post(
        f"/api/v1/ideas/{raised.json()['id']}/transitions",
        json={"to": "declined", "expected_version": raised.json()["version"], "note": NOTE},
        headers={**world.auth(COORD), "X-Request-ID": "trace-me-42"},
    )
    assert moved.status_code == 200, moved.text
    assert sign_in(client, world.emails[COORD], uow_factory=uow_factory, signer=link_signer).status_code == 303
    client.post("/sign-in", data={"email": "aino@example.org", "csrf_token": "stale"})

    logged = lines(json_log)
    access = [line for line in logged if line["logger"] == "raati.access"]
    assert len(access) >= 7
    for line in access:
        assert set(line) >= {"time", "level", "message", "method", "route", "status", "duration_ms", "request_id"}
    assert {"route": "/m/{member_id}/panel", "status": 200} in [{k: a[k] for k in ("route", "status")} for a in access]
    traced = [a for a in access if a["request_id"] == "trace-me-42"]
    assert [(a["method"], a["route"]) for a in traced] == [("POST", "/api/v1/ideas/{idea_id}/transitions")]
    text = json_log.getvalue()
    secrets = [
        token,
        NOTE,
        TITLE,
        "Aino Asukas",
        "aino@example.org",
        world.emails[COORD],
        world.tokens[COORD],
        f"/m/{aino}/",
        "?token",
    ]
    assert [secret for secret in secrets if secret in text] == []


def test_the_request_id_comes_back_in_the_header_and_in_problem_bodies(app: FastAPI, world: World) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")

    chosen = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.19"})
    unsafe = client.get("/healthz", headers={"X-Request-ID": "two words<script>" + "x" * 100})
    fresh = client.get("/healthz")
    missing = client.get("/api/v1/ideas/987654", headers={**world.auth(COORD), "X-Request-ID": "find-me-1"})
    page = client.get("/no/such/page", headers={"Accept-Language": "fi"})

    assert chosen.headers["x-request-id"] == "lb-7f3a.19"
    assert unsafe.headers["x-request-id"] not in ("", "two words")
    assert len(unsafe.headers["x-request-id"]) == len(fresh.headers["x-request-id"]) == 32
    assert unsafe.headers["x-request-id"] != fresh.headers["x-request-id"]
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["request_id"] == "find-me-1" == missing.headers["x-request-id"]
    assert page.status_code == 404
    assert f"Virheen tunniste: {page.headers['x-request-id']}" in page.text


def test_an_unhandled_error_is_one_json_line_with_its_traceback_and_the_request_id(
    app: FastAPI, json_log: io.StringIO
) -> None:
    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("kaboom")

    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    page = client.get("/explode", headers={"X-Request-ID": "boom-1"})
    problem = client.get("/explode", headers={"X-Request-ID": "boom-2", "Accept": "application/json"})

    assert page.status_code == problem.status_code == 500
    assert page.headers["x-request-id"] == "boom-1"
    assert "boom-1" in page.text
    assert problem.json()["request_id"] == "boom-2"
    errors = [line for line in lines(json_log) if line["level"] == "ERROR"]
    assert [e["request_id"] for e in errors] == ["boom-1", "boom-2"]
    assert all("RuntimeError: kaboom" in e["exception"] and "Traceback" in e["exception"] for e in errors)
    assert {e["route"] for e in errors} == {"/explode"}
    access = [line for line in lines(json_log) if line["logger"] == "raati.access"]
    assert [(a["status"], a["request_id"]) for a in access] == [(500, "boom-1"), (500, "boom-2")]


def test_text_logs_stay_lines_for_people_with_the_request_id(app: FastAPI) -> None:
    stream = io.StringIO()
    with kept_logging():
        configure_logging(LogSettings(log_format="text"), stream=stream)
        response = TestClient(app, base_url="http://127.0.0.1").get("/healthz", headers={"X-Request-ID": "t-1"})
    assert response.status_code == 200
    line = stream.getvalue().strip()
    assert line.endswith("INFO raati.access: GET /healthz 200 [request t-1]"), line
