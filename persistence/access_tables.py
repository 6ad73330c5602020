"""Staff access: API tokens, web sessions, one-time sign-in links, link requests (for the rate limits) and the
audit trail. Only SHA-256 hashes of secrets are stored, and client addresses only as networks (``/24``, ``/48``)."""

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
    # The name its owner gave it, when it ends by itself, and when it was last used (written at most once a
    # minute) (migration 0013).
    name: Mapped[str | None] = mapped_column(String(100))
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class StaffSessionRow(Base):
    """A signed-in web session: the browser's cookie holds a random id, this row only its SHA-256 hash.

    It belongs to its user (not to a token): it ends when the user signs out, ends their sessions, or is
    deactivated; when a coordinator ends it; after ``last_seen_at`` plus the idle timeout; at ``expires_at``.
    """

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_user_open", "user_id", "ended_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    # The token a session opened before migration 0013 was opened with; null since.
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    method: Mapped[str] = mapped_column(String(16))  # domain.sign_in.SignInMethod
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # The client's network (``203.0.113.0/24``), never the full address, and its browser in short.
    client: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(32))  # domain.sign_in.SessionEnd


class SignInLinkRow(Base):
    """A one-time sign-in link: its token is derived from the link key, the id and the nonce; only the token's
    SHA-256 is kept here, so a stolen database gives no working link."""

    __tablename__ = "sign_in_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The local path the link lands on after signing in (null: the user's home page).
    next: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class SignInRequestRow(Base):
    """One request for a sign-in link, known or unknown address alike, kept a day for the rate limits."""

    __tablename__ = "sign_in_requests"
    __table_args__ = (
        Index("ix_sign_in_requests_address", "address_hash", "at"),
        Index("ix_sign_in_requests_client", "client", "at"),
        Index("ix_sign_in_requests_at", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # Hex SHA-256 of the address as typed, trimmed and in lower case.
    address_hash: Mapped[str] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]


class AuditEventRow(Base):
    """One entry of the audit trail (deleted after ``RAATI_AUDIT_RETENTION_DAYS``): no secrets, no full IPs."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_user", "user_id", "at"), Index("ix_audit_events_at", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(32))  # domain.sign_in.AuditEvent
    # Whom it is about, and who did it when someone else did (a coordinator ending a user's sessions).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    method: Mapped[str | None] = mapped_column(String(16))
    client: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(String(200))
