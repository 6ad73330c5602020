"""Staff sign-in: how a session was opened, why it ended, what the audit trail records, and the time rules of
sessions and one-time sign-in links (pure: the moment is always a parameter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.panels import StaffUser


class SignInMethod(StrEnum):
    """How a staff user signed in."""

    EMAIL_LINK = "email_link"
    OIDC = "oidc"
    TOKEN = "token"  # sessions opened before issue 14 by pasting an API token


class SessionEnd(StrEnum):
    """Why a session ended."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    EXPIRED = "expired"
    ENDED_BY_USER = "ended_by_user"
    ENDED_BY_COORDINATOR = "ended_by_coordinator"
    DEACTIVATED = "deactivated"


class AuditEvent(StrEnum):
    """What the audit trail records (never a secret, never a full IP address). An entry's ``detail`` is a count
    (sessions ended, tokens revoked) or, for ``sign_in_failed``, a ``LinkProblem`` or another short reason."""

    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    LINK_REQUESTED = "link_requested"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    SESSIONS_ENDED = "sessions_ended"


class LinkProblem(StrEnum):
    """Why a sign-in link opens nothing: the page explains each in its own words."""

    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"  # unknown, malformed, or its user was deactivated


# A one-time sign-in link is valid this long.
LINK_VALID = timedelta(minutes=15)
# A session's last activity is written at most this often (a page view is a read, not a write, in between).
TOUCH_EVERY = timedelta(minutes=1)
# What a personal API token may be called ("Reporting integration"): one line of at most this many characters.
MAX_TOKEN_NAME = 80


@dataclass(frozen=True)
class SessionRules:
    """How long a session lasts: ``idle`` without a request, ``absolute`` from signing in."""

    idle: timedelta = timedelta(minutes=60)
    absolute: timedelta = timedelta(hours=12)

    def ended(self, *, last_seen_at: datetime, expires_at: datetime, now: datetime) -> SessionEnd | None:
        """Why the session has ended by ``now`` (EXPIRED before IDLE), or None while it is open."""
        if now >= expires_at:
            return SessionEnd.EXPIRED
        if now - last_seen_at >= self.idle:
            return SessionEnd.IDLE
        return None


@dataclass(frozen=True)
class RateLimit:
    """At most ``per_address`` link requests for one address and ``per_client`` from one client network
    within ``window``."""

    per_address: int = 5
    per_client: int = 20
    window: timedelta = timedelta(minutes=15)

    def exceeded(self, *, address_count: int, client_count: int) -> bool:
        """Whether one more request (after these earlier ones in the window) is over a limit."""
        return address_count >= self.per_address or client_count >= self.per_client


@dataclass(frozen=True)
class TokenUse:
    """An active token's user, with what is needed to record its use at most once a minute."""

    user: StaffUser
    token_id: int
    last_used_at: datetime | None


@dataclass(frozen=True)
class ApiToken:
    """A staff user's API token as stored (never its secret). A personal token has the name its owner gave it on
    the settings page; the one token ``raati user add`` and ``raati user token`` issue for scripts has none."""

    id: int
    user_id: int
    name: str | None
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


@dataclass(frozen=True)
class StaffSession:
    """A signed-in session as stored (the id is the row's, never the secret the cookie holds)."""

    id: int
    user_id: int
    method: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    client: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class SignInLink:
    id: int
    user_id: int
    nonce: str
    next: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int | None
    at: datetime
    event: str
    user_id: int | None = None
    actor_user_id: int | None = None
    method: str | None = None
    client: str | None = None
    detail: str | None = None
    # Filled in when read: the email addresses of the user and the actor (None for unknown or none).
    user_email: str | None = None
    actor_email: str | None = None
