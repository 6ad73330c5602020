"""The members' calendar feed key versions (SQLAlchemy): ``calendar_feeds``, a row once a member renews."""

from __future__ import annotations

from sqlalchemy.orm import Session

from persistence.calendar_feed_tables import CalendarFeedRow


class SqlAlchemyCalendarFeeds:
    def __init__(self, session: Session) -> None:
        self.session = session

    def version(self, member_id: int) -> int:
        row = self.session.get(CalendarFeedRow, member_id)
        return row.version if row is not None else 0

    def renew(self, member_id: int) -> int:
        # Locked for the rest of the transaction (PostgreSQL): two renewals at once give two versions, not one.
        row = self.session.get(CalendarFeedRow, member_id, with_for_update=True)
        if row is None:
            row = CalendarFeedRow(member_id=member_id, version=0)
            self.session.add(row)
        row.version += 1
        self.session.flush()
        return row.version
