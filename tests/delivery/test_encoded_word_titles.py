"""A title typed as RFC 2047 encoded-words arrives as typed: no injected header, through the real path.

``raati idea raise --title`` accepts the title (a person may type ``=?``), ``raati idea move`` tells
the service's owner and the members, and ``raati outbox dispatch`` sends to aiosmtpd on 127.0.0.1;
the bytes the server received are read back with ``email.policy.default``.
"""

from __future__ import annotations

import base64
import json

import pytest

from notifications.outbox import OutboxStatus
from tests.delivery.conftest import Inbox, RaatiCli, Received, UowFactory, outbox
from tests.integration.conftest import OWNER, SERVICE, World
from tests.notifications.test_header_injection import (
    ATTACKER,
    MEMBER_HEADERS,
    STAFF_HEADERS,
    assert_only_raatis_headers,
)
from tests.smtp.servers import smtp_server

TITLES = {
    "q-utf8-bcc": "=?utf-8?q?Hi=0D=0ABcc:_evil=40attacker.example?=",
    "b-latin1-reply-to": "=?iso-8859-1?b?"
    + base64.b64encode(f"Hyvä\r\nReply-To: {ATTACKER}".encode("iso-8859-1")).decode("ascii")
    + "?=",
    "q-double-line-break": "=?utf-8?q?Hi=0D=0A=0D=0A--boundary=0D=0AContent-Type:_text/html?=",
}
# The sender's display name is configured, not typed, but is held to the same rule.
SENDER = '"=?utf-8?q?Raati=0D=0ABcc:_evil=40attacker.example?=" <raati@raati.test>'


def assert_arrived_intact(received: Received, title: str, headers: list[str]) -> None:
    message = assert_only_raatis_headers(received.raw, headers)  # each exactly once, nothing more
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert received.subject.endswith(title)  # the encoded-word as typed, not what it encodes
    assert title in received.text
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "raati@raati.test"
    assert message["To"] == received.to


@pytest.mark.parametrize("title", list(TITLES.values()), ids=list(TITLES))
def test_a_title_of_encoded_words_reaches_the_owner_and_the_members_literally_with_no_header_of_its_own(
    world: World, uow_factory: UowFactory, raati: RaatiCli, title: str
) -> None:
    raised = raati("idea", "raise", "--meeting", str(world.meeting_id), "--title", title, "--json")
    assert raised.code == 0, raised.err
    idea = json.loads(raised.out)
    assert idea["title"] == title  # kept, not refused: a person may type "=?"
    moved = raati("idea", "move", str(idea["id"]), "sent_to_service", "--service", SERVICE, "--json")
    assert moved.code == 0, moved.err

    inbox = Inbox()
    with smtp_server(inbox) as server:
        env = {"RAATI_SMTP_PORT": str(server.port), "RAATI_SMTP_SENDER": SENDER}
        dispatched = raati("outbox", "dispatch", "--json", env=env)
    assert dispatched.code == 0, dispatched.err

    mail = inbox.by_recipient()
    assert sorted(mail) == sorted([*world.members, OWNER])
    assert ATTACKER not in mail
    for address, received in mail.items():
        (one,) = received
        assert_arrived_intact(one, title, STAFF_HEADERS if address == OWNER else MEMBER_HEADERS)
    assert {row.status for row in outbox(uow_factory)} == {OutboxStatus.SENT}
