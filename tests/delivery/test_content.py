"""What arrives: the right people, their language, the members' answer, safe headers and HTML."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update

from application.commands import RaiseIdea
from application.ideas.changes import raise_idea
from domain.errors import InvalidValue
from notifications.links import UNSUBSCRIBE, LinkSigner
from notifications.outbox import OutboxStatus
from persistence.tables import IdeaRow
from tests.conftest import FixedClock
from tests.delivery.conftest import COALESCE, Inbox, Postman, UowFactory, World, move, outbox, token_of
from tests.integration.conftest import INACTIVE_MEMBER, OWNER
from tests.smtp.servers import smtp_server

DECLINE_REASON = "Takaisinsoittoon ei ole tänä vuonna rahoitusta, palaamme asiaan syksyllä."
OUTCOME = "Iltavastaanotto on nyt auki torstaisin kello 20 asti."
# Words only the member's own language uses for "implemented" and "declined".
STATE_WORDS = {
    "fi": ("toteutettu", "ei etene"),
    "sv": ("genomförd", "går inte vidare"),
    "en": ("implemented", "not going ahead"),
}


@pytest.mark.slow
def test_every_member_hears_in_their_language_why_an_idea_was_declined_and_what_was_done(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman, signer: LinkSigner
) -> None:
    implemented = world.raise_idea(uow_factory, clock, "Iltavastaanotto")
    declined = world.raise_idea(uow_factory, clock, "Takaisinsoitto")
    move(uow_factory, clock, implemented, "sent_to_service")
    move(uow_factory, clock, implemented, "in_progress", actor=OWNER)
    move(uow_factory, clock, implemented, "implemented", note=OUTCOME, actor=OWNER)
    move(uow_factory, clock, declined, "declined", note=DECLINE_REASON)
    clock.advance(seconds=COALESCE.total_seconds() + 1)

    inbox = Inbox()
    with smtp_server(inbox) as server:
        report = postman.deliver(server.port)

    mail = inbox.by_recipient()
    assert sorted(mail) == sorted([*world.members, OWNER])
    assert INACTIVE_MEMBER[1] not in mail
    assert all(len(received) == 1 for received in mail.values())
    assert report.emails == 4
    for address, (member_id, language) in world.members.items():
        (received,) = mail[address]
        assert received.message["Content-Language"] == language
        implemented_word, declined_word = STATE_WORDS[language]
        for body in (received.text, received.html):
            assert implemented_word in body
            assert declined_word in body
            assert DECLINE_REASON in body
            assert OUTCOME in body
        assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "mailto:" in str(received.message["List-Unsubscribe"])
        link_member, token = token_of(received.unsubscribe_url())
        assert link_member == member_id
        assert signer.verify(UNSUBSCRIBE, member_id, token)
    (staff,) = mail[OWNER]
    assert staff.message["List-Unsubscribe"] is None
    assert staff.message["List-Unsubscribe-Post"] is None
    assert "Iltavastaanotto" in staff.subject

    rows = outbox(uow_factory)
    assert len(rows) == 3 * 4 + 1
    for row in rows:
        assert row.status is OutboxStatus.SENT
        (received,) = mail[row.email]
        assert row.sent_as == received.message_id
        assert row.sent_at == clock.now()


def test_a_title_with_a_line_break_and_bcc_adds_no_header_and_html_in_the_text_arrives_escaped(
    world: World, uow_factory: UowFactory, clock: FixedClock, postman: Postman, engine: Engine
) -> None:
    hostile_title = "Parempi ajanvaraus\r\nBcc: evil@example.org"
    hostile_reason = "Ei onnistu <script>alert('x')</script> & <b>lihavoitu</b>"
    with pytest.raises(InvalidValue):
        raise_idea(RaiseIdea(meeting_id=world.meeting_id, title=hostile_title), uow=uow_factory(), clock=clock)
    # The domain refuses such a title; a row written before that rule (or by hand) still must not inject.
    idea_id = world.raise_idea(uow_factory, clock, "Parempi ajanvaraus")
    with engine.begin() as connection:
        connection.execute(update(IdeaRow).where(IdeaRow.id == idea_id).values(title=hostile_title))
    move(uow_factory, clock, idea_id, "declined", note=hostile_reason)
    clock.advance(seconds=COALESCE.total_seconds() + 1)

    inbox = Inbox()
    with smtp_server(inbox) as server:
        postman.deliver(server.port)

    assert len(inbox.received) == len(world.members)
    recipients = {r for received in inbox.received for r in received.rcpt_tos}
    assert recipients == set(world.members)
    assert "evil@example.org" not in recipients
    for received in inbox.received:
        assert received.message["Bcc"] is None
        assert not any(line.lower().startswith("bcc:") for line in received.raw_headers.split("\r\n"))
        assert "\r" not in received.subject
        assert "\n" not in received.subject
        assert "Parempi ajanvaraus Bcc: evil@example.org" in received.subject
        assert "<script" not in received.html.lower()
        assert "&lt;script&gt;" in received.html
        assert "&lt;b&gt;lihavoitu&lt;/b&gt;" in received.html
    assert {row.status for row in outbox(uow_factory)} == {OutboxStatus.SENT}
