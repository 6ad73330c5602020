"""The staff's API tokens and web sessions: only SHA-256 hashes are stored, with when each began and ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user_active", "user_id", "revoked_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    # Hex SHA-256 of the token: a stolen database does not give working tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class StaffSessionRow(Base):
    """A signed-in web session: the browser's cookie holds a random id, this row only its SHA-256 hash.

    The session rests on the token it was opened with (revoking the token ends it); signing out ends it alone.
    """

    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
