"""Ideas and the event log: stored with their events, saved only from the version they were read at, listed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound, VersionConflict
from domain.events import Aggregate, Event, EventType
from domain.ideas import Idea, IdeaState
from domain.meetings import Meeting
from tests.contract.conftest import AT, OPERATOR, REFUSED, add_idea, add_meeting, add_panel, add_service


@pytest.fixture
def place(uow: UnitOfWork) -> tuple[int, int, int]:
    """A panel, its service and a meeting."""
    panel_id = add_panel(uow)
    service_id = add_service(uow, panel_id)
    return panel_id, service_id, add_meeting(uow, panel_id, service_id)


def test_a_new_idea_gets_an_id_and_its_raised_event_is_logged_under_it(
    uow: UnitOfWork, place: tuple[int, int, int]
) -> None:
    panel_id, service_id, meeting_id = place
    idea_id = add_idea(uow, panel_id, meeting_id, service_id=service_id)

    with uow:
        idea = uow.ideas.get(idea_id)
        assert (idea.panel_id, idea.meeting_id, idea.service_id) == (panel_id, meeting_id, service_id)
        assert (idea.title, idea.text, idea.state, idea.version, idea.new_events) == (
            "Evening appointments", "Working members cannot come by day.", IdeaState.RAISED, 1, []
        )  # fmt: skip
        [raised] = uow.events.for_aggregate(Aggregate.IDEA, idea_id)
        assert (raised.aggregate_id, raised.seq, raised.type, raised.to_state, raised.actor, raised.at) == (
            idea_id, 1, EventType.RAISED, "raised", "operator", AT
        )  # fmt: skip
        assert uow.events.next_seq(Aggregate.IDEA, idea_id) == 2
        with pytest.raises(NotFound):
            uow.ideas.get(idea_id + 1)


def test_a_saved_move_changes_state_version_and_service_and_logs_its_event(
    uow: UnitOfWork, place: tuple[int, int, int]
) -> None:
    panel_id, service_id, meeting_id = place
    idea_id = add_idea(uow, panel_id, meeting_id)

    with uow:
        idea = uow.ideas.get(idea_id, for_update=True)
        idea.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=AT + timedelta(hours=1), service_id=service_id)
        idea.title = "Another title"  # a move never changes the title, and a save does not write it
        uow.ideas.save(idea)
        assert idea.new_events == []
        uow.commit()

    with uow:
        saved = uow.ideas.get(idea_id)
        assert (saved.state, saved.version, saved.service_id, saved.title) == (
            IdeaState.SENT_TO_SERVICE, 2, service_id, "Evening appointments"
        )  # fmt: skip
        events = uow.events.for_aggregate(Aggregate.IDEA, idea_id)
        assert [(e.seq, e.type, e.from_state, e.to_state) for e in events] == [
            (1, EventType.RAISED, None, "raised"),
            (2, EventType.MOVED, "raised", "sent_to_service"),
        ]
        assert events[1].data == {"service_id": service_id}


def test_a_change_saved_from_a_version_read_before_another_save_is_a_conflict_and_writes_nothing(
    uow: UnitOfWork, place: tuple[int, int, int]
) -> None:
    panel_id, service_id, meeting_id = place
    idea_id = add_idea(uow, panel_id, meeting_id, service_id=service_id)
    with uow:
        stale = uow.ideas.get(idea_id)
    with uow:
        first = uow.ideas.get(idea_id)
        first.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=AT + timedelta(hours=1))
        uow.ideas.save(first)
        uow.commit()

    with uow:
        stale.move(IdeaState.DECLINED, actor=OPERATOR, at=AT + timedelta(hours=2), note="Not this year.")
        with pytest.raises(VersionConflict) as conflict:
            uow.ideas.save(stale)
        assert (conflict.value.expected, conflict.value.current) == (1, 2)

    with uow:
        assert (uow.ideas.get(idea_id).state, uow.ideas.get(idea_id).version) == (IdeaState.SENT_TO_SERVICE, 2)
        assert [e.seq for e in uow.events.for_aggregate(Aggregate.IDEA, idea_id)] == [1, 2]


def test_ideas_are_listed_by_id_filtered_and_paged(uow: UnitOfWork, place: tuple[int, int, int]) -> None:
    panel_id, service_id, meeting_id = place
    other_panel = add_panel(uow, "Toinen raati")
    other_meeting = add_meeting(uow, other_panel, add_service(uow, other_panel))
    ids = [add_idea(uow, panel_id, meeting_id, title=f"Idea {n}", service_id=service_id) for n in range(4)]
    elsewhere = add_idea(uow, other_panel, other_meeting, title="Elsewhere")
    with uow:
        idea = uow.ideas.get(ids[1])
        idea.move(IdeaState.DECLINED, actor=OPERATOR, at=AT + timedelta(hours=1), note="Not this year.")
        uow.ideas.save(idea)
        uow.commit()

    with uow:
        listed = uow.ideas.list
        assert [i.id for i in listed()] == [*ids, elsewhere]
        assert [i.id for i in listed(panel_id=panel_id)] == ids
        assert [i.id for i in listed(panel_ids={other_panel})] == [elsewhere]
        assert [i.id for i in listed(panel_ids=set())] == []
        assert [i.id for i in listed(service_id=service_id, state=IdeaState.RAISED)] == [ids[0], ids[2], ids[3]]
        assert [i.id for i in listed(limit=2, offset=1)] == ids[1:3]
        assert [i.id for i in listed(panel_id=panel_id, offset=3)] == [ids[3]]
        assert all(i.new_events == [] for i in listed())


def test_open_ideas_come_with_when_they_entered_their_state_and_their_last_event(
    uow: UnitOfWork, place: tuple[int, int, int]
) -> None:
    panel_id, service_id, meeting_id = place
    moved, noted, ended = (add_idea(uow, panel_id, meeting_id, service_id=service_id) for _ in range(3))
    with uow:
        for idea_id, hours in ((moved, 1), (noted, 2), (ended, 3)):
            idea = uow.ideas.get(idea_id)
            idea.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=AT + timedelta(hours=hours))
            if idea_id == noted:
                idea.note("Asked the staff.", actor=OPERATOR, at=AT + timedelta(hours=5))
            if idea_id == ended:
                idea.move(IdeaState.DECLINED, actor=OPERATOR, at=AT + timedelta(hours=6), note="Not this year.")
            uow.ideas.save(idea)
        uow.commit()

    with uow:
        found = [(idea.id, entered, last) for idea, entered, last in uow.ideas.open_with_activity()]
    assert found == [
        (moved, AT + timedelta(hours=1), AT + timedelta(hours=1)),
        (noted, AT + timedelta(hours=2), AT + timedelta(hours=5)),
    ]


def test_an_idea_refers_to_a_stored_panel_and_meeting(uow: UnitOfWork, place: tuple[int, int, int]) -> None:
    panel_id, _, meeting_id = place
    new = Idea.raise_new(
        panel_id=panel_id, meeting_id=meeting_id + 1, title="Idea", text=None, service_id=None, actor=OPERATOR, at=AT
    )

    with uow, pytest.raises(REFUSED):
        uow.ideas.add(new)


def test_a_meeting_refers_to_a_stored_panel_and_service(uow: UnitOfWork, place: tuple[int, int, int]) -> None:
    panel_id, service_id, _ = place

    with uow, pytest.raises(REFUSED):
        uow.meetings.add(Meeting(id=None, panel_id=panel_id, starts_at=AT, leading_service_id=service_id + 1))
    with uow, pytest.raises(REFUSED):
        uow.meetings.add(Meeting(id=None, panel_id=panel_id + 1, starts_at=AT, leading_service_id=service_id))


def _event(aggregate_id: int | None, seq: int, **data: object) -> Event:
    return Event(
        aggregate=Aggregate.MEETING, aggregate_id=aggregate_id, seq=seq, type=EventType.UPDATED,
        actor="coord@example.fi", at=AT + timedelta(minutes=seq), text="Paikka vaihtui.",
        data=MappingProxyType(dict(data)),
    )  # fmt: skip


def test_the_log_keeps_each_event_once_in_the_order_of_its_seq(uow: UnitOfWork) -> None:
    with uow:
        uow.events.append([_event(3, 2, place="Kirjasto", ids=[1, 2]), _event(3, 1)])
        uow.events.append([_event(4, 1)])
        uow.commit()

    with uow:
        events = uow.events.for_aggregate(Aggregate.MEETING, 3)
        assert events == [_event(3, 1), _event(3, 2, place="Kirjasto", ids=[1, 2])]
        assert uow.events.for_aggregate(Aggregate.IDEA, 3) == []
        assert uow.events.next_seq(Aggregate.MEETING, 3) == 3
        assert uow.events.next_seq(Aggregate.MEETING, 5) == 1
        with pytest.raises(ValueError, match="aggregate's id"):
            uow.events.append([_event(None, 1)])

    with uow, pytest.raises(REFUSED):
        uow.events.append([replace(_event(3, 2), text="Again.")])
