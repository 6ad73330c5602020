"""The meeting room's tables (revision 0017): the log of taps, the turns replayed from it, and each meeting's
speaking balance (figures only: no member ids, so they stay when a member is erased)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base


class RoomActionRow(Base):
    __tablename__ = "meeting_room_actions"
    # A retried tap carries the same action id: the second insert is refused (and looked for before it).
    __table_args__ = (UniqueConstraint("meeting_id", "action_id", name="uq_meeting_room_actions_action"),)
    id: Mapped[int] = mapped_column(primary_key=True)  # the order of the taps
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    action_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    # NULL for the taps that name nobody, and for an erased member's (the tap then changes nothing).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    seconds: Mapped[int | None]
    was_present: Mapped[bool | None]
    at: Mapped[datetime]
    undone: Mapped[bool] = mapped_column(default=False, server_default=false())


class TurnRow(Base):
    __tablename__ = "meeting_turns"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class SpeakingBalanceRow(Base):
    __tablename__ = "meeting_speaking_balances"
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    present: Mapped[int]
    spoke: Mapped[int]
    share_spoke: Mapped[float]
    gini: Mapped[float | None]
    longest_seconds: Mapped[int]
    median_seconds: Mapped[int | None]
    max_to_median: Mapped[float | None]
    turns: Mapped[int]
    total_seconds: Mapped[int]
    updated_at: Mapped[datetime]
