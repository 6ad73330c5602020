"""Staff web sessions over the fake unit of work: signing out ends one session, not the token or the others."""

from __future__ import annotations

import hashlib

from application.access.sessions import session_actor, sign_in, sign_out
from application.access.tokens import IssueToken, add_user_with_token, authenticate, issue_token
from application.commands import AddUser, CreatePanel
from application.people.roster import create_panel
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

EMAIL = "koordinaattori@example.fi"


def coordinator_token(uow: FakeUnitOfWork, clock: FixedClock) -> str:
    create_panel(CreatePanel(name="Raati"), uow=uow, clock=clock)
    issued = add_user_with_token(AddUser(email=EMAIL, role=Role.COORDINATOR, panel="Raati"), uow=uow, clock=clock)
    assert issued.token
    return issued.token


def test_signing_out_ends_that_session_only_and_keeps_the_token() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    token = coordinator_token(uow, clock)
    laptop, phone = sign_in(token, uow=uow, clock=clock), sign_in(token, uow=uow, clock=clock)
    assert laptop is not None
    assert phone is not None
    assert laptop.session_id != phone.session_id

    assert sign_out(laptop.session_id, uow=uow, clock=clock)

    assert session_actor(laptop.session_id, uow=uow) is None
    actor = session_actor(phone.session_id, uow=uow)
    assert actor is not None
    assert actor.name == EMAIL
    assert authenticate(token, uow=uow) is not None
    assert not sign_out(laptop.session_id, uow=uow, clock=clock)  # once is enough


def test_only_the_hash_of_the_session_id_is_kept() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    signed_in = sign_in(coordinator_token(uow, clock), uow=uow, clock=clock)
    assert signed_in is not None

    (kept,) = uow.data.staff_sessions
    assert kept.session_hash == hashlib.sha256(signed_in.session_id.encode()).hexdigest()
    assert kept.created_at == clock.now()


def test_a_new_token_ends_every_session_opened_with_the_old_one() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    signed_in = sign_in(coordinator_token(uow, clock), uow=uow, clock=clock)
    assert signed_in is not None

    issue_token(IssueToken(email=EMAIL), uow=uow, clock=clock)

    assert session_actor(signed_in.session_id, uow=uow) is None


def test_a_token_or_session_id_that_opens_nothing_is_refused_without_writing() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    coordinator_token(uow, clock)

    assert sign_in("x" * 43, uow=uow, clock=clock) is None
    assert sign_in("", uow=uow, clock=clock) is None
    assert session_actor("", uow=uow) is None
    assert session_actor("ä" * 43, uow=uow) is None
    assert session_actor("y" * 5000, uow=uow) is None
    assert not sign_out("z" * 43, uow=uow, clock=clock)
    assert uow.data.staff_sessions == []
