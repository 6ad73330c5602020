"""What staff access needs of the store: API tokens, web sessions, one-time sign-in links, link requests (the rate
limits) and the audit trail. Secrets are known only by their SHA-256 hash; clients only by their network."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from domain.panels import StaffUser
from domain.sign_in import ApiToken, AuditEntry, SignInLink, StaffSession, TokenUse


class ApiTokenRepository(Protocol):
    """Staff API tokens, known only by their SHA-256 hash: a user's script token (unnamed, from the command line)
    and any number of personal tokens they named on the settings page."""

    def replace(self, user_id: int, *, token_hash: str, at: datetime) -> int:
        """Revoke the user's active script token (the unnamed one) and store this one in its place; returns how
        many were revoked. Named tokens stay."""
        ...

    def has_active(self, user_id: int) -> bool:
        """Whether the user has an active script token (named tokens aside)."""
        ...

    def add(self, user_id: int, *, token_hash: str, name: str, expires_at: datetime | None, at: datetime) -> ApiToken:
        """Store a named token beside the user's others."""
        ...

    def active_of(self, user_id: int) -> list[ApiToken]:
        """The user's tokens not revoked, newest first (expired ones too: the caller tells them apart)."""
        ...

    def revoke(self, token_id: int, *, user_id: int, at: datetime) -> ApiToken | None:
        """Revoke this token of this user; None when it is not theirs or was revoked already."""
        ...

    def user_for(self, token_hash: str, *, at: datetime) -> TokenUse | None:
        """The active user of this token, if the token is neither revoked nor expired at ``at``."""
        ...

    def used(self, token_id: int, *, at: datetime) -> None:
        """Record that the token was used at ``at``."""
        ...

    def revoke_all(self, user_id: int, *, at: datetime) -> int:
        """Revoke every active token of the user; returns how many."""
        ...


class StaffSessionRepository(Protocol):
    """Signed-in web sessions, known only by the SHA-256 hash of their random id; each belongs to its user."""

    def start(
        self,
        session_hash: str,
        *,
        user_id: int,
        method: str,
        at: datetime,
        expires_at: datetime,
        client: str | None,
        user_agent: str | None,
    ) -> StaffSession: ...

    def open_for(self, session_hash: str) -> tuple[StaffUser, StaffSession] | None:
        """The active user and their session of this hash, while it is not ended (timeouts are the caller's)."""
        ...

    def touch(self, session_id: int, *, at: datetime) -> None:
        """Record activity: ``last_seen_at`` becomes ``at``."""
        ...

    def end(self, session_hash: str, *, at: datetime, reason: str) -> bool:
        """End this session (only this one); False when it was not open."""
        ...

    def end_by_id(self, session_id: int, *, at: datetime, reason: str) -> bool: ...

    def end_all(self, user_id: int, *, at: datetime, reason: str, keep: int | None = None) -> int:
        """End every open session of the user but ``keep`` (a session id); returns how many ended."""
        ...

    def purge(self, *, before: datetime) -> int:
        """Delete the sessions that ended, or ran out, before ``before``; returns how many."""
        ...

    def open_of(self, user_id: int) -> list[StaffSession]:
        """The user's sessions not ended, newest first (some may be past their timeouts: the caller checks)."""
        ...

    def last_started(self, user_ids: Collection[int]) -> dict[int, datetime]:
        """When each of these users last signed in (their newest session, ended or not); absent: never."""
        ...


class SignInLinkRepository(Protocol):
    def add(self, *, user_id: int, nonce: str, next: str | None, at: datetime, expires_at: datetime) -> SignInLink:
        """A new link (its id given); its token's hash is set with ``set_hash`` once the id is known."""
        ...

    def set_hash(self, link_id: int, token_hash: str) -> None: ...
    def by_hash(self, token_hash: str, *, for_update: bool = False) -> SignInLink | None: ...
    def use(self, link_id: int, *, at: datetime) -> bool:
        """Mark the link used; False when it was used already (by a concurrent request)."""
        ...

    def purge(self, *, before: datetime) -> int:
        """Delete the links that expired before ``before``; returns how many."""
        ...


class SignInRequestRepository(Protocol):
    """Sign-in link requests, kept a day for the rate limits."""

    def add(self, *, address_hash: str, client: str | None, at: datetime) -> None: ...
    def lock(self, keys: Collection[str]) -> None:
        """Hold these keys (an address's and a client's) until the transaction ends, so that two requests at once
        count each other: a database that serialises its writers anyway needs nothing here."""
        ...

    def since(self, *, address_hash: str, client: str | None, since: datetime) -> tuple[list[datetime], list[datetime]]:
        """The times of the requests after ``since``, oldest first, for this address and from this client (none for
        a None client)."""
        ...

    def purge(self, *, before: datetime) -> int: ...


class AuditLog(Protocol):
    def add(self, entry: AuditEntry) -> None: ...
    def list(self, *, user_ids: Collection[int] | None, limit: int, before_id: int | None = None) -> list[AuditEntry]:
        """Newest first; ``user_ids`` keeps the events about those users (and, of events about nobody in
        particular, those done by them), None every event."""
        ...

    def purge(self, *, before: datetime) -> int: ...
