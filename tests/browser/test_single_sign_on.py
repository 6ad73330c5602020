"""Single sign-on in a real Chromium: the sign-in page offers the organisation's account first, the browser goes to
the loopback provider and back and lands signed in; signing out ends the provider's session too; a person Raati
does not know gets a page saying so. axe-core on each page, at a desktop's width and a phone's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page

from notifications.links import LinkSigner
from tests.browser.conftest import SCREENSHOTS, Staff, UowFactory, check_page
from tests.conftest import FixedClock
from tests.oidc.conftest import settings_for
from tests.oidc.provider import Login, Provider
from tests.smtp.servers import unused_port
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    provider = Provider()
    with serving(provider.app()) as url:
        provider.issuer = url
        yield provider


@pytest.fixture
def sso_url(
    uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner, provider: Provider, tmp_path: Path
) -> Iterator[str]:
    """The web app with single sign-on at the loopback provider, under uvicorn on a port chosen first (the
    redirect URI registered at the provider names it)."""
    port = unused_port()
    url = f"http://127.0.0.1:{port}"
    provider.reset()
    provider.redirect_uris = {f"{url}/sign-in/oidc/callback"}
    web = WebSettings(data_dir=tmp_path / "data", session_secret="browser-tests-session-secret", base_url=url)
    app = create_app(
        uow_factory=uow_factory,
        clock=clock,
        signer=lambda: signer,
        web_settings=web,
        oidc_settings=settings_for(provider, base_url=url),
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="uvicorn-sso", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.01)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fits_a_phone(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}_phone.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide, wider than a phone"
    page.set_viewport_size({"width": 1100, "height": 900})


def test_a_staff_user_signs_in_with_their_organisations_account_and_out_again(
    page: Page, sso_url: str, provider: Provider, owner: Staff
) -> None:
    provider.next_login = Login(email=owner.email)
    page.goto(f"{sso_url}/sign-in?next=/queue")
    check_page(page, "sign_in_with_organisation")
    fits_a_phone(page, "sign_in_with_organisation")
    button = page.get_by_role("link", name="Sign in with your organisation's account")
    email_field = page.get_by_label("Email address")
    assert button.bounding_box()["y"] < email_field.bounding_box()["y"]  # type: ignore[index]

    button.click()
    page.wait_for_url(f"{sso_url}/queue")
    assert page.get_by_text(f"Signed in as {owner.email}").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{sso_url}/")
    assert len(provider.logouts) == 1
    assert provider.logouts[0]["id_token_hint"]
    page.goto(f"{sso_url}/queue")
    assert "/sign-in" in page.url


def test_someone_raati_does_not_know_is_told_whom_to_ask(page: Page, sso_url: str, provider: Provider) -> None:
    provider.next_login = Login(email="tuntematon@kaari.example")
    page.goto(f"{sso_url}/sign-in")
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your account is not in Raati").is_visible()
    assert page.get_by_text("tuntematon@kaari.example").is_visible()
    check_page(page, "oidc_unknown_account")
    fits_a_phone(page, "oidc_unknown_account")


def test_a_refused_answer_from_the_provider_offers_to_try_again(page: Page, sso_url: str, provider: Provider) -> None:
    provider.next_login = Login(email="x@kaari.example", fault="bad_signature")
    page.goto(f"{sso_url}/sign-in/oidc")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Sign-in did not succeed").is_visible()
    assert page.get_by_role("link", name="Try again").is_visible()
    check_page(page, "oidc_refused")
    fits_a_phone(page, "oidc_refused")
