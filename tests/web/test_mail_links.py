"""Every staff mail links pages that exist for its reader: the mails the real producers queue (an idea sent to a
service, the chasing's reminders and escalations, the pre-brief's alerts, the summary's reminders), composed as
they go out, and each of their links followed in the app, signed in as the person the mail went to."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from application.ideas.chasing import chase_stale_ideas
from application.meetings.follow_up import follow_up_meetings
from application.meetings.prebriefs import send_due_prebriefs
from notifications import kinds
from notifications.composer import MailComposer
from notifications.links import LinkSigner
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import Renderer
from tests.api.conftest import (
    CALLERS,
    World,
    app,  # noqa: F401  (the fixture)
)
from tests.web.conftest import Signed, csrf

pytestmark = pytest.mark.slow  # the whole web app, and the producers over weeks of the test clock

BASE_URL = "https://raati.example.fi"
# The staff users of tests/api/conftest.py by address.
ADDRESSES = {
    "koordinaattori@ita.example": "coordinator",
    "koordinaattori@lansi.example": "coordinator_other",
    "suu@ita.example": "owner",
    "perhe@ita.example": "owner_other",
    "johto@example.org": "manager",
}
LINK = re.compile(r'href="(' + re.escape(BASE_URL) + r'[^"]*)"')


def staff_rows(uow_factory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return [r for r in uow.outbox.list() if r.recipient_kind is RecipientKind.STAFF]


def links(row: OutboxMessage, clock) -> set[str]:
    composer = MailComposer(
        renderer=Renderer(BASE_URL),
        signer=LinkSigner(b"k" * 32),
        sender="Raati <raati@raati.example.fi>",
        base_url=BASE_URL,
        mail_domain="raati.example.fi",
        clock=clock,
    )
    message = composer.compose(row.kind, [row], key=row.id)
    html, text = message.get_body(("html",)), message.get_body(("plain",))
    assert html is not None
    assert text is not None
    in_html = set(LINK.findall(html.get_content()))
    in_text = set(re.findall(re.escape(BASE_URL) + r"/\S*", text.get_content()))
    assert {u.replace("&amp;", "&") for u in in_html} == in_text, row.kind  # both bodies link the same pages
    return in_text


def test_every_link_in_every_staff_mail_opens_a_page_for_its_reader(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    assert set(ADDRESSES.values()) == set(CALLERS)
    start = clock.now()
    # Over the next weeks: the sent idea waits on its service (reminders, then escalations), the raised one on
    # its coordinator; the meeting without a place alerts its coordinators, happens, and waits for its summary.
    for days in (15, 26, 27, 29, 31, 32, 40):
        clock.set(start + timedelta(days=days))
        chase_stale_ideas(uow_factory=uow_factory, clock=clock)
        send_due_prebriefs(uow_factory=uow_factory, clock=clock)
        follow_up_meetings(uow_factory=uow_factory, clock=clock)
    rows = staff_rows(uow_factory)
    assert {r.kind for r in rows} >= {kinds.IDEA_SENT_TO_SERVICE, kinds.REMINDER, kinds.ESCALATION}
    subjects = {item["subject"] for r in rows if "items" in r.payload for item in r.payload["items"]}
    assert subjects == {"idea", "prebrief", "summary"}

    # A reminder or escalation of several items also links the page listing them all: each reader's items together.
    together: dict[tuple[str, str], list[OutboxMessage]] = {}
    for row in rows:
        if "items" in row.payload:
            together.setdefault((row.email, row.kind), []).append(row)
    combined = [
        replace(same[0], id=f"{same[0].id}-all", payload={**same[0].payload, "items": items})
        for same in together.values()
        if len(items := [item for r in same for item in r.payload["items"]]) > 1
    ]
    assert combined

    clients = {}
    followed: set[str] = set()
    for row in [*rows, *combined]:
        who = ADDRESSES[row.email]
        client = clients.get(who) or clients.setdefault(who, signed_in(who, row.language))
        found = links(row, clock)
        assert found, f"{row.kind} to {who} links nothing"
        for url in found:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = client.get(path)
            assert response.status_code == 200, (row.kind, who, path, response.status_code)
            followed.add(re.sub(r"/\d+$", "/N", parts.path))
    assert followed == {"/ideas/N", "/meetings/N", "/queue", "/dashboard"}


def test_a_meeting_link_opened_without_a_session_lands_on_the_meeting_after_the_mailed_sign_in_link(
    app,  # noqa: F811
    world: World,
    uow_factory,
    clock,
) -> None:
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as browser:
        asked = browser.get(f"/meetings/{world.meeting_a}")
        assert asked.status_code == 303
        form = browser.get(asked.headers["location"])
        sent = browser.post(
            "/sign-in",
            data={
                "email": "koordinaattori@ita.example",
                "next": f"/meetings/{world.meeting_a}",
                "csrf_token": csrf(form.text),
            },
        )
        assert sent.status_code == 200
        (row,) = [r for r in staff_rows(uow_factory) if r.kind == kinds.SIGN_IN_LINK]
        (link,) = links(row, clock)
        assert link.startswith(f"{BASE_URL}/sign-in/link/")

        path = urlsplit(link).path
        button = browser.get(path)
        assert button.status_code == 200
        signed = browser.post(path, data={"csrf_token": csrf(button.text)})
        assert signed.status_code == 303
        assert signed.headers["location"] == f"/meetings/{world.meeting_a}"
        assert browser.get(signed.headers["location"]).status_code == 200
        assert browser.get(path).status_code == 410  # used: it works once
