"""One unit of work per store: the fakes of tests/fakes.py, SQLite and PostgreSQL (slow: the `postgresql` mark).

Every test in tests/contract runs on each, so the fakes the fast use case tests rely on behave as the SQL
repositories do. Where they differ, the fake is what changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError

from application.ports.unit_of_work import UnitOfWork
from domain.actors import Actor
from domain.ideas import Idea
from domain.meetings import DevelopmentTask, Meeting
from domain.panels import Member, Panel, Service
from persistence.engine import make_engine, make_session_factory
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import fresh_database_url
from tests.fakes import FakeIntegrityError, FakeUnitOfWork

# What a store raises when a row breaks a unique or foreign key constraint. (The outbox's rows go to PostgreSQL by
# COPY on the driver's connection: its error comes from psycopg, not through SQLAlchemy.)
REFUSED = (FakeIntegrityError, IntegrityError, psycopg.IntegrityError)
AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
OPERATOR = Actor.operator()


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
    ]
)
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    """An empty store behind a unit of work; each ``with uow:`` is a transaction of its own."""
    if request.param == "fake":
        yield FakeUnitOfWork()
        return
    engine = make_engine(fresh_database_url(request, request.param, tmp_path))
    try:
        yield SqlAlchemyUnitOfWork(make_session_factory(engine))
    finally:
        engine.dispose()


def add_panel(uow: UnitOfWork, name: str = "Pohjoinen raati") -> int:
    with uow:
        panel = uow.panels.add(Panel(id=None, name=name))
        uow.commit()
    assert panel.id is not None
    return panel.id


def add_service(uow: UnitOfWork, panel_id: int, name: str = "Suun terveys") -> int:
    with uow:
        service = uow.services.add(Service(id=None, panel_id=panel_id, name=name))
        uow.commit()
    assert service.id is not None
    return service.id


def add_members(uow: UnitOfWork, panel_id: int, *names: str) -> list[int]:
    with uow:
        members = [
            uow.members.add(Member(id=None, panel_id=panel_id, name=name, email=f"{name.lower()}@example.fi"))
            for name in names
        ]
        uow.commit()
    return [m.id for m in members if m.id is not None]


def add_meeting(uow: UnitOfWork, panel_id: int, service_id: int, *, days: int = 21) -> int:
    with uow:
        meeting = uow.meetings.add(
            Meeting(
                id=None,
                panel_id=panel_id,
                starts_at=AT + timedelta(days=days),
                leading_service_id=service_id,
                tasks=[DevelopmentTask("Is the recall letter clear?")],
            )
        )
        uow.commit()
    assert meeting.id is not None
    return meeting.id


def add_idea(
    uow: UnitOfWork,
    panel_id: int,
    meeting_id: int,
    *,
    title: str = "Evening appointments",
    service_id: int | None = None,
) -> int:
    with uow:
        idea = uow.ideas.add(
            Idea.raise_new(
                panel_id=panel_id,
                meeting_id=meeting_id,
                title=title,
                text="Working members cannot come by day.",
                service_id=service_id,
                actor=OPERATOR,
                at=AT,
            )
        )
        uow.commit()
    assert idea.id is not None
    return idea.id
