"""The session cookie and the CSRF check over real HTTP (uvicorn on 127.0.0.1), without a browser."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from domain.events import Aggregate
from persistence.access_tables import StaffSessionRow
from tests.browser.conftest import Staff, UowFactory, idea_sent_to_service
from tests.conftest import FixedClock
from tests.integration.conftest import World
from tests.sign_in import ask_for_link, follow_link, newest_link_token, sign_in


def signed_in(web_url: str, staff: Staff) -> httpx.Client:
    client = httpx.Client(base_url=web_url, follow_redirects=False, timeout=10)
    response = sign_in(client, staff.email, uow_factory=staff.uow_factory, signer=staff.signer)
    assert response.status_code == 303, response.text
    return client


def test_the_session_cookie_is_httponly_and_samesite_lax_and_keeps_neither_the_token_nor_its_hash(
    web_url: str, owner: Staff, uow_factory: UowFactory
) -> None:
    client = httpx.Client(base_url=web_url, timeout=10)
    assert ask_for_link(client, owner.email).status_code == 200
    link_token = newest_link_token(uow_factory, owner.signer, owner.email)
    response = follow_link(client, link_token)

    assert response.status_code == 303
    assert response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("raati_session=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    payload = cookie.split("=", 1)[1].split(".", 1)[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert owner.token not in json.dumps(session)
    assert hashlib.sha256(owner.token.encode()).hexdigest() not in json.dumps(session)
    assert link_token not in json.dumps(session)
    # A random session id; the server keeps only its hash.
    with uow_factory() as uow:
        kept = uow.session.scalars(select(StaffSessionRow.session_hash)).all()
    assert kept == [hashlib.sha256(session["session_id"].encode()).hexdigest()]


def test_a_form_without_the_csrf_token_is_refused_and_writes_nothing(
    web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Opasteet")
    client = signed_in(web_url, owner)

    response = client.post(
        f"/ideas/{idea_id}/move", data={"to": "in_progress", "note": "Aloitamme.", "expected_version": "2"}
    )

    assert response.status_code == 422
    assert "Lomake oli vanhentunut" in response.text  # no Accept-Language: Finnish
    with uow_factory() as uow:
        assert len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)) == 2


def test_a_sign_in_without_the_csrf_token_is_refused(web_url: str, owner: Staff) -> None:
    response = httpx.post(f"{web_url}/sign-in", data={"email": owner.email}, timeout=10)

    assert response.status_code == 403
    assert "Lomake oli vanhentunut" in response.text  # no Accept-Language: Finnish


def test_staff_pages_send_strangers_to_the_sign_in_and_never_elsewhere(web_url: str) -> None:
    assert httpx.get(f"{web_url}/queue", timeout=10).headers["location"] == "/sign-in?next=/queue"
    assert httpx.get(f"{web_url}/dashboard", timeout=10).headers["location"] == "/sign-in?next=/dashboard"
    # An outside address as the target of the language switch goes home instead.
    switched = httpx.post(f"{web_url}/language", data={"language": "sv", "next": "//evil.example"}, timeout=10)
    assert switched.headers["location"] == "/"


def test_a_new_api_token_ends_no_session_but_deactivating_the_user_does(
    web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    from application.access.accounts import SetUserActive, set_user_active
    from application.access.tokens import IssueToken, issue_token

    client = signed_in(web_url, owner)
    assert client.get("/queue").status_code == 200

    issue_token(IssueToken(email=owner.email), uow=uow_factory(), clock=clock)

    assert client.get("/queue").status_code == 200  # a session belongs to its user, not to a token
    set_user_active(SetUserActive(email=owner.email, active=False), uow=uow_factory(), clock=clock)
    response = client.get("/queue")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/queue"


def test_the_prefect_ui_is_linked_where_a_prefect_server_is_configured(
    web_url: str, coordinator: Staff, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("RAATI_DATA_DIR", str(tmp_path))  # no api-url file from a `raati serve` here
    client = signed_in(web_url, coordinator)
    assert "Ajot Prefectin käyttöliittymässä" not in client.get("/dashboard").text

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")

    page = client.get("/dashboard").text
    assert '<a href="http://127.0.0.1:4200">Ajot Prefectin käyttöliittymässä</a>' in page


def test_an_illegal_move_is_shown_in_the_form_with_the_allowed_states_and_writes_nothing(
    web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Opasteet")
    client = signed_in(web_url, owner)
    page = client.get(f"/ideas/{idea_id}").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf

    response = client.post(
        f"/ideas/{idea_id}/move",
        data={"to": "implemented", "note": "Valmis.", "expected_version": "2", "csrf_token": csrf.group(1)},
    )

    assert response.status_code == 409
    # In the page's words (Finnish: no Accept-Language), the states as the glossary names them; no codes.
    assert "Idean tila on nyt ”välitetty palvelulle”, eikä sitä voi siirtää tilaan ”toteutettu”." in response.text
    assert "state: cannot move" not in response.text
    assert 'aria-invalid="true" aria-describedby="error-' in response.text
    with uow_factory() as uow:
        assert len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)) == 2


def test_a_note_with_health_details_asks_the_coordinator_to_acknowledge_them_and_records_it(
    web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Opasteet")
    client = signed_in(web_url, coordinator)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/ideas/{idea_id}").text)
    assert csrf
    form = {"to": "in_progress", "note": "Insuliinin annostelun ohje uusitaan.", "expected_version": "2"}

    refused = client.post(f"/ideas/{idea_id}/move", data={**form, "csrf_token": csrf.group(1)})

    assert refused.status_code == 422
    assert 'name="acknowledge_health" value="yes"' in refused.text
    with uow_factory() as uow:
        assert len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)) == 2

    accepted = client.post(
        f"/ideas/{idea_id}/move", data={**form, "csrf_token": csrf.group(1), "acknowledge_health": "yes"}
    )

    assert accepted.status_code == 303, accepted.text
    with uow_factory() as uow:
        types = [event.type for event in uow.events.for_aggregate(Aggregate.IDEA, idea_id)]
    assert types[2:] == ["moved", "privacy_acknowledged"]


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def test_a_saved_session_cookie_opens_nothing_after_sign_out_while_the_other_session_and_the_token_stay(
    web_url: str, coordinator: Staff
) -> None:
    laptop, phone = signed_in(web_url, coordinator), signed_in(web_url, coordinator)
    page = laptop.get("/dashboard")
    assert page.status_code == 200, page.text
    saved = laptop.cookies["raati_session"]

    signed_out = laptop.post("/sign-out", data={"csrf_token": csrf_of(page)})

    assert signed_out.status_code == 303
    assert laptop.get("/dashboard").headers["location"] == "/sign-in?next=/dashboard"
    replayed = httpx.get(f"{web_url}/dashboard", cookies={"raati_session": saved}, timeout=10)
    assert replayed.status_code == 303
    assert replayed.headers["location"] == "/sign-in?next=/dashboard"  # as for a visitor who never signed in
    # The same person on another device is still signed in, and their API token still works.
    assert phone.get("/dashboard").status_code == 200
    me = httpx.get(f"{web_url}/api/v1/me", headers={"Authorization": f"Bearer {coordinator.token}"}, timeout=10)
    assert me.status_code == 200, me.text
