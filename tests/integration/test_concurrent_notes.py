"""Twenty writers at once on the same idea, each in its own thread and unit of work, on the real database.

Without an expected version every note lands (the use case redoes a change that lost the race); with one,
the loser is told the version it gave. PostgreSQL is where the races happen: SQLite runs one writer at a time.
"""

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from sqlalchemy import select

from application.commands import MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from application.reads.views import show_idea
from domain.actors import Actor
from domain.errors import InvalidTransition, VersionConflict
from persistence.tables import EventRow, OutboxRow
from tests.integration.conftest import SERVICE

OPERATOR = Actor.operator()  # who the command line reads as

WRITERS = 20
T = TypeVar("T")


def at_once(work: Callable[[int], T]) -> list[T | Exception]:
    """Run ``work(n)`` for every writer in its own thread, all released together; results or errors, in order."""
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> T | Exception:
        start.wait(timeout=30)
        try:
            return work(n)
        except Exception as error:  # the test looks at it
            return error

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(writer, range(WRITERS)))


def test_twenty_notes_at_once_without_a_version_all_land_in_a_contiguous_sequence(world, uow_factory, clock, engine):
    idea_id = world.raise_idea(uow_factory, clock, "Ajanvaraus")
    notes = [f"Tilanne {n}" for n in range(WRITERS)]

    outcomes = at_once(lambda n: note_idea(NoteIdea(idea_id=idea_id, text=notes[n]), uow=uow_factory(), clock=clock))

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    view = show_idea(idea_id, actor=OPERATOR, uow=uow_factory())
    assert view.version == WRITERS + 1
    assert [e.seq for e in view.timeline] == list(range(1, WRITERS + 2))
    assert [e.type for e in view.timeline] == ["raised"] + ["noted"] * WRITERS
    assert sorted(e.text for e in view.timeline[1:]) == sorted(notes)
    # Each writer saw its own note as the idea's newest change, at the version it got.
    assert sorted(o.version for o in outcomes if not isinstance(o, Exception)) == list(range(2, WRITERS + 2))
    with engine.connect() as connection:
        seqs = connection.scalars(
            select(EventRow.seq).where(EventRow.aggregate == "idea", EventRow.aggregate_id == idea_id)
        ).all()
        payloads = connection.scalars(select(OutboxRow.payload)).all()
    assert sorted(seqs) == list(range(1, WRITERS + 2))
    # Every note tells every active member (the idea has no service yet, so no owner), once.
    assert len(payloads) == WRITERS * len(world.members)
    assert Counter(p["text"] for p in payloads) == dict.fromkeys(notes, len(world.members))


def test_twenty_moves_at_once_without_a_version_one_lands_the_others_see_the_state_it_left(world, uow_factory, clock):
    idea_id = world.raise_idea(uow_factory, clock, "Ajanvaraus")

    def send(_n: int) -> object:
        command = MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE)
        return move_idea(command, uow=uow_factory(), clock=clock)

    outcomes = at_once(send)

    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == WRITERS - 1
    # Redone on the idea as it now is: the move is no longer allowed, and no version the caller never gave is named.
    assert {type(o) for o in refused} == {InvalidTransition}
    assert {str(o) for o in refused} == {
        "state: cannot move from sent_to_service to sent_to_service; allowed next states: declined, in_progress"
    }
    view = show_idea(idea_id, actor=OPERATOR, uow=uow_factory())
    assert [(e.seq, e.type) for e in view.timeline] == [(1, "raised"), (2, "moved")]


@pytest.mark.parametrize("write", ["note", "move"])
def test_twenty_writers_with_the_same_stale_version_one_lands_the_others_get_the_version_they_gave(
    world, uow_factory, clock, write
):
    idea_id = world.raise_idea(uow_factory, clock, "Ajanvaraus")

    def change(n: int) -> object:
        if write == "note":
            return note_idea(
                NoteIdea(idea_id=idea_id, text=f"Tilanne {n}", expected_version=1), uow=uow_factory(), clock=clock
            )
        command = MoveIdea(idea_id=idea_id, to="declined", note=f"Ei nyt {n}", expected_version=1)
        return move_idea(command, uow=uow_factory(), clock=clock)

    outcomes = at_once(change)

    conflicts = [o for o in outcomes if isinstance(o, VersionConflict)]
    assert len(conflicts) == WRITERS - 1, [o for o in outcomes if isinstance(o, Exception)]
    assert {(c.expected, c.current) for c in conflicts} == {(1, 2)}
    assert {str(c) for c in conflicts} == {
        f"expected_version: idea {idea_id} was expected at version 1; it is now at version 2"
    }
    assert show_idea(idea_id, actor=OPERATOR, uow=uow_factory()).version == 2


def test_a_note_with_a_stale_version_is_refused_and_changes_nothing(world, uow_factory, clock):
    idea_id = world.raise_idea(uow_factory, clock, "Ajanvaraus")
    note_idea(NoteIdea(idea_id=idea_id, text="Ensimmäinen"), uow=uow_factory(), clock=clock)

    with pytest.raises(VersionConflict) as caught:
        note_idea(NoteIdea(idea_id=idea_id, text="Myöhässä", expected_version=1), uow=uow_factory(), clock=clock)

    assert str(caught.value) == f"expected_version: idea {idea_id} was expected at version 1; it is now at version 2"
    assert [e.text for e in show_idea(idea_id, actor=OPERATOR, uow=uow_factory()).timeline][1:] == ["Ensimmäinen"]
