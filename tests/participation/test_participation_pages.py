"""The links in the welcome email work: they open the member's pages in the real web app."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from application.participation import ground_rules, topic_wishes
from application.participation.ground_rules import SendWelcome
from domain.ground_rules import DEFAULT_RULES
from domain.values import Language
from notifications.composer import MailComposer
from notifications.kinds import WELCOME
from notifications.links import LinkSigner
from notifications.render import Renderer
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.participation.world import World, build
from web.app import create_app

BASE_URL = "http://testserver"
SIGNER = LinkSigner(b"member-rights-pages-key-0123456789")

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    return build(uow_factory, clock)


@pytest.fixture
def client(uow_factory: UowFactory, clock: FixedClock) -> TestClient:
    return TestClient(create_app(uow_factory=uow_factory, clock=clock, signer=lambda: SIGNER))


def welcome_text(uow_factory: UowFactory, clock: FixedClock, member_id: int) -> str:
    ground_rules.send_welcome(SendWelcome(panel="Itä-Helsinki"), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        (row,) = [m for m in uow.outbox.list() if m.kind == WELCOME and m.recipient_id == member_id]
    composer = MailComposer(renderer=Renderer(BASE_URL), signer=SIGNER, sender="raati@example.fi",
                            base_url=BASE_URL, mail_domain="example.fi", clock=clock)  # fmt: skip
    parsed = email.message_from_bytes(
        composer.compose(WELCOME, [row], key=row.id).as_bytes(), policy=email.policy.default
    )
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def link(text: str, path: str) -> str:
    found = re.search(rf"{re.escape(BASE_URL)}(/m/\d+/{path}\?token=\S+)", text)
    assert found is not None, f"no {path} link in the email"
    return found.group(1)


def test_the_welcome_emails_wish_link_opens_the_form_and_a_wish_arrives(
    uow_factory: UowFactory, clock: FixedClock, world: World, client: TestClient
) -> None:
    url = link(welcome_text(uow_factory, clock, world.sven), "topics")

    form = client.get(url)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert form.status_code == 200
    assert '<html lang="sv"' in form.text
    assert csrf is not None
    sent = client.post(url, data={"csrf_token": csrf.group(1), "text": "Telefontjänsten på svenska"})

    assert sent.status_code == 200
    wishes = topic_wishes.member_topic_wishes(world.sven, uow=uow_factory())
    assert [w.text for w in wishes] == ["Telefontjänsten på svenska"]


def test_a_tampered_wish_link_is_refused(
    uow_factory: UowFactory, clock: FixedClock, world: World, client: TestClient
) -> None:
    url = link(welcome_text(uow_factory, clock, world.sven), "topics").replace(
        f"/m/{world.sven}/", f"/m/{world.maija}/"
    )

    assert client.get(url).status_code == 403
    assert client.post(url, data={"text": "Aihe"}).status_code == 403
    assert topic_wishes.member_topic_wishes(world.maija, uow=uow_factory()) == []


def test_the_welcome_emails_rules_link_shows_the_rules_and_the_form_acknowledges_them(
    uow_factory: UowFactory, clock: FixedClock, world: World, client: TestClient
) -> None:
    url = link(welcome_text(uow_factory, clock, world.sven), "rules")

    shown = client.get(url)
    opened = ground_rules.member_ground_rules(world.sven, uow=uow_factory())
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert shown.status_code == 200
    assert '<html lang="sv"' in shown.text
    assert '<main id="main"' in shown.text
    assert f"<li>{DEFAULT_RULES[Language.SV][0]}</li>" in shown.text
    assert "Jag har läst spelreglerna" in shown.text
    assert opened.acknowledged_at is None  # opening the link acknowledges nothing
    assert csrf is not None

    done = client.post(url, data={"csrf_token": csrf.group(1), "version": "1"})

    assert done.status_code == 200
    assert "Tack! Du bekräftade" in done.text
    assert ground_rules.member_ground_rules(world.sven, uow=uow_factory()).acknowledged_at == clock.now()
    report = ground_rules.ground_rules_acks("Itä-Helsinki", uow=uow_factory())
    assert [s.member_id for s in report.acknowledged] == [world.sven]


def test_the_rules_page_in_another_language_and_a_stale_or_forged_form(
    uow_factory: UowFactory, clock: FixedClock, world: World, client: TestClient
) -> None:
    url = link(welcome_text(uow_factory, clock, world.maija), "rules")

    english = client.get(url + "&lang=en")
    forged = client.post(url, data={"csrf_token": "forged", "version": "1"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', english.text)
    assert csrf is not None
    stale = client.post(url, data={"csrf_token": csrf.group(1), "version": "7"})
    other = client.get(url.replace(f"/m/{world.maija}/", f"/m/{world.sven}/"))

    assert '<html lang="en"' in english.text
    assert f"<li>{escape(DEFAULT_RULES[Language.EN][-1])}</li>" in english.text
    assert forged.status_code == 403
    assert stale.status_code == 409
    assert other.status_code == 403
    assert ground_rules.ground_rules_acks("Itä-Helsinki", uow=uow_factory()).acknowledged == []
