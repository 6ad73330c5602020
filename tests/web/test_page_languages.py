"""The page's language: the signed-in user's saved choice, else the switcher's cookie, else Accept-Language,
else Finnish; html lang is right and content in another language carries its own lang; plurals and dates are
the language's own."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from application.commands import UpdateUser
from application.people.roster import update_user
from notifications.links import PREFERENCES, LinkSigner
from tests.api.conftest import COORD, OWNER, World
from tests.conftest import FixedClock
from tests.sign_in import ask_for_link, follow_link, newest_link_token
from tests.web.conftest import Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s); CI runs them on SQLite and PostgreSQL

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def lang_of(page: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', page)
    assert found, page[:200]
    return found.group(1)


def test_a_stranger_reads_the_browsers_language_else_finnish(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert lang_of(client.get("/").text) == "fi"
        swedish = client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
        assert lang_of(swedish.text) == "sv"
        assert "Logga in" in swedish.text
        english = client.get("/sign-in", headers={"Accept-Language": "en-GB"})
        assert (lang_of(english.text), "Email address" in english.text) == ("en", True)
        assert lang_of(client.get("/", headers={"Accept-Language": "de-DE,de"}).text) == "fi"


def test_the_switcher_keeps_the_choice_over_the_browsers_language(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1", headers={"Accept-Language": "en"}) as client:
        page = client.get("/sign-in").text
        assert '<button type="submit" class="link" name="language" value="sv" lang="sv">svenska</button>' in page

        switched = client.post(
            "/language", data={"language": "sv", "next": "/sign-in", "csrf_token": csrf(page)}, follow_redirects=False
        )

        assert (switched.status_code, switched.headers["location"]) == (303, "/sign-in")
        assert lang_of(client.get("/sign-in").text) == "sv"


def test_a_signed_in_users_choice_is_saved_with_their_account(
    signed_in: Signed, world: World, uow_factory, app
) -> None:
    owner = signed_in(OWNER, "fi")
    page = owner.get("/queue").text

    owner.post("/language", data={"language": "sv", "next": "/queue", "csrf_token": csrf(page)})

    with uow_factory() as uow:
        user = uow.users.by_email("suu@ita.example")
        assert user is not None
        assert user.language is not None
        assert user.language.value == "sv"
    # Another browser, another Accept-Language, no cookie: the saved choice wins.
    elsewhere = signed_in(OWNER, "en-GB")
    assert lang_of(elsewhere.get("/queue").text) == "sv"


def test_finnish_content_on_a_swedish_page_is_marked_and_plurals_and_dates_are_swedish(
    signed_in: Signed, world: World
) -> None:
    coordinator = signed_in(COORD, "sv-FI")

    page = coordinator.get("/queue").text

    assert lang_of(page) == "sv"
    assert '<span lang="fi">Ajanvaraus verkossa</span>' in page
    assert "2 öppna idéer" in page
    assert "1 medlem per e-post" not in page or "medlemmar" in page
    assert not ISO_DATE.search(visible(page))
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4} kl\. \d{1,2}\.\d{2}", visible(page))


def test_one_open_idea_is_singular(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER, "fi")
    assert "1 avoin idea" in owner.get("/queue").text
    english = signed_in(OWNER, "en")
    assert "1 open idea<" in english.get("/queue").text


def test_a_members_invalid_link_page_follows_the_browser(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/m/1/preferences?token=nope", headers={"Accept-Language": "sv-FI"})
    assert page.status_code == 403
    assert lang_of(page.text) == "sv"
    assert "Länken är inte giltig" in page.text


def test_the_too_large_page_speaks_the_browsers_language(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.post(
            "/sign-in",
            content=b"x" * (2 * 1024 * 1024),
            headers={"Accept-Language": "sv", "Content-Type": "text/plain"},
        )
    assert page.status_code == 413
    assert lang_of(page.text) == "sv"
    assert "större än 1 MB" in page.text


def test_a_members_topic_wish_with_a_phone_number_is_refused_with_the_number_highlighted(
    app, world: World, uow_factory
) -> None:
    signer = LinkSigner(b"k" * 32)  # the key of the API tests' app
    with uow_factory() as uow:
        (aino,) = [m for m in uow.members.for_panel(world.panel_a) if m.email == "aino@example.org"]
    member_id = aino.stored_id
    link = f"/m/{member_id}/topics?token={signer.sign(PREFERENCES, member_id)}"
    with TestClient(app, base_url="http://127.0.0.1") as client:
        form = client.get(link)
        assert form.status_code == 200, form.text
        refused = client.post(link, data={"text": "Soittakaa 040 123 4567", "csrf_token": csrf(form.text)})

    assert refused.status_code == 422
    assert "puhelinnumero" in refused.text
    assert re.search(r"<mark>.*040 123 4567</mark>", refused.text)


def test_a_sign_in_link_opens_in_the_language_of_its_mail_unless_the_browser_chose_one(
    world: World, uow_factory, link_signer, app
) -> None:
    with uow_factory() as uow:  # the owner reads Raati in Swedish
        user = uow.users.by_email(world.emails[OWNER])
        assert user is not None
    update_user(UpdateUser(email=user.email, language="sv", actor=user.email), uow=uow_factory(), clock=FixedClock())
    finnish = TestClient(app, base_url="http://127.0.0.1", headers={"Accept-Language": "fi"}, follow_redirects=False)
    ask_for_link(finnish, user.email)
    token = newest_link_token(uow_factory, link_signer, user.email)

    assert lang_of(finnish.get(f"/sign-in/link/{token}").text) == "sv"  # as the mail was
    chosen = TestClient(app, base_url="http://127.0.0.1", cookies={"raati_lang": "en"}, follow_redirects=False)
    assert lang_of(chosen.get(f"/sign-in/link/{token}").text) == "en"  # this browser's own choice stays
    assert follow_link(finnish, token).status_code == 303
    used = finnish.get(f"/sign-in/link/{token}")
    assert used.status_code == 410
    assert lang_of(used.text) == "sv"  # "already used", said in the mail's language too
