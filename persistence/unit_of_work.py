"""The SQLAlchemy unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from domain.events import Event
from persistence.access import (
    SqlAlchemyApiTokens,
    SqlAlchemyAuditLog,
    SqlAlchemySignInLinks,
    SqlAlchemySignInRequests,
    SqlAlchemyStaffSessions,
)
from persistence.calendar_feeds import SqlAlchemyCalendarFeeds
from persistence.dashboard_queries import SqlAlchemyDashboardQueries
from persistence.events import SqlAlchemyEventLog
from persistence.ideas import SqlAlchemyIdeas
from persistence.meeting_files import SqlAlchemyMeetingFiles
from persistence.meeting_room import SqlAlchemyMeetingRoom
from persistence.meetings import SqlAlchemyMeetings
from persistence.metrics import count_moves, measure_moves
from persistence.outbox import SqlAlchemyOutbox
from persistence.panels import SqlAlchemyMembers, SqlAlchemyPanels, SqlAlchemyServices, SqlAlchemyUsers
from persistence.participation import SqlAlchemyAttendance, SqlAlchemyGroundRules, SqlAlchemyTopicWishes
from persistence.surveys import SqlAlchemySurveys


class SqlAlchemyUnitOfWork:
    """``on_commit`` hears the events of each committed transaction (to wake the flows up).

    It runs after the commit, so a failing listener can never undo or block a change.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        on_commit: Callable[[Sequence[Event]], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._on_commit = on_commit

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.panels = SqlAlchemyPanels(session)
        self.services = SqlAlchemyServices(session)
        self.members = SqlAlchemyMembers(session)
        self.users = SqlAlchemyUsers(session)
        self.meetings = SqlAlchemyMeetings(session)
        self.meeting_files = SqlAlchemyMeetingFiles(session)
        self.meeting_room = SqlAlchemyMeetingRoom(session)
        self.events = SqlAlchemyEventLog(session)
        self.ideas = SqlAlchemyIdeas(session, self.events)
        self.outbox = SqlAlchemyOutbox(session)
        self.surveys = SqlAlchemySurveys(session)
        self.ground_rules = SqlAlchemyGroundRules(session)
        self.topic_wishes = SqlAlchemyTopicWishes(session)
        self.attendance = SqlAlchemyAttendance(session)
        self.dashboard = SqlAlchemyDashboardQueries(session)
        self.tokens = SqlAlchemyApiTokens(session)
        self.staff_sessions = SqlAlchemyStaffSessions(session)
        self.sign_in_links = SqlAlchemySignInLinks(session)
        self.sign_in_requests = SqlAlchemySignInRequests(session)
        self.audit = SqlAlchemyAuditLog(session)
        self.calendar_feeds = SqlAlchemyCalendarFeeds(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is rolled back: no half-written change.
        try:
            self.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        moves = measure_moves(self.session, self.events.appended)  # Prometheus: read inside this transaction
        self.session.commit()
        count_moves(moves)
        appended, self.events.appended = self.events.appended, []
        if self._on_commit is not None and appended:
            self._on_commit(appended)

    def rollback(self) -> None:
        self.session.rollback()
        if self._session is not None:
            self.events.appended = []
