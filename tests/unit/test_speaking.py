"""The meeting room's rules: the replay of taps (queue, turns, undo) and the speaking balance (Gini and the rest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.speaking import (
    ActionKind,
    QueueReason,
    RoomAction,
    Turn,
    apply,
    balance,
    gini,
    order_queue,
    replay,
)

T0 = datetime(2025, 3, 3, 17, 0, tzinfo=UTC)


class Log:
    """Taps a minute apart unless told otherwise."""

    def __init__(self) -> None:
        self.actions: list[RoomAction] = []
        self.at = T0

    def tap(self, kind: ActionKind, member: int | None = None, *, after: int = 60, seconds: int | None = None) -> None:
        self.at += timedelta(seconds=after)
        self.actions.append(RoomAction(f"a{len(self.actions):07d}", kind, self.at, member_id=member, seconds=seconds))


def test_the_queue_puts_fewest_turns_first_then_least_time_then_who_asked_first() -> None:
    log = Log()
    log.tap(ActionKind.START, 1)
    log.tap(ActionKind.END, after=120)  # 1 spoke 120 s
    log.tap(ActionKind.START, 2)
    log.tap(ActionKind.END, after=30)  # 2 spoke 30 s
    for member in (1, 2, 3, 4):
        log.tap(ActionKind.ASK, member)

    queue = order_queue(replay(log.actions, attendance={1, 2, 3, 4}))

    assert [(q.member_id, q.turns, q.seconds, q.reason) for q in queue] == [
        (3, 0, 0, QueueReason.ASKED_FIRST),
        (4, 0, 0, QueueReason.FEWEST_TURNS),
        (2, 1, 30, QueueReason.LEAST_TIME),
        (1, 1, 120, QueueReason.ASKED_FIRST),
    ]


def test_front_moves_a_waiting_member_first_and_start_ends_the_running_turn_at_the_same_instant() -> None:
    log = Log()
    log.tap(ActionKind.ASK, 1)
    log.tap(ActionKind.ASK, 2)
    log.tap(ActionKind.FRONT, 2)
    queue = order_queue(replay(log.actions, attendance=set()))
    assert [(q.member_id, q.reason) for q in queue] == [(2, QueueReason.MOVED_BY_LEADER), (1, QueueReason.ASKED_FIRST)]

    log.tap(ActionKind.START, 2)
    log.tap(ActionKind.START, 1, after=90)  # the leader starts 1 while 2 still speaks
    state = replay(log.actions, attendance=set())

    assert state.turns[0] == Turn(2, T0 + timedelta(seconds=240), T0 + timedelta(seconds=330))
    assert state.current == Turn(1, T0 + timedelta(seconds=330), None)
    assert order_queue(state) == []
    assert state.present == {1, 2}  # asking marks present


def test_undo_cancels_the_latest_action_not_undone_and_an_undo_of_nothing_does_nothing() -> None:
    log = Log()
    log.tap(ActionKind.UNDO)
    log.tap(ActionKind.PRESENT, 5)
    log.tap(ActionKind.START, 5)
    log.tap(ActionKind.END)
    log.tap(ActionKind.UNDO)  # the end: the turn runs again
    state = replay(log.actions, attendance=set())
    assert state.current is not None
    assert state.current.member_id == 5
    assert state.undone == {"a0000003"}

    log.tap(ActionKind.UNDO)  # the start
    log.tap(ActionKind.UNDO)  # the mark present
    state = replay(log.actions, attendance=set())
    assert (state.turns, state.present, state.effective) == ((), frozenset(), ())


def test_absent_ends_the_members_turn_and_takes_them_out_of_the_queue() -> None:
    log = Log()
    log.tap(ActionKind.ASK, 1)
    log.tap(ActionKind.START, 2)
    log.tap(ActionKind.ABSENT, 2)
    log.tap(ActionKind.ABSENT, 1)
    state = replay(log.actions, attendance={1, 2, 3})

    assert state.present == {3}
    assert state.current is None
    assert state.turns[0].ended_at == log.at - timedelta(seconds=60)
    assert state.asked == ()


@pytest.mark.parametrize(
    ("kind", "member", "seconds", "field"),
    [
        (ActionKind.END, None, None, "kind"),
        (ActionKind.WITHDRAW, 1, None, "member_id"),
        (ActionKind.FRONT, 1, None, "member_id"),
        (ActionKind.PRESENT, 1, None, "member_id"),
        (ActionKind.ABSENT, 9, None, "member_id"),
        (ActionKind.ASK, None, None, "member_id"),
        (ActionKind.GUIDE, None, 29, "seconds"),
        (ActionKind.GUIDE, None, 1801, "seconds"),
    ],
)
def test_a_tap_that_cannot_apply_names_the_field(
    kind: ActionKind, member: int | None, seconds: int | None, field: str
) -> None:
    state = replay([], attendance={1})
    with pytest.raises(InvalidValue) as error:
        apply(state, RoomAction("x" * 8, kind, T0, member_id=member, seconds=seconds))
    assert error.value.field == field


def test_the_guide_time_is_two_minutes_until_the_leader_sets_it() -> None:
    log = Log()
    assert replay(log.actions, attendance=()).guide_seconds == 120
    log.tap(ActionKind.GUIDE, seconds=180)
    assert replay(log.actions, attendance=()).guide_seconds == 180


def test_balance_counts_those_who_did_not_speak_as_zero() -> None:
    turns = [
        Turn(1, T0, T0 + timedelta(seconds=60)),
        Turn(2, T0 + timedelta(seconds=60), T0 + timedelta(seconds=120)),
        Turn(1, T0 + timedelta(seconds=120), T0 + timedelta(seconds=240)),  # 1: 180 s in all
        Turn(3, T0 + timedelta(seconds=240), None),  # running: 30 s at now
    ]
    figures = balance({1, 2, 3, 4}, turns, now=T0 + timedelta(seconds=270))

    assert (figures.present, figures.spoke, figures.share_spoke) == (4, 3, 0.75)
    assert (figures.turns, figures.total_seconds, figures.longest_seconds) == (4, 270, 120)
    assert figures.median_seconds == 60
    assert figures.max_to_median == 3.0
    # Seconds 0, 30, 60, 180: mean absolute difference over all pairs / (2 * mean).
    values = [0, 30, 60, 180]
    expected = sum(abs(a - b) for a in values for b in values) / (2 * len(values) ** 2 * (sum(values) / 4))
    assert figures.gini == pytest.approx(expected)


def test_gini_is_none_for_fewer_than_two_present_or_no_time_spoken() -> None:
    assert balance({1}, [Turn(1, T0, T0 + timedelta(seconds=5))], now=T0).gini is None
    assert balance({1, 2}, [], now=T0).gini is None
    empty = balance(set(), [], now=T0)
    assert (empty.present, empty.share_spoke, empty.median_seconds, empty.max_to_median) == (0, 0.0, None, None)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=30))
def test_gini_lies_between_zero_and_one_and_ignores_order_and_scale(values: list[int]) -> None:
    g = gini(values)
    assert 0.0 <= g <= 1.0 - 1.0 / len(values) + 1e-9
    assert gini(list(reversed(values))) == pytest.approx(g)
    assert gini([v * 3 for v in values]) == pytest.approx(g)


@given(st.integers(min_value=2, max_value=20), st.integers(min_value=1, max_value=5000))
def test_gini_is_zero_when_everyone_spoke_equally_and_highest_when_one_spoke_alone(n: int, value: int) -> None:
    assert gini([value] * n) == pytest.approx(0.0)
    assert gini([0] * (n - 1) + [value]) == pytest.approx(1 - 1 / n)


taps = st.lists(
    st.tuples(st.sampled_from(list(ActionKind)), st.integers(min_value=1, max_value=4), st.integers(1, 300)),
    max_size=40,
)


@given(taps)
def test_any_log_replays_to_a_consistent_room(steps: list[tuple[ActionKind, int, int]]) -> None:
    log = Log()
    for kind, member, after in steps:
        log.tap(kind, member, after=after, seconds=120 if kind is ActionKind.GUIDE else None)
    state = replay(log.actions, attendance={1})

    running = [t for t in state.turns if t.ended_at is None]
    assert len(running) <= 1
    assert not running or state.turns[-1] is running[0]
    assert all(t.ended_at is None or t.ended_at >= t.started_at for t in state.turns)
    assert all(a.started_at >= b.started_at for a, b in zip(state.turns[1:], state.turns, strict=False))
    assert state.waiting <= state.present
    assert len(set(state.asked)) == len(state.asked)
    queue = order_queue(state)
    assert sorted(q.member_id for q in queue) == sorted(state.asked)
    figures = balance(state.present, state.turns, now=log.at)
    assert figures.spoke <= figures.present
    assert figures.turns == len(state.turns)
    # Replaying the log with one more undo is the same as replaying it without its latest effective action.
    if state.effective:
        log.tap(ActionKind.UNDO)
        last = state.effective[-1]
        without = [a for a in log.actions[:-1] if a is not last]
        undone = replay(log.actions, attendance={1})
        if not any(a.kind is ActionKind.UNDO for a in without):
            assert undone.turns == replay(without, attendance={1}).turns
            assert undone.present == replay(without, attendance={1}).present


def test_the_median_of_an_even_number_of_speakers_is_the_mean_of_the_middle_two() -> None:
    turns = [Turn(1, T0, T0 + timedelta(seconds=30)), Turn(2, T0, T0 + timedelta(seconds=91))]
    figures = balance({1, 2}, turns, now=T0)
    assert figures.median_seconds == 60  # 60.5 rounds to the even 60
    assert figures.max_to_median == pytest.approx(91 / 60.5)
