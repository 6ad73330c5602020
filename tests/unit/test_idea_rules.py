"""The idea's rules written out by hand: which moves exist, who may make them, which need a text for the members.

Each table below is typed from the README, not built from ``domain.ideas``: a rule changed by mistake in the code
(a transition added to the table, a permission widened, a reason no longer required) disagrees with it and fails
here, in the fast suite. The tests then say which cells disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from application.commands import MoveIdea
from application.ideas.changes import move_idea
from domain.actors import Actor
from domain.errors import InvalidTransition, InvalidValue, PermissionDenied
from domain.ideas import TRANSITIONS, Idea, IdeaState
from domain.meetings import Meeting
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

# README, "How an idea moves".
EXPECTED_MOVES: dict[str, set[str]] = {
    "raised": {"sent_to_service", "declined"},
    "sent_to_service": {"in_progress", "declined"},
    "in_progress": {"implemented", "declined"},
    "implemented": set(),
    "declined": set(),
}
OPEN = ("raised", "sent_to_service", "in_progress")
# The way there from raised (by the operator, with a text at every step).
WAY_TO = {
    "raised": [],
    "sent_to_service": ["sent_to_service"],
    "in_progress": ["sent_to_service", "in_progress"],
    "implemented": ["sent_to_service", "in_progress", "implemented"],
    "declined": ["declined"],
}
# Moves that end an idea carry what the members are told: the reason, the outcome.
NEEDS_TEXT = {"declined", "implemented"}

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PANEL, OTHER_PANEL = 1, 2
SERVICE, OTHER_SERVICE = 10, 11
# README, "The API": a coordinator changes the ideas of their panels, a service owner those of their service once a
# coordinator has sent it on, a manager changes nothing.
ACTORS = {
    "operator": Actor.operator(),
    "coordinator of the panel": Actor("coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({PANEL})),
    "coordinator of another panel": Actor("other@example.fi", Role.COORDINATOR, panel_ids=frozenset({OTHER_PANEL})),
    "owner of the idea's service": Actor("owner@example.fi", Role.SERVICE_OWNER, service_id=SERVICE),
    "owner of another service": Actor("other-owner@example.fi", Role.SERVICE_OWNER, service_id=OTHER_SERVICE),
    "manager": Actor("manager@example.fi", Role.MANAGER),
}
MAY_CHANGE_IN: dict[str, set[str]] = {
    "operator": {"raised", "sent_to_service", "in_progress"},
    "coordinator of the panel": {"raised", "sent_to_service", "in_progress"},
    "coordinator of another panel": set(),
    "owner of the idea's service": {"sent_to_service", "in_progress"},
    "owner of another service": set(),
    "manager": set(),
}


def idea_in(state: str) -> Idea:
    idea = Idea.raise_new(
        panel_id=PANEL,
        meeting_id=5,
        title="Evening appointments",
        text="Working members cannot come by day.",
        service_id=SERVICE,
        actor=Actor.operator(),
        at=AT,
    )
    idea.id = 7
    for step, to in enumerate(WAY_TO[state], start=1):
        idea.move(IdeaState(to), actor=Actor.operator(), at=AT + timedelta(minutes=step), note=f"Step {step}.")
    assert idea.state == state
    return idea


def test_the_states_are_the_five_of_the_readme() -> None:
    assert {state.value for state in IdeaState} == set(EXPECTED_MOVES)


def test_the_transition_table_is_the_one_of_the_readme() -> None:
    table = {state.value: {to.value for to in TRANSITIONS[state]} for state in TRANSITIONS}

    assert table == EXPECTED_MOVES


def test_an_idea_moves_exactly_along_the_table_of_the_readme() -> None:
    """Every pair of states tried on an idea: the table in the code is also the one its moves obey, and a refusal
    names the states the idea may move to."""
    moved: dict[str, set[str]] = {start: set() for start in EXPECTED_MOVES}
    named: dict[str, set[str]] = {}
    for start in EXPECTED_MOVES:
        for to in EXPECTED_MOVES:
            idea = idea_in(start)
            try:
                idea.move(IdeaState(to), actor=Actor.operator(), at=AT + timedelta(hours=1), note="Why, for members.")
            except InvalidTransition as refused:
                named[f"{refused.current} -> {refused.requested}"] = set(refused.allowed)
            else:
                moved[start].add(idea.state.value)

    assert moved == EXPECTED_MOVES
    assert named == {
        f"{a} -> {b}": EXPECTED_MOVES[a] for a in EXPECTED_MOVES for b in EXPECTED_MOVES if b not in EXPECTED_MOVES[a]
    }


def test_who_may_change_an_idea_in_each_state_is_the_rule_of_the_readme() -> None:
    """A move (to declined, open from every open state) and a progress note, by each kind of actor; a refusal
    names the actor and leaves the idea as it was."""
    moves: dict[str, set[str]] = {name: set() for name in ACTORS}
    notes: dict[str, set[str]] = {name: set() for name in ACTORS}
    refusals = []
    for name, actor in ACTORS.items():
        for state in OPEN:
            for allowed in (moves, notes):
                idea = idea_in(state)
                version = idea.version
                try:
                    if allowed is moves:
                        idea.move(IdeaState.DECLINED, actor=actor, at=AT + timedelta(hours=1), note="Not this year.")
                    else:
                        idea.note("Asked the staff.", actor=actor, at=AT + timedelta(hours=1))
                except PermissionDenied as refused:
                    refusals.append((refused.actor, idea.version - version))
                else:
                    allowed[name].add(state)

    assert moves == MAY_CHANGE_IN
    assert notes == MAY_CHANGE_IN
    assert all(who in {a.name for a in ACTORS.values()} and changed == 0 for who, changed in refusals)


@pytest.mark.parametrize("state", OPEN)
@pytest.mark.parametrize("blank", [None, "", "  \n\t"])
def test_an_idea_is_not_declined_without_the_reason(state: str, blank: str | None) -> None:
    idea = idea_in(state)
    before = (idea.state, idea.version, len(idea.new_events))

    with pytest.raises(InvalidValue) as refused:
        idea.move(IdeaState.DECLINED, actor=Actor.operator(), at=AT + timedelta(hours=1), note=blank)

    assert refused.value.field == "note"
    assert (idea.state, idea.version, len(idea.new_events)) == before


def test_the_moves_that_need_a_text_are_those_that_end_an_idea() -> None:
    needs = set()
    for start, targets in EXPECTED_MOVES.items():
        for to in targets:
            try:
                idea_in(start).move(IdeaState(to), actor=Actor.operator(), at=AT + timedelta(hours=1), note=None)
            except InvalidValue as refused:
                needs.add((to, refused.field))

    assert needs == {(to, "note") for to in NEEDS_TEXT}


# --- The same rules through the use case: nothing is committed, nobody is told ---------------------------------------


def _stored_idea(state: str) -> tuple[FakeUnitOfWork, int]:
    uow = FakeUnitOfWork()
    with uow:
        panel = uow.panels.add(Panel(id=None, name="Pohjoinen raati"))
        assert panel.id is not None
        service = uow.services.add(Service(id=None, panel_id=panel.id, name="Suun terveys"))
        other = uow.services.add(Service(id=None, panel_id=panel.id, name="Perhekeskus"))
        assert service.id is not None
        meeting = uow.meetings.add(Meeting(id=None, panel_id=panel.id, starts_at=AT, leading_service_id=service.id))
        assert meeting.id is not None
        for n, name in enumerate(("Aino", "Bertil")):
            uow.members.add(Member(id=None, panel_id=panel.id, name=name, email=f"m{n}@example.fi"))
        uow.users.add(StaffUser(id=None, email="owner@example.fi", role=Role.SERVICE_OWNER, service_id=service.id))
        uow.users.add(StaffUser(id=None, email="other-owner@example.fi", role=Role.SERVICE_OWNER, service_id=other.id))
        idea = idea_in(state)
        idea.id, idea.panel_id, idea.meeting_id, idea.service_id = None, panel.id, meeting.id, service.id
        idea = uow.ideas.add(idea)
        uow.commit()
    assert idea.id is not None
    return uow, idea.id


def _unchanged(uow: FakeUnitOfWork, idea_id: int, state: str) -> None:
    with uow:
        assert uow.ideas.get(idea_id).state == state
        assert uow.outbox.list() == []


@pytest.mark.parametrize("state", OPEN)
def test_the_use_case_declines_nothing_without_the_reason(state: str) -> None:
    uow, idea_id = _stored_idea(state)

    with pytest.raises(InvalidValue):
        move_idea(MoveIdea(idea_id, "declined", note=" "), uow=uow, clock=FixedClock(AT + timedelta(days=1)))

    _unchanged(uow, idea_id, state)


@pytest.mark.parametrize("state", ["sent_to_service", "in_progress"])
def test_the_use_case_lets_no_owner_move_another_services_idea(state: str) -> None:
    uow, idea_id = _stored_idea(state)
    clock = FixedClock(AT + timedelta(days=1))

    with pytest.raises(PermissionDenied):
        move_idea(MoveIdea(idea_id, "declined", note="Not ours.", actor="other-owner@example.fi"), uow=uow, clock=clock)

    _unchanged(uow, idea_id, state)
    view = move_idea(
        MoveIdea(idea_id, "declined", note="Not this year.", actor="owner@example.fi"), uow=uow, clock=clock
    )
    assert view.state == "declined"
