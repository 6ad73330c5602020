"""The relational schema as SQLAlchemy 2 models; migrations in ``migrations/`` create it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, cast

from sqlalchemy import ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, false, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from persistence.types import JSONDocument, UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSONDocument}


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class, for statements built once."""
    return cast(Table, model.__table__)


class PanelRow(Base):
    __tablename__ = "panels"
    __table_args__ = (UniqueConstraint("public_slug", name="uq_panels_public_slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    lead_days: Mapped[int] = mapped_column(default=7)
    summary_due_days: Mapped[int] = mapped_column(default=7)
    stale_days: Mapped[int] = mapped_column(default=14)
    progress_note_days: Mapped[int] = mapped_column(default=45)
    # The person members may ask (migration 0012); all three or none.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # Swedish and English beside the Finnish columns: {"sv": {"name": ...}, "en": {...}} (migration 0012).
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # The public page /p/{public_slug}, off until a coordinator turns it on (migration 0019).
    public_page: Mapped[bool] = mapped_column(default=False, server_default=false())
    public_slug: Mapped[str | None] = mapped_column(String(60))


class ServiceRow(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("panel_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("panel_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    delivery: Mapped[str] = mapped_column(String(16), default="immediate")
    active: Mapped[bool] = mapped_column(default=True)
    unsubscribed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when the member was erased (data rights): name and email are placeholders from then on.
    erased_at: Mapped[datetime | None]
    # The name mail greets them by; null: the first word of ``name`` (migration 0012).
    greeting_name: Mapped[str | None] = mapped_column(String(200))


class StaffUserRow(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), index=True)
    # The saved UI language (fi/sv/en; null: not chosen) and the name mail greets them by (migration 0012).
    language: Mapped[str | None] = mapped_column(String(2))
    greeting_name: Mapped[str | None] = mapped_column(String(200))
    # False once deactivated: signs in no more (migration 0013).
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class CoordinatorPanelRow(Base):
    __tablename__ = "coordinator_panels"
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), primary_key=True)


class MeetingRow(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    starts_at: Mapped[datetime]
    leading_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    place: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="planned")
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    ends_at: Mapped[datetime | None]
    online_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    agenda: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    materials: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    late: Mapped[bool] = mapped_column(default=False, server_default=false())
    late_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    prebrief_sent_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_steps: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    summary_approved_at: Mapped[datetime | None]
    summary_approved_by: Mapped[str] = mapped_column(String(254), default="", server_default="")
    summary_sent_at: Mapped[datetime | None]
    # Title, place, summary and next steps in sv/en (migration 0012).
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # A move or cancellation members were told of raises the calendar entry's SEQUENCE (migration 0016).
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    cancelled_at: Mapped[datetime | None]


class DevelopmentTaskRow(Base):
    __tablename__ = "development_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    # The task's title and description in sv/en (migration 0012).
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)


class IdeaRow(Base):
    __tablename__ = "ideas"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer)
    # Title and text in sv/en (migration 0012).
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)


class EventRow(Base):
    """The append-only log; database triggers refuse UPDATE and DELETE."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("aggregate", "aggregate_id", "seq", name="uq_events_aggregate_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    aggregate: Mapped[str] = mapped_column(String(32))
    aggregate_id: Mapped[int]
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(254))
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "recipient_kind", "recipient_id", "status"),
        # The dashboard's outbox health per panel (migration 0009).
        Index("ix_outbox_panel_status", "panel_id", "status", "created_at"),
        Index("ix_outbox_email", "email_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_id: Mapped[int]
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    payload: Mapped[dict[str, Any]]
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Which dispatcher holds the lease; marks from a dispatcher whose lease was taken over are ignored.
    claim_token: Mapped[str | None] = mapped_column(String(36))
    # The Message-ID the row went out under (several rows share one when coalesced).
    sent_as: Mapped[str | None] = mapped_column(String(255))
    # When the body (payload) was removed: after the retention period, or when the member was erased.
    purged_at: Mapped[datetime | None]
    # The email the row goes out in, recorded when it is claimed and before anything is sent: a repeat
    # after a crash is the same email (rows, kind, Date and Message-ID). Migration 0010.
    email_id: Mapped[str | None] = mapped_column(String(36))
    email_kind: Mapped[str | None] = mapped_column(String(64))
    email_at: Mapped[datetime | None]


from persistence import access_tables as _access_tables  # noqa: E402, F401  (API tokens: register the table)
from persistence import calendar_feed_tables as _calendar_feed_tables  # noqa: E402, F401  (members' feed keys)
from persistence import data_rights_tables as _data_rights_tables  # noqa: E402, F401  (event redactions)
from persistence import meeting_files_tables as _meeting_files_tables  # noqa: E402, F401  (materials as files)
from persistence import meeting_room_tables as _meeting_room_tables  # noqa: E402, F401  (speaking turns)

# Ground rules, topic wishes, attendance:
from persistence import participation_tables as _participation_tables  # noqa: E402, F401
from persistence import survey_tables as _survey_tables  # noqa: E402, F401  (evaluation surveys)
