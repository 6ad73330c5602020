"""The idea state machine, one rule at a time: transitions, texts, versions and permissions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.errors import InvalidTransition, InvalidValue, PermissionDenied, VersionConflict
from domain.events import Aggregate
from domain.ideas import TERMINAL, TRANSITIONS, Idea, IdeaState
from domain.values import MAX_TEXT, Role

S = IdeaState
AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PANEL, OTHER_PANEL = 1, 2
SERVICE, OTHER_SERVICE = 10, 11

OPERATOR = Actor.operator()
COORDINATOR = Actor("coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({PANEL}))
OTHER_COORDINATOR = Actor("other-coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({OTHER_PANEL}))
OWNER = Actor("owner@example.fi", Role.SERVICE_OWNER, service_id=SERVICE)
OTHER_OWNER = Actor("other-owner@example.fi", Role.SERVICE_OWNER, service_id=OTHER_SERVICE)
MANAGER = Actor("manager@example.fi", Role.MANAGER)

# The shortest way from raised to each state.
PATH: dict[IdeaState, list[IdeaState]] = {
    S.RAISED: [],
    S.SENT_TO_SERVICE: [S.SENT_TO_SERVICE],
    S.IN_PROGRESS: [S.SENT_TO_SERVICE, S.IN_PROGRESS],
    S.IMPLEMENTED: [S.SENT_TO_SERVICE, S.IN_PROGRESS, S.IMPLEMENTED],
    S.DECLINED: [S.DECLINED],
}
ALLOWED = [(a, b) for a, b in itertools.product(S, S) if b in TRANSITIONS[a]]
DISALLOWED = [(a, b) for a, b in itertools.product(S, S) if b not in TRANSITIONS[a]]


def new_idea(*, service_id: int | None = SERVICE, actor: Actor = COORDINATOR) -> Idea:
    idea = Idea.raise_new(
        panel_id=PANEL,
        meeting_id=5,
        title="Clearer signs at the entrance",
        text="Members could not find the lab.",
        service_id=service_id,
        actor=actor,
        at=AT,
    )
    idea.id = 42
    return idea


def idea_in(state: IdeaState) -> Idea:
    idea = new_idea()
    for step, to in enumerate(PATH[state], start=1):
        idea.move(to, actor=OPERATOR, at=AT + timedelta(minutes=step), note=f"step {step}")
    assert idea.state is state
    return idea


def snapshot(idea: Idea) -> tuple[object, ...]:
    return (idea.state, idea.version, idea.service_id, list(idea.new_events))


def test_a_new_idea_is_raised_at_version_one_with_a_raised_event() -> None:
    idea = new_idea()

    assert idea.state is S.RAISED
    assert idea.version == 1
    [event] = idea.new_events
    assert (event.type, event.seq, event.to_state, event.from_state) == ("raised", 1, "raised", None)
    assert event.text == "Members could not find the lab."


def test_terminal_states_are_exactly_those_without_a_way_out() -> None:
    assert frozenset({S.IMPLEMENTED, S.DECLINED}) == TERMINAL
    assert set(TRANSITIONS) == set(IdeaState)


@pytest.mark.parametrize(("start", "to"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_every_allowed_transition_moves_the_idea_and_records_one_event(start: IdeaState, to: IdeaState) -> None:
    idea = idea_in(start)
    before = idea.version

    event = idea.move(to, actor=OPERATOR, at=AT + timedelta(days=1), note="Told the members why.")

    assert idea.state is to
    assert idea.version == before + 1
    assert idea.new_events[-1] == event
    assert (event.from_state, event.to_state, event.type) == (start.value, to.value, "moved")


@pytest.mark.parametrize(("start", "to"), DISALLOWED, ids=[f"{a}->{b}" for a, b in DISALLOWED])
def test_every_disallowed_transition_is_refused_naming_the_allowed_next_states(start: IdeaState, to: IdeaState) -> None:
    idea = idea_in(start)
    before = snapshot(idea)

    with pytest.raises(InvalidTransition) as caught:
        idea.move(to, actor=OPERATOR, at=AT, note="A reason the members can read.")

    error = caught.value
    assert (error.current, error.requested) == (start.value, to.value)
    assert set(error.allowed) == {s.value for s in TRANSITIONS[start]}
    message = str(error)
    if TRANSITIONS[start]:
        for allowed in TRANSITIONS[start]:
            assert allowed.value in message
    else:
        assert "none (the state is final)" in message
    assert snapshot(idea) == before


@pytest.mark.parametrize("start", [S.RAISED, S.SENT_TO_SERVICE, S.IN_PROGRESS])
@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t"])
def test_declined_idea_needs_a_reason_for_members(start: IdeaState, blank: str | None) -> None:
    idea = idea_in(start)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.DECLINED, actor=OPERATOR, at=AT, note=blank)

    assert caught.value.field == "note"
    assert "reason" in caught.value.reason
    assert snapshot(idea) == before


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_implemented_idea_needs_the_outcome_for_members(blank: str | None) -> None:
    idea = idea_in(S.IN_PROGRESS)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.IMPLEMENTED, actor=OPERATOR, at=AT, note=blank)

    assert caught.value.field == "note"
    assert "outcome" in caught.value.reason
    assert snapshot(idea) == before


def test_moves_that_do_not_end_an_idea_need_no_text() -> None:
    idea = idea_in(S.RAISED)

    event = idea.move(S.SENT_TO_SERVICE, actor=OPERATOR, at=AT, note="   ")

    assert idea.state is S.SENT_TO_SERVICE
    assert event.text is None


def test_move_text_longer_than_the_maximum_is_rejected() -> None:
    idea = idea_in(S.IN_PROGRESS)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.IMPLEMENTED, actor=OPERATOR, at=AT, note="x" * (MAX_TEXT + 1))

    assert caught.value.field == "note"
    assert str(MAX_TEXT) in caught.value.reason
    assert snapshot(idea) == before


def test_move_text_of_exactly_the_maximum_is_accepted_and_trimmed() -> None:
    idea = idea_in(S.IN_PROGRESS)

    event = idea.move(S.IMPLEMENTED, actor=OPERATOR, at=AT, note="  " + "x" * MAX_TEXT + "  ")

    assert event.text == "x" * MAX_TEXT


def test_progress_note_longer_than_the_maximum_is_rejected() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.note("y" * (MAX_TEXT + 1), actor=OPERATOR, at=AT)

    assert caught.value.field == "note"
    assert snapshot(idea) == before


@pytest.mark.parametrize("blank", ["", "   "])
def test_progress_note_needs_text(blank: str) -> None:
    idea = idea_in(S.IN_PROGRESS)

    with pytest.raises(InvalidValue) as caught:
        idea.note(blank, actor=OPERATOR, at=AT)

    assert caught.value.field == "note"
    assert idea.version == len(PATH[S.IN_PROGRESS]) + 1


@pytest.mark.parametrize("start", [S.RAISED, S.SENT_TO_SERVICE, S.IN_PROGRESS])
def test_progress_note_on_an_open_idea_records_an_event_without_a_state_change(start: IdeaState) -> None:
    idea = idea_in(start)
    before = idea.version

    event = idea.note("  Waiting for the new signs.  ", actor=OPERATOR, at=AT)

    assert idea.state is start
    assert idea.version == before + 1
    assert (event.type, event.from_state, event.to_state) == ("noted", start.value, start.value)
    assert event.text == "Waiting for the new signs."


@pytest.mark.parametrize("terminal", sorted(TERMINAL))
def test_terminal_idea_takes_no_progress_notes(terminal: IdeaState) -> None:
    idea = idea_in(terminal)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.note("One more thing.", actor=OPERATOR, at=AT)

    assert caught.value.field == "note"
    assert terminal.value in caught.value.reason
    assert snapshot(idea) == before


@pytest.mark.parametrize("stale", [0, 1, 3, 99])
def test_move_with_a_stale_expected_version_raises_version_conflict(stale: int) -> None:
    idea = idea_in(S.SENT_TO_SERVICE)  # at version 2
    before = snapshot(idea)

    with pytest.raises(VersionConflict) as caught:
        idea.move(S.IN_PROGRESS, actor=OPERATOR, at=AT, expected_version=stale)

    assert (caught.value.expected, caught.value.current) == (stale, 2)
    assert caught.value.field == "expected_version"
    assert snapshot(idea) == before


def test_note_with_a_stale_expected_version_raises_version_conflict() -> None:
    idea = idea_in(S.IN_PROGRESS)
    before = snapshot(idea)

    with pytest.raises(VersionConflict):
        idea.note("Ordered.", actor=OPERATOR, at=AT, expected_version=1)

    assert snapshot(idea) == before


def test_current_expected_version_is_accepted() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)

    idea.move(S.IN_PROGRESS, actor=OPERATOR, at=AT, expected_version=2)
    idea.note("Ordered.", actor=OPERATOR, at=AT, expected_version=3)

    assert idea.version == 4


def test_service_owner_of_another_service_may_not_move_the_idea() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)
    before = snapshot(idea)

    with pytest.raises(PermissionDenied) as caught:
        idea.move(S.IN_PROGRESS, actor=OTHER_OWNER, at=AT)

    assert caught.value.actor == OTHER_OWNER.name
    assert "own service" in caught.value.reason
    assert snapshot(idea) == before


def test_service_owner_of_another_service_may_not_note_the_idea() -> None:
    idea = idea_in(S.IN_PROGRESS)

    with pytest.raises(PermissionDenied):
        idea.note("Not mine.", actor=OTHER_OWNER, at=AT)

    assert idea.version == 3


def test_another_services_owner_is_refused_before_the_version_is_compared() -> None:
    """A stale version from someone who may not touch the idea is a 403, not a 409 giving away its version."""
    idea = idea_in(S.IN_PROGRESS)

    with pytest.raises(PermissionDenied):
        idea.move(S.IMPLEMENTED, actor=OTHER_OWNER, at=AT, note="Done.", expected_version=1)
    with pytest.raises(PermissionDenied):
        idea.note("Not mine.", actor=OTHER_OWNER, at=AT, expected_version=1)

    assert idea.version == 3


def test_service_owner_may_not_act_on_a_raised_idea_even_of_their_service() -> None:
    idea = idea_in(S.RAISED)
    before = snapshot(idea)

    with pytest.raises(PermissionDenied) as caught:
        idea.move(S.SENT_TO_SERVICE, actor=OWNER, at=AT)
    with pytest.raises(PermissionDenied):
        idea.note("Noted.", actor=OWNER, at=AT)

    assert "raised" in caught.value.reason
    assert snapshot(idea) == before


def test_coordinator_of_another_panel_may_not_move_the_idea() -> None:
    idea = idea_in(S.RAISED)

    with pytest.raises(PermissionDenied) as caught:
        idea.move(S.DECLINED, actor=OTHER_COORDINATOR, at=AT, note="Not ours.")

    assert caught.value.actor == OTHER_COORDINATOR.name
    assert idea.state is S.RAISED


def test_manager_only_reads_and_may_not_move_or_note() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)
    before = snapshot(idea)

    with pytest.raises(PermissionDenied):
        idea.move(S.IN_PROGRESS, actor=MANAGER, at=AT)
    with pytest.raises(PermissionDenied):
        idea.note("Looks good.", actor=MANAGER, at=AT)

    assert snapshot(idea) == before


def test_operator_may_walk_an_idea_to_implemented() -> None:
    idea = new_idea(actor=OPERATOR)

    idea.move(S.SENT_TO_SERVICE, actor=OPERATOR, at=AT)
    idea.move(S.IN_PROGRESS, actor=OPERATOR, at=AT)
    idea.note("Signs ordered.", actor=OPERATOR, at=AT)
    idea.move(S.IMPLEMENTED, actor=OPERATOR, at=AT, note="New signs are up.")

    assert idea.state is S.IMPLEMENTED
    assert [e.actor for e in idea.new_events[1:]] == ["operator"] * 4


def test_service_owner_moves_and_notes_ideas_of_their_own_service() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)

    idea.move(S.IN_PROGRESS, actor=OWNER, at=AT)
    idea.note("Working on it.", actor=OWNER, at=AT)
    idea.move(S.DECLINED, actor=OWNER, at=AT, note="The building owner refused the signs.")

    assert idea.state is S.DECLINED
    assert {e.actor for e in idea.new_events[-3:]} == {OWNER.name}


def test_coordinator_of_the_panel_may_move_ideas_at_any_open_state() -> None:
    idea = idea_in(S.RAISED)

    idea.move(S.SENT_TO_SERVICE, actor=COORDINATOR, at=AT)
    idea.move(S.IN_PROGRESS, actor=COORDINATOR, at=AT)

    assert idea.state is S.IN_PROGRESS


@pytest.mark.parametrize("actor", [OWNER, OTHER_COORDINATOR, MANAGER])
def test_only_a_coordinator_of_the_panel_raises_ideas(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        new_idea(actor=actor)


def test_sending_to_a_service_needs_a_service() -> None:
    idea = new_idea(service_id=None)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.SENT_TO_SERVICE, actor=COORDINATOR, at=AT)

    assert caught.value.field == "service"
    assert snapshot(idea) == before


def test_sending_to_a_service_chooses_it_and_names_it_in_the_event() -> None:
    idea = new_idea(service_id=None)

    event = idea.move(S.SENT_TO_SERVICE, actor=COORDINATOR, at=AT, service_id=OTHER_SERVICE)

    assert idea.service_id == OTHER_SERVICE
    assert event.data["service_id"] == OTHER_SERVICE


def test_a_service_can_be_chosen_only_when_sending_to_a_service() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.IN_PROGRESS, actor=COORDINATOR, at=AT, service_id=OTHER_SERVICE)

    assert caught.value.field == "service"
    assert snapshot(idea) == before


def test_move_at_a_naive_datetime_is_refused_and_changes_nothing() -> None:
    idea = idea_in(S.RAISED)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.move(S.SENT_TO_SERVICE, actor=COORDINATOR, at=datetime(2025, 3, 3, 9, 0))

    assert caught.value.field == "at"
    assert snapshot(idea) == before


def test_note_at_a_naive_datetime_is_refused_and_changes_nothing() -> None:
    idea = idea_in(S.SENT_TO_SERVICE)
    before = snapshot(idea)

    with pytest.raises(InvalidValue) as caught:
        idea.note("Noted.", actor=COORDINATOR, at=datetime(2025, 3, 3, 9, 0))

    assert caught.value.field == "at"
    assert snapshot(idea) == before


def test_raising_an_idea_at_a_naive_datetime_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        Idea.raise_new(
            panel_id=PANEL,
            meeting_id=5,
            title="Idea",
            text=None,
            service_id=None,
            actor=COORDINATOR,
            at=datetime(2025, 3, 3, 9, 0),
        )

    assert caught.value.field == "at"


def test_events_carry_actor_time_states_and_text_with_seq_equal_to_version() -> None:
    idea = new_idea()
    later = AT + timedelta(days=2)

    sent = idea.move(S.SENT_TO_SERVICE, actor=COORDINATOR, at=later, note="To the dental service.")
    assert (sent.seq, idea.version) == (2, 2)
    noted = idea.note("Asked for a quote.", actor=OWNER, at=later + timedelta(hours=1))
    assert (noted.seq, idea.version) == (3, 3)
    declined = idea.move(S.DECLINED, actor=OWNER, at=later + timedelta(days=1), note="No budget this year.")

    assert (declined.seq, idea.version) == (4, 4)
    assert [e.seq for e in idea.new_events] == [1, 2, 3, 4]
    assert all(e.aggregate is Aggregate.IDEA and e.aggregate_id == 42 for e in idea.new_events[1:])
    assert (sent.actor, sent.at, sent.from_state, sent.to_state, sent.text) == (
        COORDINATOR.name,
        later,
        "raised",
        "sent_to_service",
        "To the dental service.",
    )
    assert (noted.actor, noted.from_state, noted.to_state, noted.text) == (
        OWNER.name,
        "sent_to_service",
        "sent_to_service",
        "Asked for a quote.",
    )
    assert (declined.actor, declined.at, declined.from_state, declined.to_state, declined.text) == (
        OWNER.name,
        later + timedelta(days=1),
        "sent_to_service",
        "declined",
        "No budget this year.",
    )
