"""Staff access, known by hashes, on the fakes, SQLite and PostgreSQL alike: API tokens (the script token replaced,
expiry, a deactivated user), sessions of their own, one-time sign-in links, link requests, the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.panels import StaffUser
from domain.sign_in import AuditEntry
from domain.values import Role
from tests.contract.conftest import AT, REFUSED, add_panel


@pytest.fixture
def coordinator(uow: UnitOfWork) -> StaffUser:
    panel_id = add_panel(uow)
    with uow:
        user = uow.users.add(StaffUser(id=None, email="coord@example.fi", role=Role.COORDINATOR, panel_ids={panel_id}))
        uow.commit()
    return user


def deactivate(uow: UnitOfWork, user: StaffUser) -> None:
    with uow:
        stored = uow.users.by_id(user.stored_id)
        assert stored is not None
        stored.active = False
        uow.users.save(stored)
        uow.commit()


def test_a_new_script_token_revokes_the_old_one(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        assert not uow.tokens.has_active(coordinator.stored_id)
        assert uow.tokens.replace(coordinator.stored_id, token_hash="h1", at=AT) == 0
        assert uow.tokens.replace(coordinator.stored_id, token_hash="h2", at=AT + timedelta(days=1)) == 1
        uow.commit()

    with uow:
        assert uow.tokens.has_active(coordinator.stored_id)
        assert uow.tokens.user_for("h1", at=AT) is None
        found = uow.tokens.user_for("h2", at=AT)
        assert found is not None
        assert found.user == coordinator
        assert found.last_used_at is None
        assert uow.tokens.user_for("unknown", at=AT) is None


def test_a_token_is_stored_once_and_for_a_stored_user(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        uow.tokens.replace(coordinator.stored_id, token_hash="h1", at=AT)
        uow.commit()

    with uow, pytest.raises(REFUSED):
        uow.tokens.replace(coordinator.stored_id, token_hash="h1", at=AT)
    with uow, pytest.raises(REFUSED):
        uow.tokens.replace(coordinator.stored_id + 1, token_hash="h3", at=AT)


def test_a_token_opens_nothing_once_expired_or_its_user_deactivated(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        token = uow.tokens.add(
            coordinator.stored_id, token_hash="h1", name="Raportit", expires_at=AT + timedelta(days=30), at=AT
        )
        uow.tokens.replace(coordinator.stored_id, token_hash="h2", at=AT)
        uow.tokens.used(token.id, at=AT + timedelta(days=1))
        uow.commit()

    with uow:
        found = uow.tokens.user_for("h1", at=AT + timedelta(days=29))
        assert found is not None
        assert (found.token_id, found.last_used_at) == (token.id, AT + timedelta(days=1))
        assert uow.tokens.user_for("h1", at=AT + timedelta(days=30)) is None
    deactivate(uow, coordinator)
    with uow:
        assert uow.tokens.user_for("h2", at=AT) is None
        assert uow.tokens.revoke_all(coordinator.stored_id, at=AT) == 2
        assert uow.tokens.revoke_all(coordinator.stored_id, at=AT) == 0


def test_a_session_belongs_to_its_user_and_ends_alone(uow: UnitOfWork, coordinator: StaffUser) -> None:
    def start(session_hash: str, at=AT):
        return uow.staff_sessions.start(
            session_hash,
            user_id=coordinator.stored_id,
            method="email_link",
            at=at,
            expires_at=at + timedelta(hours=12),
            client="203.0.113.0/24",
            user_agent="Firefox",
        )

    with uow:
        first, second, third = (
            start("s1"),
            start("s2", AT + timedelta(minutes=1)),
            start("s3", AT + timedelta(minutes=2)),
        )
        uow.commit()
    with uow, pytest.raises(REFUSED):
        start("s1")

    with uow:
        found = uow.staff_sessions.open_for("s1")
        assert found is not None
        assert found == (coordinator, first)
        uow.staff_sessions.touch(first.id, at=AT + timedelta(minutes=5))
        assert uow.staff_sessions.end("s2", at=AT + timedelta(hours=1), reason="signed_out")
        assert not uow.staff_sessions.end("s2", at=AT + timedelta(hours=2), reason="signed_out")
        assert not uow.staff_sessions.end("s0", at=AT + timedelta(hours=2), reason="signed_out")
        uow.commit()

    with uow:
        assert uow.staff_sessions.open_for("s2") is None
        assert [s.id for s in uow.staff_sessions.open_of(coordinator.stored_id)] == [third.id, first.id]
        assert uow.staff_sessions.open_of(coordinator.stored_id)[1].last_seen_at == AT + timedelta(minutes=5)
        assert uow.staff_sessions.end_all(coordinator.stored_id, at=AT, reason="ended_by_user", keep=first.id) == 1
        assert uow.staff_sessions.last_started([coordinator.stored_id]) == {coordinator.stored_id: third.created_at}
        uow.commit()

    with uow:
        assert [s.id for s in uow.staff_sessions.open_of(coordinator.stored_id)] == [first.id]
        assert uow.staff_sessions.end_by_id(first.id, at=AT, reason="idle")
        assert uow.staff_sessions.open_of(coordinator.stored_id) == []
        assert second.id != first.id


def test_sessions_that_ended_or_ran_out_before_a_moment_are_purged(uow: UnitOfWork, coordinator: StaffUser) -> None:
    def start(name: str, hours: int) -> int:
        return uow.staff_sessions.start(
            name, user_id=coordinator.stored_id, method="email_link", at=AT, expires_at=AT + timedelta(hours=hours),
            client=None, user_agent=None,
        ).id  # fmt: skip

    with uow:
        ended, ran_out, open_ = start("ended", 12), start("ran-out", 1), start("open", 12)
        uow.staff_sessions.end_by_id(ended, at=AT + timedelta(minutes=5), reason="signed_out")
        uow.commit()

    with uow:
        assert uow.staff_sessions.purge(before=AT + timedelta(minutes=5)) == 0
        assert uow.staff_sessions.purge(before=AT + timedelta(hours=2)) == 2
        uow.commit()

    with uow:
        assert [s.id for s in uow.staff_sessions.open_of(coordinator.stored_id)] == [open_]
        assert ran_out != open_


def test_a_deactivated_users_session_opens_nothing(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        uow.staff_sessions.start(
            "s1",
            user_id=coordinator.stored_id,
            method="oidc",
            at=AT,
            expires_at=AT + timedelta(hours=1),
            client=None,
            user_agent=None,
        )
        uow.commit()

    deactivate(uow, coordinator)

    with uow:
        assert uow.staff_sessions.open_for("s1") is None


def test_a_sign_in_link_is_found_by_its_hash_and_used_once(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        link = uow.sign_in_links.add(
            user_id=coordinator.stored_id, nonce="ab" * 16, next="/queue", at=AT, expires_at=AT + timedelta(minutes=15)
        )
        uow.sign_in_links.set_hash(link.id, "t" * 64)
        uow.commit()

    with uow:
        found = uow.sign_in_links.by_hash("t" * 64, for_update=True)
        assert found == link
        assert uow.sign_in_links.by_hash(f"pending-{'ab' * 16}") is None
        assert uow.sign_in_links.use(link.id, at=AT + timedelta(minutes=1))
        assert not uow.sign_in_links.use(link.id, at=AT + timedelta(minutes=2))
        uow.commit()

    with uow:
        used = uow.sign_in_links.by_hash("t" * 64)
        assert used is not None
        assert used.used_at == AT + timedelta(minutes=1)
        assert uow.sign_in_links.purge(before=AT + timedelta(minutes=15)) == 0
        assert uow.sign_in_links.purge(before=AT + timedelta(minutes=16)) == 1
        uow.commit()


def test_link_requests_are_counted_by_address_and_by_client(uow: UnitOfWork) -> None:
    with uow:
        for minutes, address, client in ((0, "a", "net1"), (5, "a", "net2"), (10, "b", "net1"), (20, "a", None)):
            uow.sign_in_requests.add(address_hash=address, client=client, at=AT + timedelta(minutes=minutes))
        uow.commit()

    with uow:
        since = AT + timedelta(minutes=5)  # after it, not at it
        assert uow.sign_in_requests.since(address_hash="a", client="net1", since=since) == (
            [AT + timedelta(minutes=20)],
            [AT + timedelta(minutes=10)],
        )
        assert uow.sign_in_requests.since(address_hash="c", client=None, since=AT) == ([], [])
        assert uow.sign_in_requests.purge(before=AT + timedelta(minutes=10)) == 2
        uow.commit()


def test_the_audit_trail_lists_newest_first_by_user_and_purges_the_old(uow: UnitOfWork, coordinator: StaffUser) -> None:
    with uow:
        other = uow.users.add(StaffUser(id=None, email="owner@example.fi", role=Role.MANAGER))
        uow.commit()
    with uow:
        uow.audit.add(AuditEntry(id=None, at=AT, event="signed_in", user_id=coordinator.stored_id, method="oidc"))
        uow.audit.add(AuditEntry(id=None, at=AT + timedelta(days=1), event="link_requested", user_id=other.stored_id))
        uow.audit.add(
            AuditEntry(
                id=None,
                at=AT + timedelta(days=2),
                event="sessions_ended",
                user_id=other.stored_id,
                actor_user_id=coordinator.stored_id,
                detail="1",
            )
        )
        uow.commit()

    with uow:
        every = uow.audit.list(user_ids=None, limit=10)
        assert [e.event for e in every] == ["sessions_ended", "link_requested", "signed_in"]
        assert (every[0].user_email, every[0].actor_email, every[0].detail) == (
            "owner@example.fi",
            "coord@example.fi",
            "1",
        )
        # Events are about their user: what the coordinator did to someone outside the list stays outside it.
        assert [e.event for e in uow.audit.list(user_ids=[coordinator.stored_id], limit=10)] == ["signed_in"]
        assert [e.event for e in uow.audit.list(user_ids=[other.stored_id], limit=10)] == [
            "sessions_ended",
            "link_requested",
        ]
        assert [e.event for e in uow.audit.list(user_ids=None, limit=1, before_id=every[0].id)] == ["link_requested"]
        assert uow.audit.purge(before=AT + timedelta(days=1)) == 1
        uow.commit()

    with uow, pytest.raises(REFUSED):
        uow.audit.add(AuditEntry(id=None, at=AT, event="signed_in", user_id=other.stored_id + 100))
