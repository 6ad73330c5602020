"""The SQLAlchemy unit of work: one session, one transaction, every repository on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from persistence import repositories as repo


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.panels = repo.SqlAlchemyPanels(session)
        self.services = repo.SqlAlchemyServices(session)
        self.members = repo.SqlAlchemyMembers(session)
        self.users = repo.SqlAlchemyUsers(session)
        self.meetings = repo.SqlAlchemyMeetings(session)
        self.events = repo.SqlAlchemyEventLog(session)
        self.ideas = repo.SqlAlchemyIdeas(session, self.events)
        self.outbox = repo.SqlAlchemyOutbox(session)
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
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
