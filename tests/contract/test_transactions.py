"""The unit of work: what is committed stays, anything else is gone; what a repository hands out is a copy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidValue
from domain.events import Aggregate
from domain.ideas import IdeaState
from domain.panels import Panel
from tests.contract.conftest import AT, OPERATOR, add_idea, add_meeting, add_panel, add_service


def _panel_names(uow: UnitOfWork) -> list[str]:
    with uow:
        return [p.name for p in uow.panels.list()]


def test_writes_not_committed_are_gone_when_the_transaction_ends(uow: UnitOfWork) -> None:
    add_panel(uow, "Kept")
    with uow:
        uow.panels.add(Panel(id=None, name="Left uncommitted"))

    assert _panel_names(uow) == ["Kept"]


def _write_then_refuse(uow: UnitOfWork) -> None:
    with uow:
        uow.panels.add(Panel(id=None, name="Half done"))
        raise InvalidValue("name", "refused after the write")


def test_a_refused_change_leaves_nothing_behind(uow: UnitOfWork) -> None:
    with pytest.raises(InvalidValue):
        _write_then_refuse(uow)

    assert _panel_names(uow) == []


def test_a_rollback_drops_what_came_before_it_and_the_transaction_goes_on(uow: UnitOfWork) -> None:
    with uow:
        uow.panels.add(Panel(id=None, name="Rolled back"))
        uow.rollback()
        uow.panels.add(Panel(id=None, name="Committed"))
        uow.commit()

    assert _panel_names(uow) == ["Committed"]


def test_a_transaction_reads_its_own_writes_and_the_next_one_reads_the_commits(uow: UnitOfWork) -> None:
    with uow:
        uow.panels.add(Panel(id=None, name="First"))
        assert [p.name for p in uow.panels.list()] == ["First"]
        uow.commit()
        uow.panels.add(Panel(id=None, name="Second"))
        uow.commit()

    assert _panel_names(uow) == ["First", "Second"]


def test_changing_what_a_repository_handed_out_changes_nothing_until_it_is_saved(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    service_id = add_service(uow, panel_id)
    meeting_id = add_meeting(uow, panel_id, service_id)
    idea_id = add_idea(uow, panel_id, meeting_id, service_id=service_id)

    with uow:
        idea = uow.ideas.get(idea_id)
        idea.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=AT + timedelta(hours=1))
        meeting = uow.meetings.get(meeting_id)
        meeting.place = "Somewhere else"
        uow.panels.by_id(panel_id).name = "Renamed"
        uow.commit()

    with uow:
        assert (uow.ideas.get(idea_id).state, uow.ideas.get(idea_id).version) == (IdeaState.RAISED, 1)
        assert len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)) == 1
        assert uow.meetings.get(meeting_id).place == ""
        assert uow.panels.by_id(panel_id).name == "Pohjoinen raati"
