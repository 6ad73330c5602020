"""Tables of the members' part in a panel: ground rule versions and acknowledgements, topic wishes, attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import JSONDocument


class GroundRulesRow(Base):
    """One published version of a panel's rules: ``rules`` maps fi, sv and en to lists of rules."""

    __tablename__ = "ground_rules"
    __table_args__ = (UniqueConstraint("panel_id", "version", name="uq_ground_rules_panel_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    version: Mapped[int]
    rules: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    published_at: Mapped[datetime]
    published_by: Mapped[str] = mapped_column(String(254))


class GroundRulesAckRow(Base):
    __tablename__ = "ground_rules_acks"
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    acknowledged_at: Mapped[datetime]


class TopicWishRow(Base):
    __tablename__ = "topic_wishes"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str] = mapped_column(String(254))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    scheduled_at: Mapped[datetime | None]
    scheduled_by: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Declined with a note to the member (revision 0014); a declined wish is never scheduled again.
    declined_at: Mapped[datetime | None]
    declined_by: Mapped[str] = mapped_column(String(254), default="", server_default="")
    decline_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class AttendanceRow(Base):
    __tablename__ = "meeting_attendance"
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True, index=True)
    recorded_at: Mapped[datetime]
