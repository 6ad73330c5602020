"""In-memory staff access for FakeUnitOfWork (as in persistence/access.py): API tokens, sessions, sign-in links and
their requests, the audit trail."""

from __future__ import annotations

import builtins
import copy
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from domain.panels import StaffUser
from domain.sign_in import ApiToken, AuditEntry, SignInLink, StaffSession, TokenUse


class _IntegrityError(Protocol):
    def __call__(self, message: str) -> Exception: ...


@dataclass
class _Token:
    id: int
    user_id: int
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    name: str | None = None

    def stored(self) -> ApiToken:
        return ApiToken(self.id, self.user_id, self.name, self.created_at, self.expires_at, self.last_used_at)


@dataclass
class _Session:
    session_hash: str
    stored: StaffSession
    ended_at: datetime | None = None
    ended_reason: str | None = None


@dataclass
class _Link:
    token_hash: str
    link: SignInLink


@dataclass
class AccessData:
    tokens: list[_Token] = field(default_factory=list)
    sessions: list[_Session] = field(default_factory=list)
    links: list[_Link] = field(default_factory=list)
    requests: list[tuple[str, str | None, datetime]] = field(default_factory=list)
    # The keys each request held while it counted (SqlAlchemySignInRequests.lock).
    locked: list[tuple[str, ...]] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    last_id: dict[str, int] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]


class _Uow(Protocol):
    @property
    def data(self) -> Any: ...


class _Access:
    def __init__(self, uow: _Uow, integrity_error: _IntegrityError) -> None:
        self._uow = uow
        self._error = integrity_error

    @property
    def _d(self) -> AccessData:
        data: AccessData = self._uow.data.access
        return data

    @property
    def _users(self) -> dict[int, StaffUser]:
        users: dict[int, StaffUser] = self._uow.data.users
        return users

    def _active_user(self, user_id: int) -> StaffUser | None:
        user = self._users.get(user_id)
        return copy.deepcopy(user) if user is not None and user.active else None


class FakeApiTokens(_Access):
    def replace(self, user_id: int, *, token_hash: str, at: datetime) -> int:
        """The script token (unnamed) is replaced; named tokens stay."""
        self._check(user_id, token_hash)
        revoked = 0
        for token in self._d.tokens:
            if token.user_id == user_id and token.revoked_at is None and token.name is None:
                token.revoked_at = at
                revoked += 1
        self._d.tokens.append(_Token(self._d.next_id("tokens"), user_id, token_hash, at))
        return revoked

    def add(self, user_id: int, *, token_hash: str, name: str, expires_at: datetime | None, at: datetime) -> ApiToken:
        self._check(user_id, token_hash)
        token = _Token(self._d.next_id("tokens"), user_id, token_hash, at, expires_at=expires_at, name=name)
        self._d.tokens.append(token)
        return token.stored()

    def _check(self, user_id: int, token_hash: str) -> None:
        if any(t.token_hash == token_hash for t in self._d.tokens):
            raise self._error("api_tokens.token_hash")
        if user_id not in self._users:
            raise self._error(f"api_tokens.user_id {user_id}")

    def active_of(self, user_id: int) -> builtins.list[ApiToken]:
        mine = [t.stored() for t in self._d.tokens if t.user_id == user_id and t.revoked_at is None]
        return sorted(mine, key=lambda t: (t.created_at, t.id), reverse=True)

    def revoke(self, token_id: int, *, user_id: int, at: datetime) -> ApiToken | None:
        for token in self._d.tokens:
            if token.id == token_id and token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = at
                return token.stored()
        return None

    def revoke_all(self, user_id: int, *, at: datetime) -> int:
        revoked = 0
        for token in self._d.tokens:
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = at
                revoked += 1
        return revoked

    def has_active(self, user_id: int) -> bool:
        return any(t.user_id == user_id and t.revoked_at is None and t.name is None for t in self._d.tokens)

    def user_for(self, token_hash: str, *, at: datetime) -> TokenUse | None:
        for token in self._d.tokens:
            if token.token_hash != token_hash or token.revoked_at is not None:
                continue
            if token.expires_at is not None and token.expires_at <= at:
                return None
            user = self._active_user(token.user_id)
            return TokenUse(user, token.id, token.last_used_at) if user is not None else None
        return None

    def used(self, token_id: int, *, at: datetime) -> None:
        for token in self._d.tokens:
            if token.id == token_id:
                token.last_used_at = at


