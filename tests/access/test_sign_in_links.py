"""Signing in by a one-time link by email, the use cases over the fake unit of work: one link a request for an active
user's address and nothing for any other, the rate limits, once only, 15 minutes, bound to its user, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.access.accounts import SetUserActive, set_user_active
from application.access.audit import client_network
from application.access.sessions import session_actor
from application.access.sign_in_links import (
    LinkRequest,
    RequestLink,
    address_hash,
    check_link,
    follow_link,
    purge_sign_in,
    request_link,
    send_link,
    take_request,
)
from application.access.tokens import add_user_with_token
from application.commands import AddService, AddUser, CreatePanel
from application.people.roster import add_service, create_panel
from domain.errors import InvalidValue
from domain.events import Aggregate, EventType
from domain.sign_in import LinkProblem
from domain.values import Language, Role
from notifications import kinds
from notifications.links import LinkSigner, sign_in_token
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

OWNER = "omistaja@example.fi"
MANAGER = "johto@example.fi"
NET = "203.0.113.0/24"
SIGNER = LinkSigner(b"sign-in-link-tests-key-0123456789")


@pytest.fixture
def staff(uow: FakeUnitOfWork, clock: FixedClock) -> dict[str, int]:
    create_panel(CreatePanel(name="Raati"), uow=uow, clock=clock)
    add_service(AddService(name="Suun terveys", panel="Raati"), uow=uow, clock=clock)
    ids = {}
    for cmd in (
        AddUser(email=OWNER, role=Role.SERVICE_OWNER, service="Suun terveys", language="sv", greeting_name="Stina"),
        AddUser(email=MANAGER, role=Role.MANAGER),
    ):
        ids[cmd.email] = add_user_with_token(cmd, uow=uow, clock=clock).user.stored_id
    return ids


def ask(uow: FakeUnitOfWork, clock: FixedClock, email: str, *, client: str | None = NET, next: str | None = None):
    return request_link(RequestLink(email=email, next=next, client=client), uow=uow, clock=clock, signer=SIGNER)


def links(uow: FakeUnitOfWork):
    with uow:
        rows = [m for m in uow.outbox.list() if m.kind == kinds.SIGN_IN_LINK]
    return sorted(rows, key=lambda m: m.payload["sign_in_id"])


def token_of(uow: FakeUnitOfWork, index: int = -1) -> str:
    row = links(uow)[index]
    return sign_in_token(SIGNER, row.payload["sign_in_id"], row.payload["nonce"])


def follow(uow: FakeUnitOfWork, clock: FixedClock, token: str):
    return follow_link(token, client=NET, user_agent="Firefox", uow=uow, clock=clock)


def test_an_active_users_address_queues_one_link_in_their_language_with_no_secret(uow, clock, staff) -> None:
    asked = ask(uow, clock, "  Omistaja@Example.fi ", next="/ideas/3")

    (row,) = links(uow)
    assert asked == LinkRequest(link_id=row.payload["sign_in_id"])
    assert (row.email, row.language, row.recipient_id, row.kind) == (OWNER, "sv", staff[OWNER], "sign_in_link")
    assert row.payload == {
        "sign_in_id": asked.link_id,
        "nonce": row.payload["nonce"],
        "expires_at": (clock.now() + timedelta(minutes=15)).isoformat(),
        "next": "/ideas/3",
        "greeting_name": "Stina",
    }
    (stored,) = uow.data.access.links
    token = token_of(uow)
    assert token not in repr(uow.data)  # neither the outbox nor the link's row holds the token
    assert stored.token_hash not in repr(row.payload)
    # The dispatcher is woken at once; the event is announced, not kept in the log.
    (woken,) = uow.announced
    assert (woken.aggregate, woken.aggregate_id, woken.type) == (
        Aggregate.USER,
        staff[OWNER],
        EventType.SIGN_IN_LINK_REQUESTED,
    )
    assert EventType.SIGN_IN_LINK_REQUESTED not in {e.type for e in uow.events.all()}
    audit = uow.data.access.audit[-1]
    assert (audit.event, audit.user_id, audit.method, audit.client) == (
        "link_requested",
        staff[OWNER],
        "email_link",
        NET,
    )


def test_a_manager_without_panels_gets_a_link_counted_under_a_panel(uow, clock, staff) -> None:
    ask(uow, clock, MANAGER)

    (row,) = links(uow)
    assert (row.email, row.language, row.panel_id) == (MANAGER, "fi", 1)


def test_the_mail_is_in_the_users_saved_language_else_in_the_language_they_asked_in(uow, clock, staff) -> None:
    for language in ("en", "de", None):
        request_link(RequestLink(email=MANAGER, language=language), uow=uow, clock=clock, signer=SIGNER)
    request_link(RequestLink(email=OWNER, language="en"), uow=uow, clock=clock, signer=SIGNER)

    assert [(row.email, row.language) for row in links(uow)] == [
        (MANAGER, "en"),
        (MANAGER, "fi"),
        (MANAGER, "fi"),
        (OWNER, "sv"),  # saved
    ]


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_link(uow, clock, staff) -> None:
    set_user_active(SetUserActive(email=MANAGER, active=False), uow=uow, clock=clock)

    assert ask(uow, clock, "nobody@example.fi") == LinkRequest()
    assert ask(uow, clock, MANAGER) == LinkRequest()

    assert links(uow) == []
    assert uow.announced == []
    # Counted all the same, by the address's hash only.
    hashes = [address_hash("nobody@example.fi", SIGNER), address_hash(MANAGER, SIGNER)]
    assert [r[0] for r in uow.data.access.requests] == hashes
    assert "nobody@example.fi" not in repr(uow.data)


def test_something_that_is_not_an_address_is_refused_naming_the_field(uow, clock, staff) -> None:
    for typed in ("", "   ", "not-an-address", "a@" + "b" * 300 + ".fi"):
        with pytest.raises(InvalidValue) as refused:
            ask(uow, clock, typed)
        assert refused.value.field == "email"
    assert uow.data.access.requests == []


def test_the_sixth_request_for_one_address_in_15_minutes_is_refused_and_sends_nothing(uow, clock, staff) -> None:
    first = clock.now()
    for minute in range(5):
        clock.set(first + timedelta(minutes=minute))
        assert not ask(uow, clock, OWNER, client=None).limited

    clock.set(first + timedelta(minutes=14))
    sixth = ask(uow, clock, OWNER, client=None)

    assert sixth.retry_after == first + timedelta(minutes=15)  # when the first request leaves the window
    assert len(links(uow)) == 5
    clock.set(first + timedelta(minutes=15))
    assert not ask(uow, clock, OWNER, client=None).limited
    assert len(links(uow)) == 6


def test_the_twenty_first_request_from_one_network_is_refused_whatever_the_address(uow, clock, staff) -> None:
    for number in range(20):
        assert not ask(uow, clock, f"visitor{number}@example.fi", client=client_network("203.0.113.7")).limited

    refused = ask(uow, clock, OWNER, client=client_network("203.0.113.200"))

    assert refused.retry_after == clock.now() + timedelta(minutes=15)
    assert links(uow) == []
    assert not ask(uow, clock, OWNER, client=client_network("198.51.100.7")).limited


def test_with_its_full_address_a_client_is_counted_by_that_address_not_by_its_network(uow, clock, staff) -> None:
    def from_(host: str, email: str) -> LinkRequest:
        asked = RequestLink(email=email, client=client_network(host), client_address=host)
        return request_link(asked, uow=uow, clock=clock, signer=SIGNER)

    for number in range(20):
        assert not from_("203.0.113.7", f"visitor{number}@example.fi").limited

    assert from_("203.0.113.7", "one.more@example.fi").limited
    # A colleague behind the same /24 asks on: the city's staff do not share one bucket.
    assert not from_("203.0.113.8", OWNER).limited
    # The address is kept only as its keyed hash, never as itself or its network.
    assert {r[1] for r in uow.data.access.requests} == {
        SIGNER.keyed("sign_in_client", "203.0.113.7"),
        SIGNER.keyed("sign_in_client", "203.0.113.8"),
    }


def test_counting_a_request_is_the_same_work_for_a_users_address_and_an_unknown_one(uow, clock, staff) -> None:
    for email in (OWNER, "nobody@example.fi"):
        assert take_request(RequestLink(email=email, client=NET), uow=uow, clock=clock, signer=SIGNER) == LinkRequest()

    # One request row each, both counted while holding their keys; no link, no mail, no wake-up yet.
    assert len(uow.data.access.requests) == 2
    assert uow.data.access.locked == [
        tuple(sorted((address_hash(email, SIGNER), NET))) for email in (OWNER, "nobody@example.fi")
    ]
    assert links(uow) == []
    assert uow.announced == []
    # The second step queues the user's link only.
    assert send_link(RequestLink(email="nobody@example.fi"), uow=uow, clock=clock, signer=SIGNER) is None
    assert send_link(RequestLink(email=OWNER), uow=uow, clock=clock, signer=SIGNER) is not None
    assert len(links(uow)) == 1


def test_a_link_signs_its_user_in_once_and_lands_on_its_next_page(uow, clock, staff) -> None:
    ask(uow, clock, OWNER, next="/ideas/3")
    token = token_of(uow)
    clock.advance(minutes=14, seconds=59)
    assert check_link(token, uow=uow, clock=clock) is None

    followed = follow(uow, clock, token)

    assert followed.signed_in is not None
    assert (followed.signed_in.actor.name, followed.next) == (OWNER, "/ideas/3")
    assert session_actor(followed.signed_in.session_id, uow=uow, clock=clock) is not None
    assert followed.signed_in.session.method == "email_link"
    again = follow(uow, clock, token)
    assert (again.signed_in, again.problem) == (None, LinkProblem.USED)
    assert check_link(token, uow=uow, clock=clock) is LinkProblem.USED


def test_a_link_expires_after_15_minutes(uow, clock, staff) -> None:
    ask(uow, clock, OWNER)
    token = token_of(uow)
    clock.advance(minutes=15)

    assert check_link(token, uow=uow, clock=clock) is LinkProblem.EXPIRED
    assert follow(uow, clock, token).problem is LinkProblem.EXPIRED


def test_each_link_signs_in_only_its_own_user_and_a_made_up_one_nobody(uow, clock, staff) -> None:
    ask(uow, clock, OWNER)
    ask(uow, clock, MANAGER)

    manager = follow(uow, clock, token_of(uow, 1)).signed_in
    owner = follow(uow, clock, token_of(uow, 0)).signed_in

    assert manager is not None
    assert owner is not None
    assert (manager.actor.name, manager.actor.role) == (MANAGER, Role.MANAGER)
    assert (owner.actor.name, owner.actor.role) == (OWNER, Role.SERVICE_OWNER)
    forged = sign_in_token(SIGNER, 3, "ab" * 16)  # the next link's id, a nonce of one's own
    other_key = sign_in_token(LinkSigner(b"another-key-0123456789abcdef"), 1, links(uow)[0].payload["nonce"])
    for token in (forged, other_key, "", "x" * 43, "ä" * 43, "y" * 5000):
        assert follow(uow, clock, token).problem is LinkProblem.INVALID


def test_a_link_of_a_user_deactivated_since_opens_nothing(uow, clock, staff) -> None:
    ask(uow, clock, OWNER)
    set_user_active(SetUserActive(email=OWNER, active=False), uow=uow, clock=clock)

    assert follow(uow, clock, token_of(uow)).problem is LinkProblem.INVALID


def test_failed_links_are_audited_with_their_user_and_reason_and_never_the_token(uow, clock, staff) -> None:
    ask(uow, clock, OWNER)
    token = token_of(uow)
    follow(uow, clock, token)
    follow(uow, clock, token)
    follow(uow, clock, "made-up-token")

    failed = [e for e in uow.data.access.audit if e.event == "sign_in_failed"]
    assert [(e.user_id, e.detail, e.client) for e in failed] == [(staff[OWNER], "used", NET), (None, "invalid", NET)]
    assert token not in repr(uow.data.access.audit)
    assert "made-up-token" not in repr(uow.data.access.audit)


def test_spent_links_and_old_requests_are_purged_after_a_day(uow, clock, staff) -> None:
    ask(uow, clock, OWNER)
    clock.advance(days=1, minutes=-1)
    with uow:
        assert purge_sign_in(uow, now=clock.now()) == 0
        uow.commit()
    clock.advance(minutes=17)
    with uow:
        assert purge_sign_in(uow, now=clock.now()) == 2  # the link, expired a day ago, and its request
        uow.commit()
    assert uow.data.access.links == []
    assert uow.data.access.requests == []
    assert uow.data.users[staff[OWNER]].language is Language.SV


@pytest.mark.parametrize(
    ("host", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("[2001:db8::1]", "2001:db8::/48"),
        ("testclient", None),
        ("", None),
        (None, None),
    ],
)
def test_a_client_is_kept_as_its_network_never_its_full_address(host: str | None, network: str | None) -> None:
    assert client_network(host) == network
