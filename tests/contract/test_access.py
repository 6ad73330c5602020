"""Staff API tokens and signed-in sessions, known by their hashes: one active token a user, sessions resting on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.panels import StaffUser
from domain.values import Role
from tests.contract.conftest import AT, REFUSED, add_panel


@pytest.fixture
def coordinator(uow: UnitOfWork) -> StaffUser:
    panel_id = add_panel(uow)
    with uow:
        user = uow.users.add(StaffUser(id=None, email="coord@example.fi", role=Role.COORDINATOR, panel_ids={panel_id}))
        uow.commit()
    return user


def test_a_new_token_revokes_the_old_one(uow: UnitOfWork, coordinator: StaffUser) -> None:
    assert coordinator.id is not None
    with uow:
        assert not uow.tokens.has_active(coordinator.id)
        assert uow.tokens.replace(coordinator.id, token_hash="h1", at=AT) == 0
        assert uow.tokens.replace(coordinator.id, token_hash="h2", at=AT + timedelta(days=1)) == 1
        uow.commit()

    with uow:
        assert uow.tokens.has_active(coordinator.id)
        assert uow.tokens.user_for("h1") is None
        assert uow.tokens.user_for("h2") == coordinator
        assert uow.tokens.user_for("unknown") is None


def test_a_token_is_stored_once_and_for_a_stored_user(uow: UnitOfWork, coordinator: StaffUser) -> None:
    assert coordinator.id is not None
    with uow:
        uow.tokens.replace(coordinator.id, token_hash="h1", at=AT)
        uow.commit()

    with uow, pytest.raises(REFUSED):
        uow.tokens.replace(coordinator.id, token_hash="h1", at=AT)
    with uow, pytest.raises(REFUSED):
        uow.tokens.replace(coordinator.id + 1, token_hash="h3", at=AT)


def test_a_session_rests_on_an_active_token_and_ends_alone(uow: UnitOfWork, coordinator: StaffUser) -> None:
    assert coordinator.id is not None
    with uow:
        uow.tokens.replace(coordinator.id, token_hash="t1", at=AT)
        assert not uow.staff_sessions.start("s0", token_hash="unknown", at=AT)
        assert uow.staff_sessions.start("s1", token_hash="t1", at=AT)
        assert uow.staff_sessions.start("s2", token_hash="t1", at=AT)
        uow.commit()

    with uow:
        assert uow.staff_sessions.user_for("s1") == coordinator
        assert uow.staff_sessions.end("s1", at=AT + timedelta(hours=1))
        assert not uow.staff_sessions.end("s1", at=AT + timedelta(hours=2))
        assert not uow.staff_sessions.end("s0", at=AT + timedelta(hours=2))
        uow.commit()

    with uow:
        assert uow.staff_sessions.user_for("s1") is None
        assert uow.staff_sessions.user_for("s2") == coordinator
        uow.tokens.replace(coordinator.id, token_hash="t2", at=AT + timedelta(days=1))
        uow.commit()

    with uow:
        assert uow.staff_sessions.user_for("s2") is None  # its token was revoked
        assert not uow.staff_sessions.start("s3", token_hash="t1", at=AT + timedelta(days=1))
        with pytest.raises(REFUSED):
            uow.staff_sessions.start("s2", token_hash="t2", at=AT + timedelta(days=1))
