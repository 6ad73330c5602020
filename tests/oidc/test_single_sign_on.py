"""Single sign-on end to end: the web app (TestClient, a real database) and the loopback provider, the browser
following the redirects between them. Each refusal is a page in words and a ``sign_in_failed`` in the audit
trail; nobody is added unless a role mapping says so."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from application.access.accounts import SetUserActive, set_user_active
from application.access.audit import list_audit
from application.commands import AddService, AddUser, CreatePanel
from application.people.roster import add_service, add_user, create_panel
from domain.actors import Actor
from domain.sign_in import AuditEntry
from domain.values import Role
from notifications.links import LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.oidc.browsing import Browser
from tests.oidc.conftest import APP_BASE, settings_for
from tests.oidc.provider import BAD_SIGNATURE, DENIED, EXPIRED, WRONG_AUDIENCE, Login, Provider
from web.app import create_app
from web.oidc_settings import OidcSettings
from web.settings import WebSettings

pytestmark = pytest.mark.slow  # each test runs a whole sign-in through the app and the loopback provider

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
PANEL = "Itäinen raati"
SERVICE = "Suun terveydenhuolto"
OWNER = "suu@ita.example"
COORDINATOR = "koordinaattori@ita.example"
ROLE_MAP = {
    "raati-koordinaattorit": {"role": "coordinator", "panels": [PANEL]},
    "raati-suu": {"role": "service_owner", "service": SERVICE},
}


@pytest.fixture
def staff(uow_factory: UowFactory, clock: FixedClock) -> None:
    def run(use_case: Any, cmd: Any) -> Any:
        return use_case(cmd, uow=uow_factory(), clock=clock)

    run(create_panel, CreatePanel(name=PANEL))
    run(add_service, AddService(name=SERVICE, panel=PANEL))
    run(add_user, AddUser(email=OWNER, role=Role.SERVICE_OWNER, service=SERVICE))
    run(add_user, AddUser(email=COORDINATOR, role=Role.COORDINATOR, panel=PANEL))


@pytest.fixture
def browse(
    uow_factory: UowFactory, clock: FixedClock, provider: Provider, staff: None, tmp_path: Path
) -> Iterator[Callable[..., Browser]]:
    """A browser on an app with single sign-on set up as ``settings_for(provider, **overrides)``."""
    clients: list[TestClient] = []

    def open_browser(**overrides: Any) -> Browser:
        signer = LinkSigner(b"k" * 32)
        web = WebSettings(data_dir=tmp_path / "data", session_secret="oidc-tests-session-secret")
        app = create_app(
            uow_factory=uow_factory,
            clock=clock,
            signer=lambda: signer,
            web_settings=web,
            oidc_settings=settings_for(provider, **overrides),
        )
        client = TestClient(app, base_url=APP_BASE, headers={"Accept-Language": "en"})
        clients.append(client)
        return Browser(client, provider)

    yield open_browser
    for client in clients:
        client.close()


def audit_trail(uow_factory: UowFactory) -> list[AuditEntry]:
    return list_audit(Actor.operator(), uow=uow_factory())


def failures(uow_factory: UowFactory) -> list[str | None]:
    return [entry.detail for entry in audit_trail(uow_factory) if entry.event == "sign_in_failed"]


def test_a_staff_user_signs_in_and_lands_on_the_page_they_came_for(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(email=COORDINATOR)
    browser = browse()
    visit = browser.sign_in(next_path="/queue")
    assert visit.status == 200
    assert visit.url == f"{APP_BASE}/queue"  # the coordinator's home is the overview: next was followed
    assert f"{APP_BASE}/sign-in/oidc/callback" in {url.split("?")[0] for url in visit.visited}
    assert COORDINATOR in visit.text
    assert browser.signed_in()
    signed_in = [entry for entry in audit_trail(uow_factory) if entry.event == "signed_in"]
    assert [entry.method for entry in signed_in] == ["oidc"]


def test_without_next_a_staff_user_lands_on_their_home_page(browse: Callable[..., Browser], provider: Provider) -> None:
    provider.next_login = Login(email=OWNER.upper())  # the address is matched whatever its case
    visit = browse().sign_in(next_path="//example.com/")
    assert visit.url == f"{APP_BASE}/queue"


@pytest.mark.parametrize(
    ("fault", "reason", "status"),
    [
        (WRONG_AUDIENCE, "wrong_audience", 401),
        (EXPIRED, "expired_token", 401),
        (BAD_SIGNATURE, "bad_signature", 401),
        (DENIED, "provider_access_denied", 401),
    ],
)
def test_a_faulty_answer_from_the_provider_signs_nobody_in(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory, fault: str, reason: str, status: int
) -> None:
    provider.next_login = Login(email=OWNER, fault=fault)
    browser = browse()
    visit = browser.sign_in()
    assert visit.status == status
    assert visit.url == f"{APP_BASE}/sign-in/oidc/problem"  # not the callback: its code and state are spent
    assert "Traceback" not in visit.text
    assert 'href="/sign-in/oidc"' in visit.text  # try again
    assert not browser.signed_in()
    assert failures(uow_factory) == [reason]


def test_a_replayed_state_signs_nobody_in(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(email=OWNER)
    browser = browse()
    callback = browser.get("/sign-in/oidc", stop_at=f"{APP_BASE}/sign-in/oidc/callback").url
    saved = dict(browser.app.cookies)  # the cookie that holds the pending sign-in
    assert browser.get(callback).url == f"{APP_BASE}/queue"
    again = browser.get(callback)  # the same browser: the sign-in it was for is over
    assert again.status == 400
    browser.app.cookies.clear()
    browser.app.cookies.update(saved)  # a saved copy of the cookie, as before the first use
    restored = browser.get(callback)
    assert restored.status == 400
    assert not browser.signed_in()
    assert failures(uow_factory) == ["replayed_state", "replayed_state"]


def test_an_unknown_address_gets_a_page_saying_whom_to_ask_and_no_account(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(email="uusi@ita.example", roles=["raati-koordinaattorit"])
    browser = browse()  # no role mapping: nobody is added on the fly
    visit = browser.sign_in()
    assert visit.status == 403
    assert "uusi@ita.example" in visit.text
    assert "coordinator" in visit.text
    with uow_factory() as uow:
        assert uow.users.by_email("uusi@ita.example") is None
    assert failures(uow_factory) == ["unknown_user"]


def test_the_refusal_is_in_the_browsers_language(browse: Callable[..., Browser], provider: Provider) -> None:
    provider.next_login = Login(email="uusi@ita.example")
    browser = browse()
    browser.app.headers["Accept-Language"] = "fi"
    visit = browser.sign_in()
    assert visit.status == 403
    assert 'lang="fi"' in visit.text
    assert "Tiliäsi ei löydy Raatista" in visit.text


def test_a_deactivated_user_is_not_signed_in(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory, clock: FixedClock
) -> None:
    set_user_active(SetUserActive(email=OWNER, active=False), uow=uow_factory(), clock=clock)  # raati user deactivate
    provider.next_login = Login(email=OWNER)
    browser = browse()
    visit = browser.sign_in()
    assert visit.status == 403
    assert OWNER in visit.text
    assert not browser.signed_in()
    assert failures(uow_factory) == ["deactivated"]


@pytest.mark.parametrize("verified", [False, None])
def test_an_address_the_provider_does_not_vouch_for_is_not_used(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory, verified: bool | None
) -> None:
    provider.next_login = Login(email=OWNER, email_verified=verified)
    browser = browse()
    assert browser.sign_in().status == 403
    assert not browser.signed_in()
    assert failures(uow_factory) == ["email_not_verified"]


def test_a_trusted_provider_needs_no_email_verified_claim(browse: Callable[..., Browser], provider: Provider) -> None:
    provider.next_login = Login(email=OWNER, email_verified=None)
    assert browse(trust_email=True).sign_in().url == f"{APP_BASE}/queue"


def test_an_address_marked_unverified_is_refused_even_from_a_trusted_provider(
    browse: Callable[..., Browser], provider: Provider
) -> None:
    provider.next_login = Login(email=OWNER, email_verified=False)
    assert browse(trust_email=True).sign_in().status == 403


def test_the_role_mapping_adds_a_coordinator_of_the_mapped_panel(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(
        email="uusi@ita.example", roles=["muut", "raati-koordinaattorit"], extra={"given_name": "Ulla"}
    )
    browser = browse(roles_claim="roles", role_map=json.dumps(ROLE_MAP))
    visit = browser.sign_in()
    assert visit.url == f"{APP_BASE}/"  # a coordinator's home: what needs doing now
    with uow_factory() as uow:
        user = uow.users.by_email("uusi@ita.example")
        panel = uow.panels.get(PANEL)
    assert user is not None
    assert user.role is Role.COORDINATOR
    assert user.panel_ids == {panel.id}
    assert user.greeting_name == "Ulla"


def test_the_role_mapping_adds_a_service_owner_from_a_mapping_file(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory, tmp_path: Path
) -> None:
    mapping = tmp_path / "roles.json"
    mapping.write_text(json.dumps(ROLE_MAP), encoding="utf-8")
    provider.next_login = Login(email="hammas@ita.example", extra={"realm_access": {"roles": ["raati-suu"]}})
    visit = browse(roles_claim="realm_access.roles", role_map_file=mapping).sign_in()
    assert visit.url == f"{APP_BASE}/queue"
    with uow_factory() as uow:
        user = uow.users.by_email("hammas@ita.example")
        service = uow.services.get(SERVICE, panel_id=uow.panels.get(PANEL).id)
    assert user is not None
    assert user.role is Role.SERVICE_OWNER
    assert user.service_id == service.id


def test_a_role_the_mapping_does_not_name_adds_nobody(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(email="uusi@ita.example", roles=["jokin-muu"])
    assert browse(roles_claim="roles", role_map=json.dumps(ROLE_MAP)).sign_in().status == 403
    with uow_factory() as uow:
        assert uow.users.by_email("uusi@ita.example") is None
    assert failures(uow_factory) == ["unknown_user"]


def test_a_mapping_to_a_panel_raati_does_not_have_is_explained(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    mapping = {"raati-x": {"role": "coordinator", "panels": ["Pohjoinen raati"]}}
    provider.next_login = Login(email="uusi@ita.example", roles=["raati-x"])
    assert browse(roles_claim="roles", role_map=json.dumps(mapping)).sign_in().status == 403
    with uow_factory() as uow:
        assert uow.users.by_email("uusi@ita.example") is None
    assert failures(uow_factory) == ["role_mapping_failed"]


def test_an_unreachable_provider_gets_a_page_not_an_error(
    browse: Callable[..., Browser], uow_factory: UowFactory
) -> None:
    visit = browse(issuer="http://127.0.0.1:9").sign_in()
    assert visit.status == 503
    assert "Traceback" not in visit.text
    assert failures(uow_factory) == ["provider_unreachable"]


def test_without_single_sign_on_its_pages_say_so(
    uow_factory: UowFactory, clock: FixedClock, provider: Provider, staff: None, tmp_path: Path
) -> None:
    signer = LinkSigner(b"k" * 32)
    web = WebSettings(data_dir=tmp_path / "data", session_secret="oidc-tests-session-secret")
    app = create_app(
        uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=web, oidc_settings=OidcSettings()
    )
    with TestClient(app, base_url=APP_BASE, headers={"Accept-Language": "en"}) as client:
        for path in ("/sign-in/oidc", "/sign-in/oidc/callback?code=x&state=y"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 404
            assert "Single sign-on is not in use" in response.text


def test_the_provider_got_pkce_and_a_nonce(browse: Callable[..., Browser], provider: Provider) -> None:
    provider.next_login = Login(email=OWNER)
    browse().sign_in()
    sent = provider.authorization_requests[-1]
    assert sent["code_challenge_method"] == "S256"
    assert sent["nonce"]
    assert provider.token_requests[-1]["code_verifier"]


def test_the_callback_address_is_the_registered_redirect_uri(
    browse: Callable[..., Browser], provider: Provider
) -> None:
    visit = browse().get("/sign-in/oidc", stop_at=provider.issuer)
    sent = dict(parse_qsl(urlsplit(visit.url).query))
    assert sent["redirect_uri"] == f"{APP_BASE}/sign-in/oidc/callback"


def test_the_sign_in_page_offers_the_organisations_account_first(
    browse: Callable[..., Browser], provider: Provider
) -> None:
    page = browse().app.get("/sign-in?next=/ideas/7").text
    button = page.index('href="/sign-in/oidc?next=%2Fideas%2F7"')
    assert button < page.index('name="email"')


def sign_out(browser: Browser) -> str:
    """Sign out as the page's form does; where the browser is sent."""
    page = browser.app.get("/queue").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = browser.app.post("/sign-out", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def test_signing_out_ends_the_session_at_the_provider_too(
    browse: Callable[..., Browser], provider: Provider, uow_factory: UowFactory
) -> None:
    provider.next_login = Login(email=OWNER)
    browser = browse()
    browser.sign_in()
    target = sign_out(browser)
    assert target.startswith(f"{provider.issuer}/logout?")
    assert not browser.signed_in()
    back = browser.get(target)
    assert back.url == f"{APP_BASE}/"
    sent = provider.logouts[-1]
    assert sent["post_logout_redirect_uri"] == f"{APP_BASE}/"
    assert sent["client_id"] == "raati-test"
    assert sent["id_token_hint"].count(".") == 2
    assert [entry.event for entry in audit_trail(uow_factory)][:2] == ["signed_out", "signed_in"]


def test_without_an_end_session_endpoint_signing_out_ends_raatis_session_only(
    browse: Callable[..., Browser], provider: Provider
) -> None:
    provider.next_login = Login(email=OWNER)
    provider.end_session = False  # its discovery names no end_session_endpoint
    browser = browse()
    browser.sign_in()
    assert sign_out(browser) == "/"
    assert not browser.signed_in()
    assert provider.logouts == []


def test_a_long_id_token_is_not_kept_and_sign_out_names_the_client_instead(
    browse: Callable[..., Browser], provider: Provider
) -> None:
    provider.next_login = Login(email=OWNER, extra={"groups": [f"group-{n:04d}" for n in range(300)]})
    browser = browse()
    assert browser.sign_in().url == f"{APP_BASE}/queue"
    assert len(browser.app.cookies["raati_session"]) < 4000  # the cookie stays within what browsers keep
    sent = dict(parse_qsl(urlsplit(sign_out(browser)).query))
    assert "id_token_hint" not in sent
    assert sent["client_id"] == "raati-test"
