"""SQLAlchemy repositories of staff access: API tokens, web sessions, sign-in links and their requests, and the
audit trail (secrets only as hashes, clients only as networks)."""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from domain.panels import StaffUser
from domain.sign_in import ApiToken, AuditEntry, SignInLink, StaffSession, TokenUse
from persistence.access_tables import (
    ApiTokenRow,
    AuditEventRow,
    SignInLinkRow,
    SignInRequestRow,
    StaffSessionRow,
)
from persistence.panels import SqlAlchemyUsers
from persistence.tables import CoordinatorPanelRow, StaffUserRow, table_of

# Every API request and staff page reads these: built once with bound parameters (Core rows, no identity map).
_users, _tokens, _panels = table_of(StaffUserRow), table_of(ApiTokenRow), table_of(CoordinatorPanelRow)
_sessions = table_of(StaffSessionRow)
_USER_COLUMNS = (
    _users.c.id,
    _users.c.email,
    _users.c.role,
    _users.c.service_id,
    _users.c.language,
    _users.c.greeting_name,
    _users.c.active,
)
_USER_FOR_TOKEN = (
    select(*_USER_COLUMNS, _panels.c.panel_id, _tokens.c.id.label("token_id"), _tokens.c.last_used_at)
    .join(_tokens, _tokens.c.user_id == _users.c.id)
    .outerjoin(_panels, _panels.c.user_id == _users.c.id)
    .where(
        _tokens.c.token_hash == bindparam("token_hash"),
        _tokens.c.revoked_at.is_(None),
        or_(_tokens.c.expires_at.is_(None), _tokens.c.expires_at > bindparam("at")),
        _users.c.active.is_(True),
    )
)
_SESSION_COLUMNS = (
    _sessions.c.id.label("session_id"),
    _sessions.c.method,
    _sessions.c.created_at,
    _sessions.c.last_seen_at,
    _sessions.c.expires_at,
    _sessions.c.client,
    _sessions.c.user_agent,
)
# An open session with its active user, in one round trip.
_USER_FOR_SESSION = (
    select(*_USER_COLUMNS, _panels.c.panel_id, *_SESSION_COLUMNS)
    .join(_sessions, _sessions.c.user_id == _users.c.id)
    .outerjoin(_panels, _panels.c.user_id == _users.c.id)
    .where(
        _sessions.c.session_hash == bindparam("session_hash"),
        _sessions.c.ended_at.is_(None),
        _users.c.active.is_(True),
    )
)


def _staff_user(rows: Sequence[Any]) -> StaffUser | None:
    """One user from the rows of the queries above (one row per coordinated panel)."""
    if not rows:
        return None
    panels = {r.panel_id for r in rows if r.panel_id is not None}
    return SqlAlchemyUsers.from_row(rows[0], panel_ids=panels)


def _session(row: Any, *, user_id: int) -> StaffSession:
    return StaffSession(
        id=row.session_id,
        user_id=user_id,
        method=row.method,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        client=row.client,
        user_agent=row.user_agent,
    )


class SqlAlchemyApiTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, user_id: int, *, token_hash: str, at: datetime) -> int:
        """Revoke the user's active script token (unnamed) and store a new one; returns how many were revoked."""
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None), ApiTokenRow.name.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        self.session.add(ApiTokenRow(user_id=user_id, token_hash=token_hash, created_at=at))
        self.session.flush()
        return int(result.rowcount)  # type: ignore[attr-defined]

    def add(self, user_id: int, *, token_hash: str, name: str, expires_at: datetime | None, at: datetime) -> ApiToken:
        row = ApiTokenRow(user_id=user_id, token_hash=token_hash, name=name, created_at=at, expires_at=expires_at)
        self.session.add(row)
        self.session.flush()
        return _token(row)

    def active_of(self, user_id: int) -> builtins.list[ApiToken]:
        query = (
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())
        )
        return [_token(row) for row in self.session.scalars(query)]

    def revoke(self, token_id: int, *, user_id: int, at: datetime) -> ApiToken | None:
        row = self.session.scalar(
            select(ApiTokenRow).where(
                ApiTokenRow.id == token_id, ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None)
            )
        )
        if row is None:
            return None
        row.revoked_at = at
        self.session.flush()
        return _token(row)

    def revoke_all(self, user_id: int, *, at: datetime) -> int:
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def has_active(self, user_id: int) -> bool:
        query = select(ApiTokenRow.id).where(
            ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None), ApiTokenRow.name.is_(None)
        )
        return self.session.scalar(query.limit(1)) is not None

    def user_for(self, token_hash: str, *, at: datetime) -> TokenUse | None:
        """The active user of this active, unexpired token, in one round trip (panels aggregated alongside)."""
        rows = self.session.execute(_USER_FOR_TOKEN, {"token_hash": token_hash, "at": at}).all()
        user = _staff_user(rows)
        if user is None:
            return None
        return TokenUse(user=user, token_id=rows[0].token_id, last_used_at=rows[0].last_used_at)

    def used(self, token_id: int, *, at: datetime) -> None:
        self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id)
            .values(last_used_at=at)
            .execution_options(synchronize_session=False)
        )


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
    )


