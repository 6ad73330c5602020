"""A mail server's refusal quotes the member's address. Coordinators and the operator read the reason as the
server gave it; managers read it with every address hidden, on the API and on the dashboard alike.

The reason is a real 550 from aiosmtpd, stored by the real dispatcher; the web app runs under uvicorn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from application.access.tokens import add_user_with_token
from application.commands import AddUser
from domain.values import Role
from notifications.links import LinkSigner
from notifications.outbox import OutboxStatus
from tests.conftest import FixedClock
from tests.delivery.conftest import COALESCE, Postman, RaatiCli, RefusingInbox, UowFactory, World, move, outbox
from tests.integration.conftest import PANEL
from tests.sign_in import sign_in
from tests.smtp.servers import smtp_server
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

BENGT = "bengt@example.org"
EMAILS = {Role.COORDINATOR: "koordinaattori@kaari.example", Role.MANAGER: "johto@kaari.example"}
REFUSAL = f"550 5.1.1 <{BENGT}>: Recipient address rejected"
HIDDEN = "550 5.1.1 <…>: Recipient address rejected"


@pytest.fixture
def refused(world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman) -> str:
    """Bengt's mail refused for good by the SMTP server; returns the reason as stored."""
    idea = world.raise_idea(uow_factory, clock, "Pysäköinti terveysasemalla")
    move(uow_factory, clock, idea, "sent_to_service")
    clock.advance(seconds=COALESCE.total_seconds() + 1)
    with smtp_server(RefusingInbox({BENGT: REFUSAL})) as server:
        report = postman.deliver(server.port)
    assert report.failed == 1
    (failed,) = [m for m in outbox(uow_factory) if m.status is OutboxStatus.FAILED]
    assert failed.last_error is not None
    assert BENGT in failed.last_error
    return failed.last_error


@pytest.fixture
def tokens(world: World, uow_factory: UowFactory, clock: FixedClock) -> dict[Role, str]:
    staff = {
        Role.COORDINATOR: AddUser(email=EMAILS[Role.COORDINATOR], role=Role.COORDINATOR, panel=PANEL),
        Role.MANAGER: AddUser(email=EMAILS[Role.MANAGER], role=Role.MANAGER),
    }
    issued = {role: add_user_with_token(cmd, uow=uow_factory(), clock=clock).token for role, cmd in staff.items()}
    return {role: token for role, token in issued.items() if token}


@pytest.fixture
def web_url(uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner, tmp_path: Path) -> Iterator[str]:
    settings = WebSettings(data_dir=tmp_path / "data", session_secret="failure-reasons-session-secret")
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=settings)
    with serving(app) as url:
        yield url


def outbox_status(web_url: str, token: str, world: World) -> httpx.Response:
    return httpx.get(
        f"{web_url}/api/v1/outbox",
        params={"panel": str(world.panel_id)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def dashboard(web_url: str, email: str, uow_factory: UowFactory, signer: LinkSigner) -> str:
    with httpx.Client(base_url=web_url, timeout=10) as client:
        signed_in = sign_in(client, email, uow_factory=uow_factory, signer=signer)
        assert signed_in.status_code == 303, signed_in.text
        page = client.get("/dashboard")
        assert page.status_code == 200, page.text
        return page.text


def test_a_manager_reads_the_api_s_failure_reasons_without_the_members_address(
    web_url: str, world: World, refused: str, tokens: dict[Role, str]
) -> None:
    response = outbox_status(web_url, tokens[Role.MANAGER], world)

    assert response.status_code == 200, response.text
    assert [m["reason"] for m in response.json()["failed"]] == [refused.replace(f"<{BENGT}>", "<…>")]
    assert HIDDEN in response.json()["failed"][0]["reason"]
    assert "bengt" not in response.text.lower()


def test_a_coordinator_reads_the_api_s_failure_reason_as_the_server_gave_it(
    web_url: str, world: World, refused: str, tokens: dict[Role, str]
) -> None:
    response = outbox_status(web_url, tokens[Role.COORDINATOR], world)

    assert response.status_code == 200, response.text
    assert [m["reason"] for m in response.json()["failed"]] == [refused]


def test_a_managers_dashboard_shows_the_reason_without_the_address_and_a_coordinators_with_it(
    web_url: str, refused: str, tokens: dict[Role, str], uow_factory: UowFactory, signer: LinkSigner
) -> None:
    managers = dashboard(web_url, EMAILS[Role.MANAGER], uow_factory, signer)
    coordinators = dashboard(web_url, EMAILS[Role.COORDINATOR], uow_factory, signer)

    assert "Recipient address rejected" in managers
    assert "&lt;…&gt;: Recipient address rejected" in managers
    assert "bengt" not in managers.lower()
    assert f"&lt;{BENGT}&gt;: Recipient address rejected" in coordinators


def test_the_operator_reads_the_reason_as_the_server_gave_it(refused: str, raati: RaatiCli) -> None:
    status = raati("outbox", "status", "--json")

    assert status.code == 0, status.err
    assert [m["reason"] for m in json.loads(status.out)["failed"]] == [refused]
