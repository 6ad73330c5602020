"""Every link a notification template writes leads to a page the web app serves: every kind of ``ALL_KINDS``,
composed as it goes out in Finnish, Swedish and English, each link matched against the app's own routes (with their
converters), so that a template cannot link a path no page has. Links people wrote (a meeting's video link, a
material's address) and the contact person's mail and phone are theirs; every other link is Raati's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.routing import Match

from application.surveys import survey_link
from notifications import kinds
from notifications.composer import MailComposer
from notifications.i18n import LANGUAGES
from notifications.links import LinkSigner
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import Renderer
from tests.conftest import FixedClock
from tests.notifications.samples import BASE_URL, sample
from web.app import create_app
from web.settings import WebSettings

# Answers for programs and files, not pages for a person: a mail never links them.
NOT_PAGES = ("/api/", "/static/", "/openapi.json", "/docs", "/redoc", "/healthz")
# The pages a member opens without an account: by their signed link (/m/ID/…) or a survey's one-time link.
MEMBER_PAGES = ("/m/", "/survey/")
TEXT_URL = re.compile(r"https?://[^\s<>\"]+")
SIGNER = LinkSigner(b"link-routes-test-key-0123456789abcdef")


def built_app() -> FastAPI:
    """The whole app as ``raati web`` builds it; only built: nothing here connects to a database."""

    def no_database() -> Any:
        raise AssertionError("reading the routes must not open the database")

    # A session secret of its own: building the app writes no key file into the working folder.
    settings = WebSettings(session_secret=SecretStr("link-routes-test-session-secret"))
    return create_app(uow_factory=no_database, clock=FixedClock(), signer=lambda: SIGNER, web_settings=settings)


APP = built_app()


def served(path: str) -> bool:
    """Whether a page of the app answers ``GET path``: its routes matched as the app matches them (path templates
    with their converters, included routers and all); the API, static files and the health check are no pages."""
    if path.startswith(NOT_PAGES):
        return False
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
    return any(route.matches(scope)[0] is Match.FULL for route in APP.router.routes)


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def written_by_people(value: object, base: str) -> Iterator[str]:
    """Every web address in a payload that is not Raati's own (a video link, a material's address)."""
    if isinstance(value, str):
        if value.startswith(("http://", "https://")) and not value.startswith(base.rstrip("/")):
            yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from written_by_people(inner, base)
    elif isinstance(value, list):
        for inner in value:
            yield from written_by_people(inner, base)


def payloads(kind: str, base: str) -> list[dict[str, Any]]:
    """The sample payloads, with the survey link as the survey producer makes it (one-time token in the path)."""
    found = sample(kind)
    if kind == kinds.SURVEY_INVITATION:
        found = [{**p, "survey_url": survey_link(base, "one-time-token")} for p in found]
    return found


def composed_links(kind: str, language: str, base: str) -> tuple[list[str], list[str], list[str]]:
    """The links of the HTML part (every ``href``), of the text part and of the List-Unsubscribe header of one
    mail of ``kind``."""
    composer = MailComposer(
        renderer=Renderer(base),
        signer=SIGNER,
        sender="Raati <raati@raati.example.fi>",
        base_url=base,
        mail_domain="raati.example.fi",
        clock=FixedClock(),
    )
    member = kinds.is_member_kind(kind)
    rows = [
        OutboxMessage(
            id=f"row-{number}",
            kind=kind,
            recipient_kind=RecipientKind.MEMBER if member else RecipientKind.STAFF,
            recipient_id=42,
            email="maija@example.org" if member else "pekka@example.org",
            language=language,
            payload=payload,
            created_at=datetime(2026, 3, 12, 12, 0, tzinfo=UTC),
            panel_id=1,
        )
        for number, payload in enumerate(payloads(kind, base), start=1)
    ]
    message = composer.compose(kind, rows, key="email-1")
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert isinstance(html, EmailMessage)
    assert isinstance(text, EmailMessage)
    parser = _Hrefs()
    parser.feed(html.get_content())
    in_text = [url.rstrip(".,;:)") for url in TEXT_URL.findall(text.get_content())]
    return parser.hrefs, in_text, re.findall(r"<(https?://[^>]+)>", str(message["List-Unsubscribe"] or ""))


def test_the_route_matcher_knows_the_pages_and_refuses_other_paths() -> None:
    assert served("/ideas/7")
    assert served("/meetings/3")
    assert served("/m/42/preferences")
    assert served("/survey/one-time-token")
    assert not served("/meetings/3/no-such-page")
    assert not served("/s/one-time-token")
    assert not served("/sign-out")  # a form's target (POST only) is no page to open
    assert not served("/api/ideas/7")  # the API answers JSON: no mail links it


# Every language on the site's own address; once more (Finnish) with the app behind a proxy under a path.
READERS = [*((language, BASE_URL) for language in LANGUAGES), ("fi", "https://kaupunki.example.fi/raati/")]


@pytest.mark.parametrize(("language", "base"), READERS, ids=[*LANGUAGES, "fi-under-a-path"])
@pytest.mark.parametrize("kind", sorted(kinds.ALL_KINDS))
def test_every_link_a_mail_writes_leads_to_a_page_the_app_serves(kind: str, language: str, base: str) -> None:
    in_html, in_text, unsubscribe = composed_links(kind, language, base)
    theirs = set(written_by_people(payloads(kind, base), base))
    own = [url for url in [*in_html, *in_text] if url not in theirs and not url.startswith(("mailto:", "tel:"))]
    assert own, f"{kind} links no page of Raati's"
    # RAATI_BASE_URL may carry a path (the app behind a proxy under /raati/): Raati's links keep it, once.
    root = base.rstrip("/")
    for url in [*own, *unsubscribe]:
        assert url.startswith(f"{root}/"), f"{kind} [{language}]: {url} is not under RAATI_BASE_URL {base}"
        path = urlsplit(url).path.removeprefix(urlsplit(root).path)
        assert "//" not in path, f"{kind} [{language}]: {url} has an empty path segment"
        assert served(path), f"{kind} [{language}]: no page serves {path} (from {url})"
    assert bool(unsubscribe) == kinds.is_member_kind(kind), kind  # member mail only, one click to its page
    # A member has no account: their mail links only the pages their signed link or one-time token opens; staff
    # mail links the staff pages (a member's page would open someone else's settings).
    for url in own:
        path = urlsplit(url).path.removeprefix(urlsplit(root).path)
        assert path.startswith(MEMBER_PAGES) == kinds.is_member_kind(kind), f"{kind} [{language}]: {url}"
    # Both parts lead to the same pages: a reader of the plain text is not left a link short.
    assert {u.replace("&amp;", "&") for u in own if u in in_html} == {u for u in own if u in in_text}, kind
