"""``/metrics`` over HTTP on SQLite and PostgreSQL: requests by route template, a transition with its time in the
state it left, a sign-in, the outbox by status and kind with the age of its oldest due row (read at scrape time);
a database that does not answer gives ``raati_database_up 0`` and still 200; the token, when one is set."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from notifications import kinds
from notifications.links import LinkSigner
from persistence.metrics import outbox_stats
from persistence.tables import OutboxRow
from tests.api.conftest import COORD, World
from tests.conftest import FixedClock
from tests.sign_in import sign_in
from web.app import create_app
from web.settings import WebSettings

pytestmark = pytest.mark.slow  # the whole web app on both databases

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "raati-alerts.yml"
COALESCE = timedelta(minutes=10)
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient, **headers: str) -> Samples:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def observed_app(uow_factory, engine: Engine, clock: FixedClock, link_signer: LinkSigner) -> FastAPI:
    return create_app(
        uow_factory=uow_factory,
        clock=clock,
        signer=lambda: link_signer,
        outbox_stats=lambda: outbox_stats(engine, now=clock.now(), coalesce=COALESCE),
    )


def test_metrics_count_requests_by_route_template_a_transition_and_a_sign_in(
    observed_app: FastAPI, world: World, uow_factory, link_signer: LinkSigner
) -> None:
    client = TestClient(observed_app, base_url="http://127.0.0.1", follow_redirects=False)
    before = scrape(client)

    shown = client.get(f"/api/v1/ideas/{world.idea_sent}", headers=world.auth(COORD))
    assert shown.status_code == 200, shown.text
    moved = client.post(
        f"/api/v1/ideas/{world.idea_sent}/transitions",
        json={"to": "in_progress", "expected_version": shown.json()["version"], "note": "Työ alkaa."},
        headers=world.auth(COORD),
    )
    assert moved.status_code == 200, moved.text
    signed = sign_in(client, world.emails[COORD], uow_factory=uow_factory, signer=link_signer)
    assert signed.status_code == 303
    after = scrape(client)

    idea_route = {"method": "GET", "route": "/api/v1/ideas/{idea_id}", "status": "200"}
    assert (
        value(after, "raati_http_requests_total", **idea_route)
        - value(before, "raati_http_requests_total", **idea_route)
        == 1
    )
    move_route = {"method": "POST", "route": "/api/v1/ideas/{idea_id}/transitions"}
    assert value(after, "raati_http_request_duration_seconds_count", **move_route) >= 1
    routes = {dict(labels).get("route") for name, labels in after if name == "raati_http_requests_total"}
    assert "/sign-in/link/{token}" in routes
    assert not [r for r in routes if r and re.search(r"/\d+(?:/|$)|token=", r)], routes  # no id, no token

    assert (
        value(after, "raati_idea_transitions_total", to_state="in_progress")
        - value(before, "raati_idea_transitions_total", to_state="in_progress")
        == 1
    )
    spent = {"from_state": "sent_to_service", "to_state": "in_progress"}
    assert (
        value(after, "raati_idea_time_in_state_seconds_count", **spent)
        - value(before, "raati_idea_time_in_state_seconds_count", **spent)
        == 1
    )
    success = {"method": "email_link", "outcome": "success"}
    assert value(after, "raati_sign_ins_total", **success) - value(before, "raati_sign_ins_total", **success) == 1
    requested = {"method": "link_request", "outcome": "requested"}
    assert value(after, "raati_sign_ins_total", **requested) - value(before, "raati_sign_ins_total", **requested) == 1
    assert value(after, "raati_database_up") == 1
    assert value(after, "raati_outbox_rows", status="pending", kind=kinds.SIGN_IN_LINK) >= 1


def test_the_oldest_due_age_is_the_wait_of_the_oldest_due_row(
    observed_app: FastAPI, world: World, engine: Engine, clock: FixedClock
) -> None:
    client = TestClient(observed_app, base_url="http://127.0.0.1")
    with Session(engine) as session:
        session.add(
            OutboxRow(
                id=str(uuid.uuid4()),
                kind=kinds.SIGN_IN_LINK,
                recipient_kind="user",
                recipient_id=1,
                email="late@example.org",
                language="fi",
                payload={},
                panel_id=world.panel_a,
                status="pending",
                attempts=0,
                created_at=clock.now() - timedelta(hours=2),
                next_attempt_at=clock.now() - timedelta(minutes=47),
            )
        )
        session.commit()
    clock.advance(seconds=30)

    samples = scrape(client)

    assert value(samples, "raati_outbox_oldest_due_seconds") == 47 * 60 + 30
    assert value(samples, "raati_outbox_rows", status="pending", kind=kinds.SIGN_IN_LINK) == 1


def test_a_database_that_does_not_answer_gives_database_up_0_and_still_200(
    world: World, uow_factory, clock: FixedClock, link_signer: LinkSigner, tmp_path: Path, monkeypatch
) -> None:
    import wiring.metrics

    monkeypatch.setenv("RAATI_DATABASE_URL", f"sqlite:///{tmp_path / 'gone' / 'raati.sqlite3'}")
    wiring.metrics.reset()
    try:
        app = create_app(
            uow_factory=uow_factory,
            clock=clock,
            signer=lambda: link_signer,
            outbox_stats=wiring.metrics.current_outbox_stats,
        )
        samples = scrape(TestClient(app, base_url="http://127.0.0.1"))
        monkeypatch.setenv("RAATI_DATABASE_URL", "postgresql+psycopg://raati@127.0.0.1:1/raati")
        wiring.metrics.reset()
        unreachable = scrape(TestClient(app, base_url="http://127.0.0.1"))
    finally:
        wiring.metrics.reset()

    assert value(samples, "raati_database_up") == 0
    assert value(unreachable, "raati_database_up") == 0
    assert ("raati_outbox_oldest_due_seconds", frozenset()) not in unreachable
    assert not (tmp_path / "gone").exists()  # no empty database was made by looking


def test_a_metrics_token_keeps_metrics_to_its_bearer(uow_factory, clock: FixedClock, link_signer: LinkSigner) -> None:
    settings = WebSettings(metrics_token="s3cret-scraper")  # type: ignore[arg-type]
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: link_signer, web_settings=settings)
    client = TestClient(app, base_url="http://127.0.0.1")

    refused = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})

    assert refused.status_code == wrong.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert "raati_" not in refused.text
    assert scrape(client, Authorization="Bearer s3cret-scraper")


def test_the_documented_alert_uses_series_that_metrics_exposes(observed_app: FastAPI, world: World) -> None:
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    alerts = {rule["alert"]: rule for group in rules["groups"] for rule in group["rules"]}
    delayed = alerts["RaatiMailDelayed"]
    assert delayed["expr"].replace(" ", "") == "raati_outbox_oldest_due_seconds>900"
    assert delayed["for"] == "5m"
    exposed = {name for name, _ in scrape(TestClient(observed_app, base_url="http://127.0.0.1"))}
    used = {name for rule in alerts.values() for name in re.findall(r"raati_[a-z_]+", rule["expr"])}
    assert used
    assert used <= exposed, used - exposed
