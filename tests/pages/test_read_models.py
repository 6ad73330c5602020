"""Dashboard and queue read models on SQLite and PostgreSQL: the figures, the rights, a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, update

from application.commands import AddUser, MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from application.people.roster import add_user
from application.reads.dashboard import panel_dashboard
from application.reads.idea_queue import PAGE_SIZE, idea_page, idea_queue
from domain.actors import Actor
from domain.errors import PermissionDenied
from domain.values import Role
from persistence.tables import OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, SERVICE, World

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
MANAGER = Actor(name="johto@kaari.example", role=Role.MANAGER)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def sent(world: World, uow_factory: UowFactory, clock: FixedClock, title: str) -> int:
    idea_id = world.raise_idea(uow_factory, clock, title)
    move_idea(MoveIdea(idea_id, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)
    return idea_id


def test_the_dashboard_times_first_responses_and_counts_overdue_ideas_per_service(
    world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    noted, started, waiting = (sent(world, uow_factory, clock, t) for t in ("A", "B", "C"))
    world.raise_idea(uow_factory, clock, "D")
    start = clock.now()
    clock.set(start + timedelta(days=2))
    note_idea(NoteIdea(noted, text="Selvitetään."), uow=uow_factory(), clock=clock)
    clock.set(start + timedelta(days=4))
    move_idea(MoveIdea(started, to="in_progress"), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        uow.session.execute(update(OutboxRow).where(OutboxRow.email == "aino@example.org").values(status="failed"))
        uow.session.execute(
            update(OutboxRow).where(OutboxRow.status == "failed").values(last_error="550 mailbox unavailable")
        )
        uow.commit()
    clock.set(start + timedelta(days=20))

    board = panel_dashboard(MANAGER, None, uow=uow_factory(), clock=clock)

    assert board.by_state == {"raised": 1, "sent_to_service": 2, "in_progress": 1, "implemented": 0, "declined": 0}
    (line,) = board.services
    assert (line.name, line.open, line.median_days_to_first_response) == (SERVICE, 3, 3.0)
    # A (last touched day 2) and C (day 0) waited past stale_days (14); B is in progress, under 45 days.
    assert line.overdue == 2
    (meeting,) = board.meetings
    assert (meeting.prebrief, meeting.summary) == ("due", "not_yet")
    assert board.outbox.failed_count == 5  # Aino's mail: A, B and C sent on, A noted, B started
    assert board.outbox.failure_reasons == [("550 mailbox unavailable", 5)]
    assert board.outbox.pending > 0
    assert board.outbox.oldest_pending_age_hours == pytest.approx(20 * 24, abs=0.1)
    assert waiting in {item.id for item in idea_queue(MANAGER, page=1, uow=uow_factory(), clock=clock).items}


def test_who_will_be_told_is_what_the_outbox_then_gets(
    world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    coordinator = add_user(
        AddUser(email="koordinaattori@kaari.example", role=Role.COORDINATOR, panel=PANEL),
        uow=uow_factory(),
        clock=clock,
    ).as_actor()
    idea_id = world.raise_idea(uow_factory, clock, "Opasteet")
    shown = idea_page(coordinator, idea_id, uow=uow_factory(), clock=clock)
    assert shown.choices == ["sent_to_service", "note", "declined"]
    assert [(s.name, s.told) for s in shown.services] == [(SERVICE, shown.told["sent_to_service"])]
    told = shown.told["sent_to_service"]
    assert (told.members, told.staff) == (3, 1)  # three active members, the service's owner

    view = move_idea(
        MoveIdea(idea_id, to="sent_to_service", service=SERVICE, actor=coordinator.name), uow=uow_factory(), clock=clock
    )

    assert view.queued_notifications == told.members + told.staff


def test_owners_see_only_their_service_and_have_no_dashboard(
    world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    owner = Actor(name=world.owner_email, role=Role.SERVICE_OWNER, service_id=world.service_id)
    stranger = Actor(name="muu@kaari.example", role=Role.SERVICE_OWNER, service_id=world.service_id + 100)
    idea_id = sent(world, uow_factory, clock, "Opasteet")
    world.raise_idea(uow_factory, clock, "Ei vielä palvelulla")

    queue = idea_queue(owner, page=1, uow=uow_factory(), clock=clock)

    assert [item.id for item in queue.items] == [idea_id]
    assert queue.can_act
    with pytest.raises(PermissionDenied):
        idea_page(stranger, idea_id, uow=uow_factory(), clock=clock)
    with pytest.raises(PermissionDenied):
        panel_dashboard(owner, None, uow=uow_factory(), clock=clock)
    assert not idea_queue(MANAGER, page=1, uow=uow_factory(), clock=clock).can_act


def test_the_pages_need_the_same_number_of_queries_for_more_data(
    world: World, uow_factory: UowFactory, clock: FixedClock, engine: Engine
) -> None:
    def queries_per_page() -> tuple[int, int, int]:
        with counted(engine) as board:
            panel_dashboard(MANAGER, None, uow=uow_factory(), clock=clock)
        with counted(engine) as queue:
            idea_queue(MANAGER, page=1, uow=uow_factory(), clock=clock)
        with counted(engine) as page:
            idea_page(MANAGER, first, uow=uow_factory(), clock=clock)
        return len(board), len(queue), len(page)

    first = sent(world, uow_factory, clock, "Idea 0")
    small = queries_per_page()
    for n in range(1, 16):
        idea_id = sent(world, uow_factory, clock, f"Idea {n}")
        note_idea(NoteIdea(idea_id, text="Edistyy."), uow=uow_factory(), clock=clock)

    assert queries_per_page() == small


@pytest.mark.slow  # 55 ideas raised and sent on one by one
def test_the_queue_comes_fifty_ideas_a_page_oldest_first(
    world: World, uow_factory: UowFactory, clock: FixedClock
) -> None:
    ids = [sent(world, uow_factory, clock, f"Idea {n}") for n in range(PAGE_SIZE + 5)]

    first = idea_queue(MANAGER, page=1, uow=uow_factory(), clock=clock)
    second = idea_queue(MANAGER, page=2, uow=uow_factory(), clock=clock)

    assert (first.total, first.pages, second.page) == (PAGE_SIZE + 5, 2, 2)
    assert [item.id for item in first.items + second.items] == ids