class SqlAlchemyStaffSessions:
    def __init__(self, session: Session) -> None:
        self.session = session

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
        row = StaffSessionRow(
            session_hash=session_hash,
            user_id=user_id,
            method=method,
            created_at=at,
            last_seen_at=at,
            expires_at=expires_at,
            client=client,
            user_agent=user_agent,
        )
        self.session.add(row)
        self.session.flush()
        return StaffSession(
            id=row.id,
            user_id=user_id,
            method=method,
            created_at=at,
            last_seen_at=at,
            expires_at=expires_at,
            client=client,
            user_agent=user_agent,
        )

    def open_for(self, session_hash: str) -> tuple[StaffUser, StaffSession] | None:
        rows = self.session.execute(_USER_FOR_SESSION, {"session_hash": session_hash}).all()
        user = _staff_user(rows)
        if user is None:
            return None
        return user, _session(rows[0], user_id=user.stored_id)

    def touch(self, session_id: int, *, at: datetime) -> None:
        self.session.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.id == session_id)
            .values(last_seen_at=at)
            .execution_options(synchronize_session=False)
        )

    def end(self, session_hash: str, *, at: datetime, reason: str) -> bool:
        return self._end(StaffSessionRow.session_hash == session_hash, at=at, reason=reason) > 0

    def end_by_id(self, session_id: int, *, at: datetime, reason: str) -> bool:
        return self._end(StaffSessionRow.id == session_id, at=at, reason=reason) > 0

    def end_all(self, user_id: int, *, at: datetime, reason: str, keep: int | None = None) -> int:
        condition = StaffSessionRow.user_id == user_id
        if keep is not None:
            condition = condition & (StaffSessionRow.id != keep)
        return self._end(condition, at=at, reason=reason)

    def _end(self, condition: Any, *, at: datetime, reason: str) -> int:
        result = self.session.execute(
            update(StaffSessionRow)
            .where(condition, StaffSessionRow.ended_at.is_(None))
            .values(ended_at=at, ended_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def purge(self, *, before: datetime) -> int:
        over = or_(StaffSessionRow.ended_at < before, StaffSessionRow.expires_at < before)
        result = self.session.execute(delete(StaffSessionRow).where(over))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def open_of(self, user_id: int) -> list[StaffSession]:
        query = (
            select(*_SESSION_COLUMNS)
            .where(_sessions.c.user_id == user_id, _sessions.c.ended_at.is_(None))
            .order_by(_sessions.c.created_at.desc(), _sessions.c.id.desc())
        )
        return [_session(row, user_id=user_id) for row in self.session.execute(query)]

    def last_started(self, user_ids: Collection[int]) -> dict[int, datetime]:
        if not user_ids:
            return {}
        query = (
            select(StaffSessionRow.user_id, func.max(StaffSessionRow.created_at))
            .where(StaffSessionRow.user_id.in_(builtins.list(user_ids)))
            .group_by(StaffSessionRow.user_id)
        )
        return {row[0]: row[1] for row in self.session.execute(query)}


class SqlAlchemySignInLinks:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, user_id: int, nonce: str, next: str | None, at: datetime, expires_at: datetime) -> SignInLink:
        # The token's hash needs the row's id: a unique stand-in until ``set_hash`` (same transaction).
        row = SignInLinkRow(
            user_id=user_id, nonce=nonce, token_hash=f"pending-{nonce}", next=next, created_at=at, expires_at=expires_at
        )
        self.session.add(row)
        self.session.flush()
        return _link(row)

    def set_hash(self, link_id: int, token_hash: str) -> None:
        self.session.execute(
            update(SignInLinkRow)
            .where(SignInLinkRow.id == link_id)
            .values(token_hash=token_hash)
            .execution_options(synchronize_session=False)
        )

    def by_hash(self, token_hash: str, *, for_update: bool = False) -> SignInLink | None:
        query = select(SignInLinkRow).where(SignInLinkRow.token_hash == token_hash)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _link(row) if row is not None else None

    def use(self, link_id: int, *, at: datetime) -> bool:
        result = self.session.execute(
            update(SignInLinkRow)
            .where(SignInLinkRow.id == link_id, SignInLinkRow.used_at.is_(None))
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def purge(self, *, before: datetime) -> int:
        result = self.session.execute(delete(SignInLinkRow).where(SignInLinkRow.expires_at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]


def _link(row: SignInLinkRow) -> SignInLink:
    return SignInLink(
        id=row.id,
        user_id=row.user_id,
        nonce=row.nonce,
        next=row.next,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )


class SqlAlchemySignInRequests:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, address_hash: str, client: str | None, at: datetime) -> None:
        self.session.execute(insert(SignInRequestRow).values(address_hash=address_hash, client=client, at=at))

    def lock(self, keys: Collection[str]) -> None:
        # PostgreSQL's READ COMMITTED lets two requests count before either inserts: a transaction-level advisory
        # lock per key (in one order, so two requests cannot wait on each other). SQLite's writers are serialised
        # by BEGIN IMMEDIATE already.
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            number = int.from_bytes(hashlib.sha256(f"sign_in:{key}".encode()).digest()[:8], "big", signed=True)
            self.session.execute(select(func.pg_advisory_xact_lock(number)))

    def since(
        self, *, address_hash: str, client: str | None, since: datetime
    ) -> tuple[builtins.list[datetime], builtins.list[datetime]]:
        by_address = self.session.scalars(
            select(SignInRequestRow.at)
            .where(SignInRequestRow.address_hash == address_hash, SignInRequestRow.at > since)
            .order_by(SignInRequestRow.at)
        ).all()
        by_client: Sequence[datetime] = ()
        if client is not None:
            by_client = self.session.scalars(
                select(SignInRequestRow.at)
                .where(SignInRequestRow.client == client, SignInRequestRow.at > since)
                .order_by(SignInRequestRow.at)
            ).all()
        return builtins.list(by_address), builtins.list(by_client)

    def purge(self, *, before: datetime) -> int:
        result = self.session.execute(delete(SignInRequestRow).where(SignInRequestRow.at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlAlchemyAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.execute(
            insert(AuditEventRow).values(
                at=entry.at,
                event=entry.event,
                user_id=entry.user_id,
                actor_user_id=entry.actor_user_id,
                method=entry.method,
                client=entry.client,
                detail=entry.detail,
            )
        )

    def list(
        self, *, user_ids: Collection[int] | None, limit: int, before_id: int | None = None
    ) -> builtins.list[AuditEntry]:
        user, actor = aliased(StaffUserRow), aliased(StaffUserRow)
        query = (
            select(AuditEventRow, user.email.label("user_email"), actor.email.label("actor_email"))
            .outerjoin(user, user.id == AuditEventRow.user_id)
            .outerjoin(actor, actor.id == AuditEventRow.actor_user_id)
            .order_by(AuditEventRow.id.desc())
            .limit(limit)
        )
        if user_ids is not None:
            ids = builtins.list(user_ids)
            # An event is about its user: one done by someone in reach to someone outside it stays outside.
            about_them = AuditEventRow.user_id.in_(ids)
            query = query.where(
                or_(about_them, and_(AuditEventRow.user_id.is_(None), AuditEventRow.actor_user_id.in_(ids)))
            )
        if before_id is not None:
            query = query.where(AuditEventRow.id < before_id)
        return [
            AuditEntry(
                id=row.id,
                at=row.at,
                event=row.event,
                user_id=row.user_id,
                actor_user_id=row.actor_user_id,
                method=row.method,
                client=row.client,
                detail=row.detail,
                user_email=user_email,
                actor_email=actor_email,
            )
            for row, user_email, actor_email in self.session.execute(query)
        ]

    def purge(self, *, before: datetime) -> int:
        result = self.session.execute(delete(AuditEventRow).where(AuditEventRow.at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]
