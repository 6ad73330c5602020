"""Random sequences of moves and notes, valid or not, against the idea's invariants."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.actors import Actor
from domain.errors import DomainError
from domain.events import Event
from domain.ideas import REQUIRED_TEXT, TERMINAL, TRANSITIONS, Idea, IdeaState
from domain.values import MAX_TEXT, Role

PANEL = 1
SERVICE, OTHER_SERVICE = 10, 11
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

ACTORS = [
    Actor.operator(),
    Actor("coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({PANEL})),
    Actor("other-coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({2})),
    Actor("owner@example.fi", Role.SERVICE_OWNER, service_id=SERVICE),
    Actor("other-owner@example.fi", Role.SERVICE_OWNER, service_id=OTHER_SERVICE),
    Actor("manager@example.fi", Role.MANAGER),
]
TOO_LONG = "x" * (MAX_TEXT + 1)
_TEXTS = [None, "", "   ", "\n\t", "Ok.", " Käsitelty palaverissa. ", "a\nb", "x" * MAX_TEXT, "too long"]
texts = st.sampled_from(_TEXTS).map(lambda t: TOO_LONG if t == "too long" else t)
# The expected version relative to the current one: None (not checked), current, stale or future.
version_offsets = st.sampled_from([None, 0, 0, 0, -1, 1, -5])
# Mostly actors who may act, so that walks get far enough to end ideas.
actors = st.sampled_from(ACTORS[:2] * 3 + ACTORS)
naive_times = st.sampled_from([False, False, False, True])


class IdeaLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.idea: Idea
        self.clock = START
        self.terminal_at: int | None = None  # the version at which the idea became final
        self.successes = 0

    @initialize(service_id=st.sampled_from([None, SERVICE]))
    def raise_idea(self, service_id: int | None) -> None:
        self.idea = Idea.raise_new(
            panel_id=PANEL,
            meeting_id=3,
            title="Longer opening hours",
            text=None,
            service_id=service_id,
            actor=ACTORS[0],
            at=self.clock,
        )
        self.idea.id = 7

    def _tick(self, naive: bool) -> datetime:
        self.clock += timedelta(hours=1)
        return self.clock.replace(tzinfo=None) if naive else self.clock

    def _expected(self, offset: int | None) -> int | None:
        return None if offset is None else self.idea.version + offset

    def _snapshot(self) -> tuple[object, ...]:
        idea = self.idea
        return (idea.state, idea.version, idea.service_id, idea.title, idea.text, list(idea.new_events))

    @rule(
        to=st.sampled_from(IdeaState),
        text=texts,
        offset=version_offsets,
        actor=actors,
        service_id=st.sampled_from([None, None, SERVICE, OTHER_SERVICE]),
        naive=naive_times,
    )
    def move(
        self,
        to: IdeaState,
        text: str | None,
        offset: int | None,
        actor: Actor,
        service_id: int | None,
        naive: bool,
    ) -> None:
        before = self._snapshot()
        previous = self.idea.state
        try:
            event = self.idea.move(
                to,
                actor=actor,
                at=self._tick(naive),
                note=text,
                service_id=service_id,
                expected_version=self._expected(offset),
            )
        except DomainError:
            assert self._snapshot() == before, "a refused move changed the idea"
            return
        self.successes += 1
        assert to in TRANSITIONS[previous]
        assert not naive
        assert offset in (None, 0)
        assert event is self.idea.new_events[-1]
        assert (event.from_state, event.to_state) == (previous.value, to.value)
        if to in TERMINAL:
            self.terminal_at = self.idea.version

    @rule(data=st.data(), text=st.sampled_from([None, "The members hear this."]))
    def move_onwards(self, data: st.DataObject, text: str | None) -> None:
        """Like ``move`` but to one of the allowed next states, so that ideas do end."""
        if self.idea.allowed_next:
            to = data.draw(st.sampled_from(sorted(self.idea.allowed_next)))
            self.move(to, text, data.draw(version_offsets), data.draw(actors), None, False)

    @rule(
        text=texts,
        offset=version_offsets,
        actor=actors,
        naive=naive_times,
    )
    def note(self, text: str | None, offset: int | None, actor: Actor, naive: bool) -> None:
        before = self._snapshot()
        try:
            event = self.idea.note(
                text or "", actor=actor, at=self._tick(naive), expected_version=self._expected(offset)
            )
        except DomainError:
            assert self._snapshot() == before, "a refused note changed the idea"
            return
        self.successes += 1
        assert not self.idea.is_terminal
        assert event.text
        assert event.from_state == event.to_state == self.idea.state.value

    @invariant()
    def state_is_one_of_the_table(self) -> None:
        assert self.idea.state in TRANSITIONS

    @invariant()
    def version_counts_the_recorded_events(self) -> None:
        events: list[Event] = self.idea.new_events
        assert self.idea.version == len(events)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))

    @invariant()
    def final_states_stay_final(self) -> None:
        if self.terminal_at is not None:
            assert self.idea.state in TERMINAL
            assert self.idea.version == self.terminal_at, "an event was recorded after the idea ended"

    @invariant()
    def events_chain_from_state_to_state(self) -> None:
        events = self.idea.new_events
        for earlier, later in itertools.pairwise(events):
            assert later.from_state == earlier.to_state
        assert events[-1].to_state == self.idea.state.value

    @invariant()
    def an_ended_idea_tells_members_why(self) -> None:
        if self.idea.state in REQUIRED_TEXT:
            last_move = [e for e in self.idea.new_events if e.type == "moved"][-1]
            assert last_move.to_state == self.idea.state.value
            assert (last_move.text or "").strip()


IdeaLifecycle.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# 200 walks of 20 steps: seconds. The rules themselves are checked fast, written out by hand, in test_idea_rules.py.
TestIdeaLifecycle = pytest.mark.slow(IdeaLifecycle.TestCase)


def test_random_walks_do_reach_the_final_states() -> None:
    """Guards the machine above against testing only refusals: a fixed walk that must succeed."""
    machine = IdeaLifecycle()
    machine.raise_idea(service_id=SERVICE)
    machine.move(IdeaState.SENT_TO_SERVICE, None, 0, ACTORS[1], None, False)
    machine.note("Asked the staff.", None, ACTORS[3], False)
    machine.move(IdeaState.IN_PROGRESS, None, None, ACTORS[3], None, False)
    machine.move(IdeaState.IMPLEMENTED, "Opening hours are longer now.", 0, ACTORS[3], None, False)
    machine.note("Too late.", None, ACTORS[0], False)
    machine.move(IdeaState.DECLINED, "Changed our minds.", None, ACTORS[0], None, False)

    assert machine.successes == 4
    assert machine.idea.state is IdeaState.IMPLEMENTED
    machine.state_is_one_of_the_table()
    machine.version_counts_the_recorded_events()
    machine.final_states_stay_final()
    machine.events_chain_from_state_to_state()
    machine.an_ended_idea_tells_members_why()
