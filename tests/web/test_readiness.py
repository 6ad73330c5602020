"""/healthz says the process answers; /readyz says the database answers with the code's schema. The web app starts
without a database, reports not ready, and keeps answering."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

import wiring
from persistence.engine import make_engine
from persistence.migrate import head_revision, upgrade
from tests.conftest import FixedClock
from web.app import create_app
from web.asgi import create
from web.settings import WebSettings

PASSWORD = "hunter2-not-for-probes"
UNREACHABLE = f"postgresql://raati:{PASSWORD}@127.0.0.1:1/raati"


@pytest.fixture
def web_app_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[str], TestClient]]:
    """The web app as ``raati web`` builds it (web/asgi.py), on the database at the URL given."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAATI_ENV", raising=False)
    monkeypatch.setenv("RAATI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAATI_SESSION_SECRET", "readiness-test-session-secret-0123456789")
    clients: list[TestClient] = []

    def serve(url: str) -> TestClient:
        monkeypatch.setenv("RAATI_DATABASE_URL", url)
        wiring.reset()
        client = TestClient(create(), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield serve
    for client in clients:
        client.close()
    wiring.reset()


def test_an_unreachable_database_is_not_ready_and_the_app_still_answers(
    web_app_on: Callable[[str], TestClient],
) -> None:
    client = web_app_on(UNREACHABLE)
    assert client.get("/healthz").json() == {"status": "ok"}

    started = time.monotonic()
    answer = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["database"] == "unreachable"
    assert body["detail"] == "the database did not answer"
    assert body["errors"] == [{"field": "database", "reason": "the database did not answer"}]
    assert PASSWORD not in answer.text
    assert "Traceback" not in answer.text

    # A request that needs the database fails alone; the process goes on answering.
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer x"}).status_code == 500
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


def test_a_database_at_the_codes_head_is_ready(web_app_on: Callable[[str], TestClient], database_url: str) -> None:
    answer = web_app_on(database_url).get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "database": "ok", "schema": head_revision()}


def test_a_database_behind_the_code_is_not_ready_and_says_which_revisions(
    web_app_on: Callable[[str], TestClient], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0010")
    engine.dispose()

    answer = web_app_on(url).get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["database"] == "schema-out-of-date"
    assert body["schema"] == "0010"
    assert body["expected_schema"] == head_revision()
    assert f"at revision 0010, the code expects {head_revision()}" in body["detail"]
    assert "raati db upgrade" in body["detail"]


def test_a_missing_sqlite_file_is_not_ready_and_not_created(
    web_app_on: Callable[[str], TestClient], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "raati.db"
    answer = web_app_on(f"sqlite:///{missing}").get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["detail"] == "the database file does not exist"
    assert not missing.exists()
    assert not missing.parent.exists()


def test_an_app_built_without_a_database_check_never_claims_to_be_ready() -> None:
    def no_database() -> None:
        raise AssertionError("the readiness answer must not open a unit of work")

    settings = WebSettings(session_secret=SecretStr("readiness-test-session-secret-0123456789"))
    app = create_app(uow_factory=no_database, clock=FixedClock(), signer=lambda: None, web_settings=settings)  # type: ignore[arg-type,return-value]
    with TestClient(app) as client:
        answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["database"] == "not-configured"
