"""The members' calendar feed keys (revision 0018): one row per member who has made a new feed address."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base


class CalendarFeedRow(Base):
    __tablename__ = "calendar_feeds"
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True, autoincrement=False)
    # Part of what the feed address signs: raising it revokes the address (no row: version 0).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
