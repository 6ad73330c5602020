"""Members' data rights in the database: what is held about a member, erasure, and mail body retention.

Tables added by other parts (ground rules, topic wishes, survey invitations, ...) are found at run
time by reflection: a table with a ``member_id`` column holds rows about a member.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

from sqlalchemy import JSON, Connection, Engine, MetaData, String, Table, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from domain.data_rights import IDENTITY_KEYS, Redactor, retained_payload
from domain.errors import NotFound
from domain.events import Aggregate
from notifications.outbox import OutboxStatus, RecipientKind
from persistence.data_rights_tables import EventRedactionRow
from persistence.engine import truncate_sqlite_log
from persistence.meeting_room_tables import RoomActionRow, TurnRow
from persistence.tables import EventRow, MemberRow, OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork

# Tables that erasure handles explicitly, that hold no member data, or that hold staff identities
# (a staff account is not a membership: erasing a member leaves a staff user with the same address).
_HANDLED = frozenset(
    {"members", "events", "event_redactions", "alembic_version", "staff_users", "api_tokens", "staff_sessions"}
)
# Answers are anonymous by design: never looked up by member, never exported.
_ANONYMOUS_MARKERS = ("answer", "response")
# Credentials, not information about the member (only hashes are stored anyway).
_SECRET_MARKERS = ("token", "hash", "secret", "password")
_TERMINAL = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.CANCELLED.value)


class SqlAlchemyMemberData:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._metadata: MetaData | None = None

    # --- reading ---------------------------------------------------------------------------

    def erased_at(self, member_id: int) -> datetime | None:
        row = self.session.get(MemberRow, member_id)
        if row is None:
            raise NotFound("member", member_id)
        return row.erased_at

    def events_about(self, member_id: int) -> list[dict[str, Any]]:
        """The member's own events, what they did themselves (actor ``member:ID``) and events naming them by id."""
        query = (
            select(EventRow)
            .where(
                or_(
                    and_(EventRow.aggregate == Aggregate.MEMBER.value, EventRow.aggregate_id == member_id),
                    EventRow.actor == f"member:{member_id}",
                    EventRow.data["member_id"].as_integer() == member_id,
                )
            )
            .order_by(EventRow.id)
        )
        return [
            {
                "aggregate": r.aggregate,
                "aggregate_id": r.aggregate_id,
                "seq": r.seq,
                "type": r.type,
                "from_state": r.from_state,
                "to_state": r.to_state,
                "actor": r.actor,
                "text": r.text,
                "data": dict(r.data or {}),
                "at": r.at.isoformat(),
            }
            for r in self.session.scalars(query)
        ]

    def mail_to(self, member_id: int) -> list[dict[str, Any]]:
        query = select(OutboxRow).where(*_to_member(member_id)).order_by(OutboxRow.created_at, OutboxRow.id)
        return [
            {
                "id": r.id,
                "kind": r.kind,
                "email": r.email,
                "language": r.language,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "body_removed_at": r.purged_at.isoformat() if r.purged_at else None,
                "body": dict(r.payload or {}),
            }
            for r in self.session.scalars(query)
        ]

    def related_rows(self, member_id: int) -> dict[str, list[dict[str, Any]]]:
        """Rows of every other table that names the member in a ``member_id`` column."""
        found: dict[str, list[dict[str, Any]]] = {}
        for table in self._tables():
            if table.name in _HANDLED or table.name == "outbox" or _anonymous(table) or "member_id" not in table.c:
                continue
            columns = [c for c in table.columns if not any(m in c.name.lower() for m in _SECRET_MARKERS)]
            query = select(*columns).where(table.c.member_id == member_id)
            if table.primary_key.columns:
                query = query.order_by(*table.primary_key.columns)
            found[table.name] = [
                {k: _plain(v) for k, v in row.items()} for row in self.session.execute(query).mappings()
            ]
        return found

    # --- erasure ---------------------------------------------------------------------------

    def erase(self, member_id: int, *, redactor: Redactor, at: datetime) -> dict[str, int]:
        """Anonymise the member everywhere, in this transaction; returns what was changed, by kind."""
        row = self.session.get(MemberRow, member_id)
        if row is None:
            raise NotFound("member", member_id)
        row.name = redactor.placeholder.name
        row.email = redactor.placeholder.email
        row.greeting_name = None  # the given name goes with the name (migration 0012)
        row.active = False
        row.unsubscribed = True
        row.erased_at = at
        self.session.flush()
        deleted, stripped = self.clear_mail(member_id, address=redactor.placeholder.email, at=at)
        scrubbed = self._sweep(redactor)
        redacted = self._redact_events(member_id, redactor=redactor, at=at)
        turns = self._forget_speaking(member_id)
        return {
            "unsent_mail_deleted": deleted,
            "sent_mail_stripped": stripped,
            "rows_scrubbed": scrubbed,
            "events_redacted": redacted,
            "speaking_turns_deleted": turns,
        }

    def _forget_speaking(self, member_id: int) -> int:
        """The member's turns go; their taps in the meeting room stay without them (so that the room's undos still
        undo the same taps) and change nothing any more. The meetings' balance figures name nobody and stay."""
        turns = self.session.execute(delete(TurnRow).where(TurnRow.member_id == member_id))
        self.session.execute(
            update(RoomActionRow).where(RoomActionRow.member_id == member_id).values(member_id=None, was_present=None)
        )
        self.session.flush()
        return int(getattr(turns, "rowcount", 0) or 0)

    def clear_mail(self, member_id: int, *, address: str, at: datetime) -> tuple[int, int]:
        """Delete mail to the member that was never delivered (pending, failed or cancelled: its body names
        them, and nothing is lost); of delivered mail keep only the references, without body or address."""
        deleted = self.session.execute(
            delete(OutboxRow)
            .where(*_to_member(member_id), OutboxRow.status != OutboxStatus.SENT.value)
            .execution_options(synchronize_session=False)
        )
        rows = list(
            self.session.scalars(
                select(OutboxRow).where(
                    *_to_member(member_id),
                    or_(OutboxRow.purged_at.is_(None), OutboxRow.email != address),
                )
            )
        )
        for mail in rows:
            mail.email = address
            mail.payload = retained_payload(mail.payload or {})
            mail.last_error = None  # an SMTP error may quote the address
            mail.purged_at = mail.purged_at or at
        self.session.flush()
        return int(deleted.rowcount), len(rows)  # type: ignore[attr-defined]

    def _sweep(self, redactor: Redactor) -> int:
        """Replace the member's name and address in every text and JSON column of every other table."""
        connection = self.session.connection()
        changed = 0
        for table in self._tables():
            if table.name in _HANDLED:
                continue
            changed += _sweep_table(connection, table, redactor)
        return changed

    def _redact_events(self, member_id: int, *, redactor: Redactor, at: datetime) -> int:
        """Rewrite the text and data of events that name the member, under a redaction grant each.

        The log's trigger refuses any other change; the grant is marked applied afterwards, so it
        permits nothing more and stays as the record of what was redacted, when, for whom.
        """
        changes: list[tuple[EventRow, str | None, dict[str, Any]]] = []
        for event in self.session.scalars(select(EventRow).order_by(EventRow.id)):
            data = dict(event.data or {})
            other_member = event.aggregate == Aggregate.MEMBER.value and event.aggregate_id != member_id
            new_data = redactor.document(data, someone_else=other_member)
            new_text = redactor.text(event.text) if event.text is not None else None
            if new_text != event.text or new_data != data:
                changes.append((event, new_text, new_data))
        if not changes:
            return 0
        grants = [EventRedactionRow(event_id=e.id, member_id=member_id, requested_at=at) for e, _, _ in changes]
        self.session.add_all(grants)
        self.session.flush()
        for event, new_text, new_data in changes:
            self.session.execute(
                update(EventRow)
                .where(EventRow.id == event.id)
                .values(text=new_text, data=new_data)
                .execution_options(synchronize_session=False)
            )
        for grant in grants:
            grant.applied_at = at
        self.session.flush()
        for event, _, _ in changes:
            self.session.expire(event)
        return len(changes)

    # --- retention -------------------------------------------------------------------------

    def purge_mail_bodies(self, *, before: datetime, at: datetime, limit: int) -> int:
        """Remove the bodies of up to ``limit`` delivered (or abandoned) rows older than ``before``."""
        sent_long_ago = and_(OutboxRow.status == OutboxStatus.SENT.value, OutboxRow.sent_at < before)
        abandoned_long_ago = and_(
            OutboxRow.status.in_(_TERMINAL),
            OutboxRow.status != OutboxStatus.SENT.value,
            OutboxRow.created_at < before,
        )
        query = (
            select(OutboxRow)
            .where(OutboxRow.purged_at.is_(None), or_(sent_long_ago, abandoned_long_ago))
            .order_by(OutboxRow.created_at, OutboxRow.id)
            .limit(limit)
        )
        rows = list(self.session.scalars(query))
        for mail in rows:
            mail.payload = retained_payload(mail.payload or {})
            mail.purged_at = at
        self.session.flush()
        return len(rows)

    # --- after an erasure -------------------------------------------------------------------

    def clear_old_copies(self) -> bool:
        """Called after the erasure commits. SQLite zeroes what is overwritten in the file itself (secure_delete,
        persistence.engine) but keeps the pages as they were in its write-ahead log until a checkpoint: fold the
        log in and truncate it. PostgreSQL keeps old row versions until VACUUM reclaims them: the operator's
        job (README), nothing here."""
        bind = self.session.get_bind()
        return truncate_sqlite_log(bind if isinstance(bind, Engine) else bind.engine)

    def _tables(self) -> list[Table]:
        if self._metadata is None:
            self._metadata = MetaData()
            self._metadata.reflect(bind=self.session.connection())
        return list(self._metadata.sorted_tables)


