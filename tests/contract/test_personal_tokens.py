"""Named API tokens beside the script token, on the fakes, SQLite and PostgreSQL: listed newest first until
revoked, revoked only by their own user, and left alone when the command line replaces the script token."""

from __future__ import annotations

from datetime import timedelta

from application.ports.unit_of_work import UnitOfWork
from domain.panels import StaffUser
from domain.values import Role
from tests.contract.conftest import AT, add_panel


def staff_user(uow: UnitOfWork, email: str, panel_id: int) -> StaffUser:
    with uow:
        user = uow.users.add(StaffUser(id=None, email=email, role=Role.COORDINATOR, panel_ids={panel_id}))
        uow.commit()
    return user


def test_named_tokens_are_listed_until_revoked_and_outlive_the_script_token(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    mine, theirs = staff_user(uow, "a@example.fi", panel_id), staff_user(uow, "b@example.fi", panel_id)
    with uow:
        uow.tokens.replace(mine.stored_id, token_hash="script1", at=AT)
        backup = uow.tokens.add(mine.stored_id, token_hash="n1", name="Backup", expires_at=None, at=AT)
        later = AT + timedelta(minutes=1)
        sync = uow.tokens.add(mine.stored_id, token_hash="n2", name="Sync", expires_at=AT + timedelta(days=1), at=later)
        uow.commit()

    with uow:
        assert uow.tokens.replace(mine.stored_id, token_hash="script2", at=AT + timedelta(minutes=2)) == 1
        uow.commit()
    with uow:
        listed = uow.tokens.active_of(mine.stored_id)
        assert [(t.name, t.expires_at) for t in listed] == [
            (None, None),
            ("Sync", AT + timedelta(days=1)),
            ("Backup", None),
        ]
        assert listed[1] == sync
        assert uow.tokens.has_active(mine.stored_id)
        assert uow.tokens.user_for("n1", at=AT) is not None

    with uow:
        assert uow.tokens.revoke(backup.id, user_id=theirs.stored_id, at=AT) is None  # not theirs
        revoked = uow.tokens.revoke(backup.id, user_id=mine.stored_id, at=AT)
        assert revoked is not None
        assert revoked.name == "Backup"
        assert uow.tokens.revoke(backup.id, user_id=mine.stored_id, at=AT) is None  # revoked already
        uow.commit()
    with uow:
        assert [t.name for t in uow.tokens.active_of(mine.stored_id)] == [None, "Sync"]
        assert uow.tokens.user_for("n1", at=AT) is None
        assert uow.tokens.active_of(theirs.stored_id) == []


def test_a_user_with_only_named_tokens_has_no_script_token(uow: UnitOfWork) -> None:
    user = staff_user(uow, "a@example.fi", add_panel(uow))
    with uow:
        uow.tokens.add(user.stored_id, token_hash="n1", name="Backup", expires_at=None, at=AT)
        uow.commit()

    with uow:
        assert not uow.tokens.has_active(user.stored_id)
