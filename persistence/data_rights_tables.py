"""The table of granted event redactions: the one way an event's text may change (member erasure)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base


class EventRedactionRow(Base):
    """A grant to rewrite one event's text and data; the log's trigger checks it.

    Erasure writes the grant, rewrites the event and marks the grant applied in one
    transaction; an applied grant permits nothing more, so the row stays as the record.
    """

    __tablename__ = "event_redactions"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    requested_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
