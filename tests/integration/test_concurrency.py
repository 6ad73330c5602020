"""Two operating-system processes race to move the same idea from the same version."""

import multiprocessing
import time
import traceback
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from application.commands import MoveIdea
from application.ideas.changes import move_idea
from application.reads.views import show_idea
from domain.actors import Actor
from domain.errors import VersionConflict
from persistence.engine import make_engine, make_session_factory
from persistence.tables import EventRow, OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.slow  # two processes racing, ten rounds

OPERATOR = Actor.operator()  # who the command line reads as

ROUNDS = 10
RACERS = 2
BARRIER_TIMEOUT_S = 30


class _RendezvousClock:
    """The real time; the first reading waits for the other racer.

    ``move_idea`` first reads the clock after loading the idea and before saving it, so
    with a barrier both racers have read the same version before either one writes.
    """

    def __init__(self, barrier: Any | None) -> None:
        self._barrier = barrier

    def now(self) -> datetime:
        if self._barrier is not None:
            barrier, self._barrier = self._barrier, None
            barrier.wait(timeout=BARRIER_TIMEOUT_S)
        return datetime.now(UTC)


def _raised_by(error: BaseException) -> str:
    frames = [frame.name for frame in traceback.extract_tb(error.__traceback__)]
    if "_check_version" in frames:
        return "domain check"
    return "database guard" if "save" in frames else "elsewhere"


def _race(url: str, racer: int, idea_ids: list[int], start: Any, both_have_read: Any | None, results: Any) -> None:
    """One racer: for every idea, wait for the other racer, then try to move it from version 1."""
    engine = make_engine(url)
    session_factory = make_session_factory(engine)
    try:
        for idea_id in idea_ids:
            start.wait(timeout=BARRIER_TIMEOUT_S)
            command = MoveIdea(
                idea_id=idea_id,
                to="sent_to_service",
                service="Suun terveydenhuolto",
                expected_version=1,
                note=f"racer {racer}",
            )
            try:
                view = move_idea(
                    command, uow=SqlAlchemyUnitOfWork(session_factory), clock=_RendezvousClock(both_have_read)
                )
            except VersionConflict as error:
                results.put((idea_id, racer, "conflict", _raised_by(error), str(error), error.expected))
            except Exception as error:  # reported to the test, which fails on it
                results.put((idea_id, racer, "error", type(error).__name__, repr(error), None))
            else:
                results.put((idea_id, racer, "moved", None, view.state, view.version))
    finally:
        engine.dispose()


def test_two_processes_moving_the_same_idea_one_wins_the_other_gets_a_version_conflict(
    database_url, world, uow_factory, clock, engine
):
    idea_ids = [world.raise_idea(uow_factory, clock, f"Idea {n}") for n in range(ROUNDS)]
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(RACERS)
    # SQLite: BEGIN IMMEDIATE queues the second writer before it reads, so it loads the
    # winner's version and the domain refuses. PostgreSQL: both read version 1, then the
    # guarded UPDATE of the second one matches no row.
    on_postgresql = engine.dialect.name == "postgresql"
    both_have_read = context.Barrier(RACERS) if on_postgresql else None
    expected_origin = "database guard" if on_postgresql else "domain check"
    results = context.Queue()
    racers = [
        context.Process(target=_race, args=(database_url, racer, idea_ids, start, both_have_read, results), daemon=True)
        for racer in range(RACERS)
    ]

    started = time.monotonic()
    try:
        for process in racers:
            process.start()
        outcomes = [results.get(timeout=60) for _ in range(ROUNDS * RACERS)]
        for process in racers:
            process.join(timeout=30)
    finally:
        for process in racers:
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
    elapsed = time.monotonic() - started

    assert [p.exitcode for p in racers] == [0] * RACERS
    assert [o for o in outcomes if o[2] == "error"] == []
    for idea_id in idea_ids:
        mine = [o for o in outcomes if o[0] == idea_id]
        assert sorted(o[2] for o in mine) == ["conflict", "moved"], mine
        [(_, winner, _, _, state, version)] = [o for o in mine if o[2] == "moved"]
        [(_, _, _, origin, message, expected)] = [o for o in mine if o[2] == "conflict"]
        assert (state, version) == ("sent_to_service", 2)
        assert origin == expected_origin
        assert expected == 1
        assert message == f"expected_version: idea {idea_id} was expected at version 1; it is now at version 2"

        view = show_idea(idea_id, actor=OPERATOR, uow=uow_factory())
        assert (view.state, view.version) == ("sent_to_service", 2)
        assert [(e.seq, e.type, e.text) for e in view.timeline] == [
            (1, "raised", "Ajanvaraus puhelimella on hidas."),
            (2, "moved", f"racer {winner}"),
        ]

    with engine.connect() as connection:
        moved_events = connection.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.aggregate == "idea", EventRow.seq == 2)
        )
        outbox = connection.execute(select(OutboxRow.id, OutboxRow.payload)).all()
    outbox_per_idea = Counter(payload["idea_id"] for _, payload in outbox)
    winners_text = Counter(payload["text"] for _, payload in outbox)
    # One event and one set of notifications (three members and the owner) per idea.
    assert moved_events == ROUNDS
    assert outbox_per_idea == dict.fromkeys(idea_ids, len(world.members) + 1)
    assert len({row_id for row_id, _ in outbox}) == len(outbox)
    assert set(winners_text) <= {f"racer {n}" for n in range(RACERS)}
    assert elapsed < 30, f"the race took {elapsed:.1f} s"