class FakeStaffSessions(_Access):
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
    ) -> StaffSession:
        if any(s.session_hash == session_hash for s in self._d.sessions):
            raise self._error("staff_sessions.session_hash")
        if user_id not in self._users:
            raise self._error(f"staff_sessions.user_id {user_id}")
        stored = StaffSession(self._d.next_id("sessions"), user_id, method, at, at, expires_at, client, user_agent)
        self._d.sessions.append(_Session(session_hash, stored))
        return stored

    def open_for(self, session_hash: str) -> tuple[StaffUser, StaffSession] | None:
        for s in self._d.sessions:
            if s.session_hash == session_hash and s.ended_at is None:
                user = self._active_user(s.stored.user_id)
                return (user, s.stored) if user is not None else None
        return None

    def touch(self, session_id: int, *, at: datetime) -> None:
        for s in self._d.sessions:
            if s.stored.id == session_id:
                s.stored = replace(s.stored, last_seen_at=at)

    def end(self, session_hash: str, *, at: datetime, reason: str) -> bool:
        return self._end(lambda s: s.session_hash == session_hash, at=at, reason=reason) > 0

    def end_by_id(self, session_id: int, *, at: datetime, reason: str) -> bool:
        return self._end(lambda s: s.stored.id == session_id, at=at, reason=reason) > 0

    def end_all(self, user_id: int, *, at: datetime, reason: str, keep: int | None = None) -> int:
        return self._end(lambda s: s.stored.user_id == user_id and s.stored.id != keep, at=at, reason=reason)

    def _end(self, chosen: Any, *, at: datetime, reason: str) -> int:
        ended = 0
        for s in self._d.sessions:
            if s.ended_at is None and chosen(s):
                s.ended_at, s.ended_reason = at, reason
                ended += 1
        return ended

    def purge(self, *, before: datetime) -> int:
        def over(s: _Session) -> bool:
            return (s.ended_at is not None and s.ended_at < before) or s.stored.expires_at < before

        kept = [s for s in self._d.sessions if not over(s)]
        removed = len(self._d.sessions) - len(kept)
        self._d.sessions = kept
        return removed

    def open_of(self, user_id: int) -> builtins.list[StaffSession]:
        found = [s.stored for s in self._d.sessions if s.stored.user_id == user_id and s.ended_at is None]
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)

    def last_started(self, user_ids: Collection[int]) -> dict[int, datetime]:
        started: dict[int, datetime] = {}
        for s in self._d.sessions:
            user_id = s.stored.user_id
            if user_id in user_ids and (user_id not in started or s.stored.created_at > started[user_id]):
                started[user_id] = s.stored.created_at
        return started

    def ended(self) -> builtins.list[tuple[int, str | None]]:
        """Test helper: (session id, reason) of every ended session."""
        return [(s.stored.id, s.ended_reason) for s in self._d.sessions if s.ended_at is not None]


class FakeSignInLinks(_Access):
    def add(self, *, user_id: int, nonce: str, next: str | None, at: datetime, expires_at: datetime) -> SignInLink:
        if user_id not in self._users:
            raise self._error(f"sign_in_links.user_id {user_id}")
        link = SignInLink(self._d.next_id("links"), user_id, nonce, next, at, expires_at)
        self._d.links.append(_Link(f"pending-{nonce}", link))
        return link

    def set_hash(self, link_id: int, token_hash: str) -> None:
        if any(entry.token_hash == token_hash for entry in self._d.links):
            raise self._error("sign_in_links.token_hash")
        for entry in self._d.links:
            if entry.link.id == link_id:
                entry.token_hash = token_hash

    def by_hash(self, token_hash: str, *, for_update: bool = False) -> SignInLink | None:
        return next((e.link for e in self._d.links if e.token_hash == token_hash), None)

    def use(self, link_id: int, *, at: datetime) -> bool:
        for entry in self._d.links:
            if entry.link.id == link_id and entry.link.used_at is None:
                entry.link = replace(entry.link, used_at=at)
                return True
        return False

    def purge(self, *, before: datetime) -> int:
        kept = [e for e in self._d.links if e.link.expires_at >= before]
        removed = len(self._d.links) - len(kept)
        self._d.links = kept
        return removed


class FakeSignInRequests(_Access):
    def add(self, *, address_hash: str, client: str | None, at: datetime) -> None:
        self._d.requests.append((address_hash, client, at))

    def lock(self, keys: Collection[str]) -> None:
        self._d.locked.append(tuple(sorted(keys)))

    def since(
        self, *, address_hash: str, client: str | None, since: datetime
    ) -> tuple[builtins.list[datetime], builtins.list[datetime]]:
        recent = sorted((r for r in self._d.requests if r[2] > since), key=lambda r: r[2])
        by_client = [r[2] for r in recent if client is not None and r[1] == client]
        return [r[2] for r in recent if r[0] == address_hash], by_client

    def purge(self, *, before: datetime) -> int:
        kept = [r for r in self._d.requests if r[2] >= before]
        removed = len(self._d.requests) - len(kept)
        self._d.requests = kept
        return removed


class FakeAuditLog(_Access):
    def add(self, entry: AuditEntry) -> None:
        for user_id in (entry.user_id, entry.actor_user_id):
            if user_id is not None and user_id not in self._users:
                raise self._error(f"audit_events.user_id {user_id}")
        self._d.audit.append(replace(entry, id=self._d.next_id("audit")))

    def list(
        self, *, user_ids: Collection[int] | None, limit: int, before_id: int | None = None
    ) -> builtins.list[AuditEntry]:
        def email_of(user_id: int | None) -> str | None:
            user = self._users.get(user_id) if user_id is not None else None
            return user.email if user is not None else None

        chosen = [
            e
            for e in reversed(self._d.audit)
            if (user_ids is None or e.user_id in user_ids or (e.user_id is None and e.actor_user_id in user_ids))
            and (before_id is None or (e.id is not None and e.id < before_id))
        ]
        return [replace(e, user_email=email_of(e.user_id), actor_email=email_of(e.actor_user_id)) for e in chosen][
            :limit
        ]

    def purge(self, *, before: datetime) -> int:
        kept = [e for e in self._d.audit if e.at >= before]
        removed = len(self._d.audit) - len(kept)
        self._d.audit = kept
        return removed
