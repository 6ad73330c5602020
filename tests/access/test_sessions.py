"""Staff web sessions over the fake unit of work: a session belongs to its user, ends on signing out, after the idle
or the absolute timeout, when the user or a coordinator of their panels ends it, and when the user is deactivated."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from application.access.accounts import SetUserActive, set_user_active
from application.access.sessions import (
    EndSessions,
    active_sessions,
    end_sessions,
    session_actor,
    sign_out,
    start_session,
)
from application.access.tokens import IssueToken, add_user_with_token, authenticate, issue_token
from application.commands import AddService, AddUser, CreatePanel
from application.people.roster import add_service, create_panel
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.sign_in import AuditEvent, SessionRules
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

COORDINATOR = "koordinaattori@example.fi"
OTHER_COORDINATOR = "toinen@example.fi"
OWNER = "omistaja@example.fi"
RULES = SessionRules(idle=timedelta(minutes=60), absolute=timedelta(hours=12))


@pytest.fixture
def staff(uow: FakeUnitOfWork, clock: FixedClock) -> dict[str, int]:
    """Two panels; a coordinator of each, and a service owner in the first. Their user ids by address."""
    create_panel(CreatePanel(name="Raati"), uow=uow, clock=clock)
    create_panel(CreatePanel(name="Toinen raati"), uow=uow, clock=clock)
    add_service(AddService(name="Suun terveys", panel="Raati"), uow=uow, clock=clock)
    ids = {}
    for cmd in (
        AddUser(email=COORDINATOR, role=Role.COORDINATOR, panel="Raati"),
        AddUser(email=OTHER_COORDINATOR, role=Role.COORDINATOR, panel="Toinen raati"),
        AddUser(email=OWNER, role=Role.SERVICE_OWNER, service="Suun terveys"),
    ):
        ids[cmd.email] = add_user_with_token(cmd, uow=uow, clock=clock).user.stored_id
    return ids


def sign_in(uow: FakeUnitOfWork, clock: FixedClock, user_id: int, *, client: str | None = "203.0.113.0/24"):
    return start_session(
        user_id=user_id, method="email_link", client=client, user_agent="Firefox", uow=uow, clock=clock, rules=RULES
    )


def actor(uow: FakeUnitOfWork, clock: FixedClock, session_id: str) -> Actor | None:
    return session_actor(session_id, uow=uow, clock=clock, rules=RULES)


def test_signing_out_ends_that_session_only(uow, clock, staff) -> None:
    laptop, phone = sign_in(uow, clock, staff[OWNER]), sign_in(uow, clock, staff[OWNER])
    assert laptop.session_id != phone.session_id

    assert sign_out(laptop.session_id, uow=uow, clock=clock)

    assert actor(uow, clock, laptop.session_id) is None
    signed_in = actor(uow, clock, phone.session_id)
    assert signed_in is not None
    assert signed_in.name == OWNER
    assert not sign_out(laptop.session_id, uow=uow, clock=clock)  # once is enough
    events = [e.event for e in uow.data.access.audit if e.user_id == staff[OWNER]]
    assert events == [AuditEvent.TOKEN_CREATED, AuditEvent.SIGNED_IN, AuditEvent.SIGNED_IN, AuditEvent.SIGNED_OUT]


def test_only_the_hash_of_the_session_id_is_kept_with_the_client_network(uow, clock, staff) -> None:
    signed_in = sign_in(uow, clock, staff[OWNER])

    (kept,) = uow.data.access.sessions
    assert kept.session_hash == hashlib.sha256(signed_in.session_id.encode()).hexdigest()
    assert signed_in.session_id not in repr(uow.data)
    assert (kept.stored.method, kept.stored.client, kept.stored.user_agent) == (
        "email_link",
        "203.0.113.0/24",
        "Firefox",
    )
    assert kept.stored.created_at == kept.stored.last_seen_at == clock.now()
    assert kept.stored.expires_at == clock.now() + timedelta(hours=12)


def test_a_session_ends_after_an_hour_without_a_request(uow, clock, staff) -> None:
    signed_in = sign_in(uow, clock, staff[OWNER])
    clock.advance(minutes=59)
    assert actor(uow, clock, signed_in.session_id) is not None  # a request: the idle hour starts again
    clock.advance(minutes=59)
    assert actor(uow, clock, signed_in.session_id) is not None

    clock.advance(minutes=60)

    assert actor(uow, clock, signed_in.session_id) is None
    assert uow.staff_sessions.ended() == [(signed_in.session.id, "idle")]


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(uow, clock, staff) -> None:
    signed_in = sign_in(uow, clock, staff[OWNER])
    for _ in range(11):
        clock.advance(minutes=59)
        assert actor(uow, clock, signed_in.session_id) is not None
    clock.set(signed_in.session.created_at + timedelta(hours=12))

    assert actor(uow, clock, signed_in.session_id) is None
    assert uow.staff_sessions.ended() == [(signed_in.session.id, "expired")]


def test_activity_is_written_at_most_once_a_minute(uow, clock, staff) -> None:
    signed_in = sign_in(uow, clock, staff[OWNER])
    commits = uow.commits
    for _ in range(5):
        clock.advance(seconds=10)
        assert actor(uow, clock, signed_in.session_id) is not None
    assert uow.commits == commits  # reads only
    clock.advance(seconds=10)  # a minute since signing in

    assert actor(uow, clock, signed_in.session_id) is not None
    assert uow.commits == commits + 1
    assert uow.data.access.sessions[0].stored.last_seen_at == clock.now()


def test_a_new_api_token_ends_no_session(uow, clock, staff) -> None:
    signed_in = sign_in(uow, clock, staff[COORDINATOR])

    issue_token(IssueToken(email=COORDINATOR), uow=uow, clock=clock)

    assert actor(uow, clock, signed_in.session_id) is not None


def test_a_user_ends_their_other_sessions_and_stays_signed_in_here(uow, clock, staff) -> None:
    here, elsewhere, again = (sign_in(uow, clock, staff[OWNER]) for _ in range(3))
    assert len(active_sessions(Actor(name=OWNER, role=Role.SERVICE_OWNER), uow=uow, clock=clock, rules=RULES)) == 3

    ended = end_sessions(EndSessions(actor=OWNER, keep=here.session_id), uow=uow, clock=clock)

    assert ended == 2
    assert actor(uow, clock, here.session_id) is not None
    assert actor(uow, clock, elsewhere.session_id) is None
    assert actor(uow, clock, again.session_id) is None
    assert {reason for _, reason in uow.staff_sessions.ended()} == {"ended_by_user"}
    audit = uow.data.access.audit[-1]
    assert (audit.event, audit.user_id, audit.actor_user_id, audit.detail) == (
        "sessions_ended",
        staff[OWNER],
        None,
        "2",
    )


def test_a_coordinator_ends_the_sessions_of_the_staff_of_their_panels_only(uow, clock, staff) -> None:
    owner = sign_in(uow, clock, staff[OWNER])

    with pytest.raises(PermissionDenied):
        end_sessions(EndSessions(actor=OTHER_COORDINATOR, email=OWNER), uow=uow, clock=clock)
    with pytest.raises(PermissionDenied):
        end_sessions(EndSessions(actor=OWNER, email=COORDINATOR), uow=uow, clock=clock)
    assert actor(uow, clock, owner.session_id) is not None

    assert end_sessions(EndSessions(actor=COORDINATOR, email=OWNER), uow=uow, clock=clock) == 1

    assert actor(uow, clock, owner.session_id) is None
    assert uow.staff_sessions.ended() == [(owner.session.id, "ended_by_coordinator")]
    audit = uow.data.access.audit[-1]
    assert (audit.event, audit.user_id, audit.actor_user_id) == ("sessions_ended", staff[OWNER], staff[COORDINATOR])


def test_deactivating_a_user_ends_their_sessions_and_tokens_at_once(uow, clock, staff) -> None:
    issued = issue_token(IssueToken(email=OWNER), uow=uow, clock=clock)
    signed_in = sign_in(uow, clock, staff[OWNER])

    change = set_user_active(SetUserActive(email=OWNER, active=False, actor=COORDINATOR), uow=uow, clock=clock)

    assert (change.changed, change.sessions_ended, change.tokens_revoked) == (True, 1, 1)
    assert actor(uow, clock, signed_in.session_id) is None
    assert authenticate(issued.token or "", uow=uow, clock=clock) is None
    assert uow.staff_sessions.ended() == [(signed_in.session.id, "deactivated")]
    with pytest.raises(PermissionDenied):
        sign_in(uow, clock, staff[OWNER])
    assert set_user_active(SetUserActive(email=OWNER, active=False), uow=uow, clock=clock).changed is False

    set_user_active(SetUserActive(email=OWNER, active=True), uow=uow, clock=clock)

    assert actor(uow, clock, sign_in(uow, clock, staff[OWNER]).session_id) is not None
    assert authenticate(issued.token or "", uow=uow, clock=clock) is None  # tokens stay revoked


def test_a_coordinator_deactivates_only_the_staff_of_their_own_panels(uow, clock, staff) -> None:
    with pytest.raises(PermissionDenied):
        set_user_active(SetUserActive(email=OWNER, active=False, actor=OTHER_COORDINATOR), uow=uow, clock=clock)
    with pytest.raises(PermissionDenied):
        set_user_active(SetUserActive(email=COORDINATOR, active=False, actor=OWNER), uow=uow, clock=clock)


def test_a_session_id_that_opens_nothing_is_refused_without_writing(uow, clock, staff) -> None:
    commits = uow.commits
    for session_id in ("", "ä" * 43, "y" * 5000, "z" * 43):
        assert actor(uow, clock, session_id) is None
        assert not sign_out(session_id, uow=uow, clock=clock)
    assert uow.commits == commits


def test_ending_sessions_counts_only_those_still_open_under_the_timeouts(uow, clock, staff) -> None:
    sign_in(uow, clock, staff[OWNER])
    clock.advance(hours=2)  # the first has been idle past the hour: it had ended by itself
    sign_in(uow, clock, staff[OWNER])

    ended = end_sessions(EndSessions(email=OWNER, actor=COORDINATOR), uow=uow, clock=clock, rules=RULES)

    assert ended == 1
    with uow:
        assert uow.staff_sessions.open_of(staff[OWNER]) == []
