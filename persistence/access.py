"""SQLAlchemy repositories of the staff's API tokens and of their signed-in web sessions (hashes only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from domain.panels import StaffUser
from persistence.access_tables import ApiTokenRow, StaffSessionRow
from persistence.panels import SqlAlchemyUsers
from persistence.tables import CoordinatorPanelRow, StaffUserRow, table_of

# Every API request reads this: built once with a bound parameter (Core rows, no ORM identity map).
_users, _tokens, _panels = table_of(StaffUserRow), table_of(ApiTokenRow), table_of(CoordinatorPanelRow)
_sessions = table_of(StaffSessionRow)
_USER_COLUMNS = (
    _users.c.id,
    _users.c.email,
    _users.c.role,
    _users.c.service_id,
    _users.c.language,
    _users.c.greeting_name,
)
_USER_FOR_TOKEN = (
    select(*_USER_COLUMNS, _panels.c.panel_id)
    .join(_tokens, _tokens.c.user_id == _users.c.id)
    .outerjoin(_panels, _panels.c.user_id == _users.c.id)
    .where(_tokens.c.token_hash == bindparam("token_hash"), _tokens.c.revoked_at.is_(None))
)
# Every staff page reads this: an open session whose token is still active, with its user, in one round trip.
_USER_FOR_SESSION = (
    select(*_USER_COLUMNS, _panels.c.panel_id)
    .join(_sessions, _sessions.c.user_id == _users.c.id)
    .join(_tokens, _tokens.c.id == _sessions.c.token_id)
    .outerjoin(_panels, _panels.c.user_id == _users.c.id)
    .where(
        _sessions.c.session_hash == bindparam("session_hash"),
        _sessions.c.ended_at.is_(None),
        _tokens.c.revoked_at.is_(None),
    )
)


def _staff_user(rows: Sequence[Any]) -> StaffUser | None:
    """One user from the rows of the queries above (one row per coordinated panel)."""
    if not rows:
        return None
    panels = {r.panel_id for r in rows if r.panel_id is not None}
    return SqlAlchemyUsers.from_row(rows[0], panel_ids=panels)


class SqlAlchemyApiTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, user_id: int, *, token_hash: str, at: datetime) -> int:
        """Revoke the user's active tokens and store a new one; returns how many were revoked."""
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        self.session.add(ApiTokenRow(user_id=user_id, token_hash=token_hash, created_at=at))
        self.session.flush()
        return int(result.rowcount)  # type: ignore[attr-defined]

    def has_active(self, user_id: int) -> bool:
        query = select(ApiTokenRow.id).where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        return self.session.scalar(query.limit(1)) is not None

    def user_for(self, token_hash: str) -> StaffUser | None:
        """The user holding this active token, in one round trip (panels aggregated alongside)."""
        return _staff_user(self.session.execute(_USER_FOR_TOKEN, {"token_hash": token_hash}).all())


class SqlAlchemyStaffSessions:
    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, session_hash: str, *, token_hash: str, at: datetime) -> bool:
        """Open a session on the active token of this hash; False when no such token is active."""
        token = self.session.execute(
            select(ApiTokenRow.id, ApiTokenRow.user_id).where(
                ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None)
            )
        ).one_or_none()
        if token is None:
            return False
        self.session.add(
            StaffSessionRow(session_hash=session_hash, user_id=token.user_id, token_id=token.id, created_at=at)
        )
        self.session.flush()
        return True

    def user_for(self, session_hash: str) -> StaffUser | None:
        """The user of this open session, as long as the token it was opened with is active."""
        return _staff_user(self.session.execute(_USER_FOR_SESSION, {"session_hash": session_hash}).all())

    def end(self, session_hash: str, *, at: datetime) -> bool:
        """End this session (only this one); False when it was not open."""
        result = self.session.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.session_hash == session_hash, StaffSessionRow.ended_at.is_(None))
            .values(ended_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
