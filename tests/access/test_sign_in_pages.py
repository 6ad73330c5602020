"""The sign-in pages over FastAPI's TestClient on SQLite and PostgreSQL: the same answer for any address, 429 past
the rate limits, no open redirect, the link's page, the cookie's flags, email sign-in switched off, and an audit
trail without secrets or full addresses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from notifications import kinds
from notifications.links import LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.conftest import COORD, MANAGER, OWNER, World, build_world
from tests.conftest import FixedClock
from tests.sign_in import ask_for_link, csrf_of, follow_link, newest_link_token, sign_in
from web.app import create_app
from web.settings import WebSettings

# Whole-app page tests, a second or more each (as tests/web's): slow.
pytestmark = pytest.mark.slow
SIGNER = LinkSigner(b"sign-in-page-tests-key-0123456789")
CLIENT = ("203.0.113.77", 50000)
UowFactory = Callable[[], SqlAlchemyUnitOfWork]
Clients = Callable[..., TestClient]


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    return build_world(uow_factory, clock)


@pytest.fixture
def clients(uow_factory: UowFactory, clock: FixedClock, tmp_path: Path) -> Iterator[Clients]:
    """A browser on the app with these web settings (and this client address), in English."""
    opened: list[TestClient] = []

    def client(client: tuple[str, int] = CLIENT, **settings: object) -> TestClient:
        web = WebSettings(data_dir=tmp_path / "data", session_secret="sign-in-pages-secret", **settings)
        app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: SIGNER, web_settings=web)
        scheme = "https" if web.https_only else "http"  # a Secure cookie comes back over https only
        browser = TestClient(
            app,
            base_url=f"{scheme}://127.0.0.1",
            follow_redirects=False,
            client=client,
            headers={"Accept-Language": "en"},
        )
        opened.append(browser)
        return browser

    yield client
    for browser in opened:
        browser.close()


def visible(page: str) -> str:
    main = page.split("<main", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def sign_in_mails(uow_factory: UowFactory) -> list[str]:
    with uow_factory() as uow:
        return sorted(m.email for m in uow.outbox.list() if m.kind == kinds.SIGN_IN_LINK)


def test_the_answer_is_the_same_for_a_users_address_an_unknown_one_and_a_deactivated_ones(
    clients: Clients, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    from application.access.accounts import SetUserActive, set_user_active

    set_user_active(SetUserActive(email=world.emails[MANAGER], active=False), uow=uow_factory(), clock=clock)
    browser = clients()
    answers = {}
    for address in (world.emails[OWNER], "tuntematon@example.org", world.emails[MANAGER]):
        page = ask_for_link(browser, address)
        assert page.status_code == 200
        answers[address] = visible(page.text).replace(address, "ADDRESS")

    assert len(set(answers.values())) == 1
    only = answers[world.emails[OWNER]]
    assert "If ADDRESS belongs to a Raati user, we have just sent a sign-in link to it." in only
    assert "valid for 15 minutes" in only
    assert "junk or spam folder" in only
    assert "Didn't get the link?" in only
    assert sign_in_mails(uow_factory) == [world.emails[OWNER]]


def test_the_sixth_request_for_an_address_gets_429_with_the_time_to_try_again_and_no_mail(
    clients: Clients, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    browser = clients()
    for _ in range(5):
        assert ask_for_link(browser, world.emails[OWNER]).status_code == 200
        clock.advance(minutes=1)

    sixth = ask_for_link(browser, world.emails[OWNER])

    assert sixth.status_code == 429
    assert sixth.headers["Retry-After"] == str(10 * 60)  # the first request leaves the window at 11.15
    page = visible(sixth.text)
    assert "Too many sign-in links asked for" in page
    assert "Nothing was sent." in page
    assert "You can ask for a new link at 11:15." in page  # Helsinki time
    assert sign_in_mails(uow_factory) == [world.emails[OWNER]] * 5


def test_the_twenty_first_request_from_one_client_address_gets_429(
    clients: Clients, world: World, uow_factory: UowFactory
) -> None:
    browser = clients(client=("198.51.100.23", 40000))
    for number in range(20):
        assert ask_for_link(browser, f"kokeilija{number}@example.org").status_code == 200

    assert ask_for_link(browser, world.emails[OWNER]).status_code == 429
    assert ask_for_link(clients(client=("198.51.100.23", 40001)), world.emails[OWNER]).status_code == 429
    assert sign_in_mails(uow_factory) == []
    # A colleague behind the same network (a city's NAT) is a client of their own.
    assert ask_for_link(clients(client=("198.51.100.99", 1)), world.emails[OWNER]).status_code == 200


@pytest.mark.parametrize(
    "outside", ["https://example.com/", "//example.com", "/\\example.com", "/\t/example.com", "https:example.com"]
)
def test_a_next_address_outside_the_site_ends_on_a_local_page(
    clients: Clients, world: World, uow_factory: UowFactory, outside: str
) -> None:
    browser = clients()
    form = browser.get("/sign-in", params={"next": outside})
    assert 'name="next" value=""' in form.text

    landed = sign_in(browser, world.emails[OWNER], uow_factory=uow_factory, signer=SIGNER, next=outside)

    assert landed.status_code == 303
    assert landed.headers["location"] == "/queue"  # the service representative's home


def test_a_staff_page_opened_without_a_session_comes_back_after_the_link_with_its_query(
    clients: Clients, world: World, uow_factory: UowFactory
) -> None:
    browser = clients()
    wanted = f"/dashboard?panel={world.panel_a}"
    sent = browser.get(wanted)
    assert sent.headers["location"] == f"/sign-in?next=/dashboard%3Fpanel%3D{world.panel_a}"
    form = browser.get(sent.headers["location"])
    assert f'name="next" value="{wanted}"' in form.text

    asked = browser.post(
        "/sign-in", data={"email": world.emails[COORD], "next": wanted, "csrf_token": csrf_of(form.text)}
    )
    assert asked.status_code == 200
    landed = follow_link(browser, newest_link_token(uow_factory, SIGNER, world.emails[COORD]))

    assert landed.headers["location"] == wanted
    assert browser.get(wanted).status_code == 200


def test_opening_the_link_uses_nothing_up_and_its_button_signs_in_once(
    clients: Clients, world: World, uow_factory: UowFactory
) -> None:
    browser = clients()
    ask_for_link(browser, world.emails[OWNER])
    token = newest_link_token(uow_factory, SIGNER, world.emails[OWNER])
    for _ in range(2):  # a mail scanner, then the person
        page = browser.get(f"/sign-in/link/{token}")
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Referrer-Policy"] == "no-referrer"

    signed_in = browser.post(f"/sign-in/link/{token}", data={"csrf_token": csrf_of(page.text)})
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/queue")
    assert browser.get("/queue").status_code == 200

    elsewhere = clients()
    again = elsewhere.get(f"/sign-in/link/{token}")
    assert again.status_code == 410
    assert "This link has already been used." in visible(again.text)
    assert 'action="/sign-in"' in again.text  # the form for a new link
    replayed = elsewhere.post(f"/sign-in/link/{token}", data={"csrf_token": csrf_of(again.text)})
    assert replayed.status_code == 410


def test_an_expired_or_made_up_link_explains_itself_and_offers_a_new_one(
    clients: Clients, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    browser = clients()
    ask_for_link(browser, world.emails[OWNER])
    token = newest_link_token(uow_factory, SIGNER, world.emails[OWNER])
    clock.advance(minutes=15)

    expired = browser.get(f"/sign-in/link/{token}")
    made_up = browser.get("/sign-in/link/" + "A" * 43)

    assert expired.status_code == 410
    assert "This link has expired: a sign-in link is valid for 15 minutes." in visible(expired.text)
    assert made_up.status_code == 400
    assert "This link is not valid." in visible(made_up.text)
    for page in (expired, made_up):
        assert "Ask for a new link below" in visible(page.text)
        assert 'autocomplete="email"' in page.text


def test_an_hour_without_a_request_ends_the_session(
    clients: Clients, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    browser = clients()
    sign_in(browser, world.emails[OWNER], uow_factory=uow_factory, signer=SIGNER)
    clock.advance(minutes=59)
    assert browser.get("/queue").status_code == 200

    clock.advance(minutes=60)

    assert browser.get("/queue").headers["location"] == "/sign-in?next=/queue"


@pytest.mark.parametrize(("base_url", "secure"), [("http://127.0.0.1:8000", False), ("https://raati.example", True)])
def test_the_session_cookie_is_httponly_lax_and_secure_when_the_app_is_served_over_https(
    clients: Clients, world: World, uow_factory: UowFactory, base_url: str, secure: bool
) -> None:
    browser = clients(base_url=base_url)
    ask_for_link(browser, world.emails[OWNER])
    signed_in = follow_link(browser, newest_link_token(uow_factory, SIGNER, world.emails[OWNER]))

    cookie = signed_in.headers["set-cookie"].lower()
    assert cookie.startswith("raati_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert ("; secure" in cookie) is secure
    assert "max-age=43200" in cookie  # the absolute timeout, 12 hours


def test_with_email_sign_in_switched_off_the_form_is_gone_and_a_request_is_refused(
    clients: Clients, world: World, uow_factory: UowFactory
) -> None:
    browser = clients(email_sign_in=False)
    form = browser.get("/sign-in")
    assert 'name="email"' not in form.text
    assert "Signing in by email is switched off here." in visible(form.text)

    refused = browser.post("/sign-in", data={"email": world.emails[OWNER], "csrf_token": csrf_of(form.text)})

    assert refused.status_code == 403
    assert "Signing in by email is not in use" in visible(refused.text)
    assert sign_in_mails(uow_factory) == []


def test_the_audit_trail_keeps_no_secret_and_no_full_address(
    clients: Clients, world: World, uow_factory: UowFactory, engine: Engine
) -> None:
    browser, other_tab = clients(), clients()
    ask_for_link(browser, world.emails[OWNER])
    token = newest_link_token(uow_factory, SIGNER, world.emails[OWNER])
    page, other_page = browser.get(f"/sign-in/link/{token}"), other_tab.get(f"/sign-in/link/{token}")
    browser.post(f"/sign-in/link/{token}", data={"csrf_token": csrf_of(page.text)})
    session_id = _session_id(browser)
    refused = other_tab.post(f"/sign-in/link/{token}", data={"csrf_token": csrf_of(other_page.text)})
    assert refused.status_code == 410
    queue = browser.get("/queue")
    browser.post("/sign-out", data={"csrf_token": csrf_of(queue.text)})

    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT event, method, client, detail FROM audit_events WHERE event <> 'token_created' ORDER BY id")
        ).all()
        every_column = repr(connection.execute(text("SELECT * FROM audit_events")).all())
    assert [tuple(row) for row in rows] == [
        ("link_requested", "email_link", "203.0.113.0/24", None),
        ("signed_in", "email_link", "203.0.113.0/24", None),
        ("sign_in_failed", "email_link", "203.0.113.0/24", "used"),
        ("signed_out", "email_link", "203.0.113.0/24", None),
    ]
    for secret in (token, session_id, "203.0.113.77", world.tokens[OWNER]):
        assert secret not in every_column


def _session_id(browser: TestClient) -> str:
    import base64
    import json

    payload = browser.cookies["raati_session"].split(".", 1)[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return str(session["session_id"])


def test_an_address_with_no_at_sign_is_refused_in_the_form_naming_it(clients: Clients, world: World) -> None:
    browser = clients()
    refused = ask_for_link(browser, "ei-osoite")

    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert "Enter your email address, for example name@example.org." in visible(refused.text)
    assert 'value="ei-osoite"' in refused.text


def test_signing_in_again_after_the_absolute_timeout_needs_a_new_link(
    clients: Clients, world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    browser = clients()
    sign_in(browser, world.emails[OWNER], uow_factory=uow_factory, signer=SIGNER)
    for _ in range(12):
        clock.advance(timedelta(minutes=59))
        assert browser.get("/queue").status_code == 200  # never idle for an hour

    clock.advance(minutes=12)  # twelve hours since the link

    assert browser.get("/queue").headers["location"] == "/sign-in?next=/queue"


def test_signing_in_again_on_one_browser_ends_the_session_it_held(
    clients: Clients, world: World, uow_factory: UowFactory
) -> None:
    browser = clients()
    assert sign_in(browser, world.emails[OWNER], uow_factory=uow_factory, signer=SIGNER).status_code == 303
    # A second mail's link (asked for elsewhere), opened on the browser that is signed in already.
    ask_for_link(clients(), world.emails[OWNER])
    assert follow_link(browser, newest_link_token(uow_factory, SIGNER, world.emails[OWNER])).status_code == 303

    with uow_factory() as uow:
        owner = uow.users.by_email(world.emails[OWNER])
        assert owner is not None
        assert len(uow.staff_sessions.open_of(owner.stored_id)) == 1