class SqlAlchemyDataRightsUnitOfWork(SqlAlchemyUnitOfWork):
    """The unit of work with the member data store on the same session and transaction."""

    def __enter__(self) -> Self:
        super().__enter__()
        self.member_data = SqlAlchemyMemberData(self.session)
        return self

    @classmethod
    def beside(cls, uow: SqlAlchemyUnitOfWork) -> SqlAlchemyDataRightsUnitOfWork:
        """One on the same sessions and commit listener as ``uow`` (the web app is given plain units of work)."""
        return cls(uow._session_factory, on_commit=uow._on_commit)


def _to_member(member_id: int) -> tuple[Any, ...]:
    return (OutboxRow.recipient_kind == RecipientKind.MEMBER.value, OutboxRow.recipient_id == member_id)


def _anonymous(table: Table) -> bool:
    return any(marker in table.name.lower() for marker in _ANONYMOUS_MARKERS)


def _sweep_table(connection: Connection, table: Table, redactor: Redactor) -> int:
    texts = [c for c in table.columns if isinstance(c.type, String | JSON) and not c.primary_key]
    keys = list(table.primary_key.columns)
    if not texts or not keys:
        return 0
    owners = [table.c[name] for name in ("member_id", "recipient_kind", "recipient_id") if name in table.c]
    changed = 0
    # Read everything first: SQLite must not update a table while a cursor walks it.
    wanted = list(dict.fromkeys([*keys, *owners, *texts]))
    for row in connection.execute(select(*wanted)).mappings().all():
        skip = redactor.belongs_to_someone_else({c.name: row[c.name] for c in owners})
        values: dict[str, Any] = {}
        for column in texts:
            value = row[column.name]
            if value is None or (skip and column.name in IDENTITY_KEYS):
                continue
            if isinstance(column.type, JSON):
                new = redactor.document(value, someone_else=skip)
            else:
                new = redactor.text(str(value))
            if isinstance(new, str) and getattr(column.type, "length", None):
                new = new[: column.type.length]  # type: ignore[attr-defined]
            if new != value:
                values[column.name] = new
        if values:
            connection.execute(update(table).where(*(k == row[k.name] for k in keys)).values(**values))
            changed += 1
    return changed


def _plain(value: Any) -> Any:
    """A database value as JSON: times in UTC ISO 8601 (SQLite gives them back without offset)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None  # binary content (an upload) is not personal text; its row is listed
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
