"""Signing in by email in Chromium, end to end: a service representative types their address at /sign-in, the real
dispatcher sends the mail to a real SMTP server on loopback, the link from the received mail signs them in and lands
on their queue, and the link does not work a second time. Every sign-in page is axe-clean and fits a 390 px phone
(screenshots sign-in-*.png in build/screenshots/)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from notifications.links import LinkSigner
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from tests.browser.conftest import Staff, UowFactory, check_page
from tests.conftest import FixedClock
from tests.delivery.conftest import Postman
from tests.smtp.servers import RecordingHandler, smtp_server
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

pytestmark = pytest.mark.slow
PHONE = {"width": 390, "height": 844}


def on_a_phone_too(page: Page, name: str) -> None:
    """axe-clean and a screenshot as it is, then the same at 390 px without sideways scrolling."""
    check_page(page, name)
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a phone"
    check_page(page, f"{name}-390")
    page.set_viewport_size({"width": 1100, "height": 900})


def received_link(message: bytes) -> str:
    mail = message_from_bytes(message, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(r"https?://\S+/sign-in/link/[A-Za-z0-9_-]+", body.get_content())
    assert found, body.get_content()
    return found.group(0)


def test_a_service_representative_signs_in_with_the_link_the_mail_brings_once(
    page: Page,
    browser: Browser,
    web_url: str,
    owner: Staff,
    engine: Engine,
    signer: LinkSigner,
    clock: FixedClock,
) -> None:
    page.goto(f"{web_url}/queue")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/queue$"))
    on_a_phone_too(page, "sign-in")
    page.get_by_label("Email address").fill(owner.email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    on_a_phone_too(page, "sign-in-sent")

    owner.newest_link(web_url)  # the link is queued a moment after the answer: wait for it, as for a mail
    inbox = RecordingHandler()
    postman = Postman(queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)), signer=signer, clock=clock)
    with smtp_server(inbox) as server, ThreadPoolExecutor(1) as dispatcher:
        # The real dispatch, on a thread of its own: Playwright holds this thread's event loop.
        report = dispatcher.submit(postman.at(web_url).deliver, server.port).result(timeout=60)
    assert report.sent == 1
    (message,) = inbox.messages
    assert owner.email in str(message_from_bytes(message, policy=policy.default)["To"])
    link = received_link(message)

    page.goto(link)
    on_a_phone_too(page, "sign-in-link")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{web_url}/queue")
    expect(page.get_by_text(f"Signed in as {owner.email}")).to_be_visible()

    elsewhere = browser.new_context(locale="en-GB").new_page()
    try:
        elsewhere.goto(link)
        expect(elsewhere.get_by_role("heading", level=1)).to_have_text("The sign-in link does not work")
        expect(elsewhere.get_by_text("This link has already been used.")).to_be_visible()
        on_a_phone_too(elsewhere, "sign-in-link-used")
        expect(elsewhere.get_by_role("button", name="Sign in")).to_have_count(0)
        elsewhere.goto(f"{web_url}/queue")
        expect(elsewhere).to_have_url(re.compile(r"/sign-in\?next=/queue$"))
    finally:
        elsewhere.context.close()


def test_the_rate_limit_an_expired_link_and_email_sign_in_switched_off_read_well(
    page: Page,
    web_url: str,
    owner: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
    signer: LinkSigner,
    tmp_path: Path,
) -> None:
    page.goto(f"{web_url}/sign-in")
    for _ in range(6):
        page.get_by_label("Email address").fill(owner.email)
        page.get_by_role("button", name="Email me a sign-in link").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in links asked for")
    on_a_phone_too(page, "sign-in-limited")

    link = owner.newest_link(web_url, after=4)  # the fifth, the last one taken
    clock.advance(minutes=16)
    page.goto(link)
    expect(page.get_by_text("This link has expired")).to_be_visible()
    on_a_phone_too(page, "sign-in-link-expired")

    settings = WebSettings(data_dir=tmp_path / "off", session_secret="switched-off-secret", email_sign_in=False)
    switched_off = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=settings)
    with serving(switched_off) as url:
        page.goto(f"{url}/sign-in")
        expect(page.get_by_text("Signing in by email is switched off here.")).to_be_visible()
        on_a_phone_too(page, "sign-in-off")
