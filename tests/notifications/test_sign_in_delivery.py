"""The sign-in mail goes out at once through the real dispatcher and SMTP: not held by the coalescing window nor by
a digest, also for an address whose member mail is a weekly digest, and with its link derived as the page checks
it (the real use case behind /sign-in writes the row)."""

from __future__ import annotations

from application.access.sign_in_links import RequestLink, request_link
from application.commands import AddMember
from application.people.preferences import ChangePreferences, change_preferences
from application.people.roster import add_member
from notifications import kinds
from notifications.links import LinkSigner, sign_in_token, sign_in_url
from notifications.outbox import OutboxStatus, RecipientKind
from tests.conftest import FixedClock
from tests.delivery.conftest import (
    BASE_URL,
    Inbox,
    Postman,
    UowFactory,
    World,
    move,
    outbox,
    postman,  # noqa: F401  (the fixture)
    signer,  # noqa: F401  (the fixture)
    world,  # noqa: F401  (the fixture)
)
from tests.integration.conftest import OWNER, PANEL
from tests.smtp.servers import smtp_server


def test_a_sign_in_link_goes_out_at_once_while_the_members_news_wait_for_their_window_and_digest(
    world: World,  # noqa: F811
    uow_factory: UowFactory,
    clock: FixedClock,
    postman: Postman,  # noqa: F811
    signer: LinkSigner,  # noqa: F811
) -> None:
    # The service owner is also a member of the panel who reads the members' news once a week.
    member = add_member(AddMember(panel=PANEL, name="Olli Omistaja", email=OWNER), uow=uow_factory(), clock=clock)
    change_preferences(ChangePreferences(member_id=member.id, delivery="digest"), uow=uow_factory(), clock=clock)
    idea = world.raise_idea(uow_factory, clock, "Pyörätelineet")
    move(uow_factory, clock, idea, "sent_to_service")
    asked = request_link(RequestLink(email=OWNER, next=f"/ideas/{idea}"), uow=uow_factory(), clock=clock, signer=signer)
    assert asked.link_id is not None

    inbox = Inbox()
    with smtp_server(inbox) as server:
        postman.deliver(server.port)  # at the very moment of the request: the coalescing window is still open

    mails = {mail.subject: mail for mail in inbox.by_recipient()[OWNER]}
    sign_in = mails["Kirjautumislinkkisi Raatiin"]
    (row,) = [r for r in outbox(uow_factory) if r.kind == kinds.SIGN_IN_LINK]
    link = sign_in_url(BASE_URL, sign_in_token(signer, row.payload["sign_in_id"], row.payload["nonce"]))
    assert link in sign_in.text
    assert sign_in.message["List-Unsubscribe"] is None
    assert row.status is OutboxStatus.SENT
    assert row.sent_as == sign_in.message_id
    waiting = [r for r in outbox(uow_factory) if r.recipient_kind is RecipientKind.MEMBER]
    assert waiting
    assert {r.status for r in waiting} == {OutboxStatus.PENDING}  # the members' news wait for their window
    assert len(mails) == 2  # the sign-in link and the idea sent to the owner's service, nothing else yet
