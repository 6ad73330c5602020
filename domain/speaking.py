"""Speaking turns in the meeting room: the taps as a log, the room as the replay of that log (present, queue,
turns), and the speaking balance of a meeting (share who spoke, Gini of speaking time, longest turn).

Pure: the time of each tap comes with it; ``balance`` takes ``now`` for a turn still running.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidValue

DEFAULT_GUIDE_SECONDS = 120
MIN_GUIDE_SECONDS = 30
MAX_GUIDE_SECONDS = 1800


class ActionKind(StrEnum):
    PRESENT = "present"  # marked present at the door
    ABSENT = "absent"  # marked present by mistake, or left: ends their turn, leaves the queue
    ASK = "ask"  # asks to speak: joins the queue (and is present)
    WITHDRAW = "withdraw"  # no longer waiting
    FRONT = "front"  # the leader moves a waiting member to the front
    START = "start"  # a turn starts (a running one ends at the same instant)
    END = "end"  # the running turn ends
    GUIDE = "guide"  # the per-turn guide time, in seconds
    UNDO = "undo"  # cancels the latest action not undone


# The actions that name a member (START may leave it out: the first in the queue, resolved before it is stored).
MEMBER_KINDS = frozenset(
    {ActionKind.PRESENT, ActionKind.ABSENT, ActionKind.ASK, ActionKind.WITHDRAW, ActionKind.FRONT, ActionKind.START}
)


class QueueReason(StrEnum):
    """Why a waiting member stands before the one after them."""

    FEWEST_TURNS = "fewest_turns"
    LEAST_TIME = "least_time"
    ASKED_FIRST = "asked_first"
    MOVED_BY_LEADER = "moved_by_leader"


@dataclass(frozen=True)
class Turn:
    member_id: int
    started_at: datetime
    ended_at: datetime | None  # None: running

    def seconds(self, now: datetime) -> int:
        """Whole seconds spoken (a running turn until ``now``)."""
        end = self.ended_at if self.ended_at is not None else now
        return max(0, int((end - self.started_at).total_seconds()))


@dataclass(frozen=True)
class RoomAction:
    """One tap, as stored. ``was_present``: whether the member was present just before it (for the actions that
    name a member), so that undoing it also undoes what it did to the meeting's attendance."""

    action_id: str
    kind: ActionKind
    at: datetime
    member_id: int | None = None
    seconds: int | None = None
    was_present: bool | None = None


@dataclass(frozen=True)
class RoomState:
    """The room after the actions not undone. ``asked`` holds the waiting members in the order they asked;
    ``fronted`` those the leader moved to the front, the latest moved first."""

    present: frozenset[int]
    asked: tuple[int, ...] = ()
    fronted: tuple[int, ...] = ()
    turns: tuple[Turn, ...] = ()
    guide_seconds: int = DEFAULT_GUIDE_SECONDS
    effective: tuple[RoomAction, ...] = ()  # the actions not undone, oldest first (the last is what UNDO reverses)
    undone: frozenset[str] = frozenset()  # the ids of the actions an UNDO cancelled

    @property
    def current(self) -> Turn | None:
        if self.turns and self.turns[-1].ended_at is None:
            return self.turns[-1]
        return None

    @property
    def waiting(self) -> frozenset[int]:
        return frozenset(self.asked)

    def turns_of(self, member_id: int) -> list[Turn]:
        return [t for t in self.turns if t.member_id == member_id]


@dataclass(frozen=True)
class Queued:
    member_id: int
    turns: int
    seconds: int  # spoken in finished turns
    reason: QueueReason


@dataclass(frozen=True)
class Balance:
    """The speaking figures of a meeting (or of a room so far); no names."""

    present: int
    spoke: int
    share_spoke: float
    gini: float | None
    longest_seconds: int
    median_seconds: int | None  # of those who spoke
    max_to_median: float | None  # the most talkative member's time against that median
    turns: int
    total_seconds: int


def apply(state: RoomState, action: RoomAction) -> RoomState:
    """The room after one more action (not UNDO: see ``replay``); InvalidValue naming the field if it cannot be."""
    member = action.member_id
    kind = action.kind
    if kind is ActionKind.GUIDE:
        seconds = action.seconds
        if seconds is None or not MIN_GUIDE_SECONDS <= seconds <= MAX_GUIDE_SECONDS:
            raise InvalidValue("seconds", f"the guide time is from {MIN_GUIDE_SECONDS} to {MAX_GUIDE_SECONDS} seconds")
        return replace(state, guide_seconds=seconds)
    if kind is ActionKind.END:
        if state.current is None:
            raise InvalidValue("kind", "no turn is running")
        return replace(state, turns=_ended(state.turns, action.at))
    if kind is ActionKind.UNDO:
        raise InvalidValue("kind", "an undo is replayed, not applied")
    if member is None:
        raise InvalidValue("member_id", f"a {kind.value} action names a member")
    current = state.current
    if kind is ActionKind.PRESENT:
        if member in state.present:
            raise InvalidValue("member_id", f"member {member} is already present")
        return replace(state, present=state.present | {member})
    if kind is ActionKind.ABSENT:
        if member not in state.present:
            raise InvalidValue("member_id", f"member {member} is not present")
        turns = _ended(state.turns, action.at) if current is not None and current.member_id == member else state.turns
        return _unqueued(replace(state, present=state.present - {member}, turns=turns), member)
    if kind is ActionKind.ASK:
        if member in state.waiting:
            raise InvalidValue("member_id", f"member {member} is already waiting")
        # The one speaking may ask for a later turn (to answer what others will say, say).
        return replace(state, present=state.present | {member}, asked=(*state.asked, member))
    if kind is ActionKind.WITHDRAW:
        if member not in state.waiting:
            raise InvalidValue("member_id", f"member {member} is not waiting")
        return _unqueued(state, member)
    if kind is ActionKind.FRONT:
        if member not in state.waiting:
            raise InvalidValue("member_id", f"member {member} is not waiting")
        return replace(state, fronted=(member, *(m for m in state.fronted if m != member)))
    # START: the leader may start anyone present or not, first in the queue or not (an override).
    if current is not None and current.member_id == member:
        raise InvalidValue("member_id", f"member {member} is speaking already")
    turns = (*_ended(state.turns, action.at), Turn(member_id=member, started_at=action.at, ended_at=None))
    return _unqueued(replace(state, present=state.present | {member}, turns=turns), member)


def replay(actions: Sequence[RoomAction], *, attendance: Collection[int]) -> RoomState:
    """The room after these actions, in order, starting from the attendance recorded. An UNDO cancels the latest
    action not yet undone (an undo of nothing does nothing); an action that cannot apply any more (its member
    erased, say) is kept as one that changed nothing."""
    start = RoomState(present=frozenset(attendance))
    stack: list[tuple[RoomAction, RoomState]] = []
    undone: set[str] = set()
    for action in actions:
        before = stack[-1][1] if stack else start
        if action.kind is ActionKind.UNDO:
            if stack:
                undone.add(stack.pop()[0].action_id)
            continue
        try:
            after = apply(before, action)
        except InvalidValue:
            after = before
        stack.append((action, after))
    final = stack[-1][1] if stack else start
    return replace(final, effective=tuple(a for a, _ in stack), undone=frozenset(undone))


def order_queue(state: RoomState) -> list[Queued]:
    """Those waiting, in the order to give them the floor: those the leader moved first (latest first), then the
    fewest turns, then the least time spoken, then who asked first. Each says why it stands before the next."""
    counts = {m: len(state.turns_of(m)) for m in state.asked}
    spoken = {m: sum(t.seconds(t.started_at) for t in state.turns_of(m) if t.ended_at is not None) for m in state.asked}
    position = {m: i for i, m in enumerate(state.asked)}
    fronted = [m for m in state.fronted if m in position]
    rest = sorted((m for m in state.asked if m not in fronted), key=lambda m: (counts[m], spoken[m], position[m]))
    ordered = [*fronted, *rest]
    entries: list[Queued] = []
    for i, m in enumerate(ordered):
        after = ordered[i + 1] if i + 1 < len(ordered) else None
        if m in fronted:
            reason = QueueReason.MOVED_BY_LEADER
        elif after is not None and counts[m] < counts[after]:
            reason = QueueReason.FEWEST_TURNS
        elif after is not None and counts[m] == counts[after] and spoken[m] < spoken[after]:
            reason = QueueReason.LEAST_TIME
        else:
            reason = QueueReason.ASKED_FIRST
        entries.append(Queued(member_id=m, turns=counts[m], seconds=spoken[m], reason=reason))
    return entries


def spoken_seconds(turns: Sequence[Turn], *, now: datetime) -> dict[int, int]:
    """Seconds spoken by each member who had a turn (a running turn until ``now``)."""
    totals: dict[int, int] = {}
    for t in turns:
        totals[t.member_id] = totals.get(t.member_id, 0) + t.seconds(now)
    return totals


def gini(values: Sequence[float]) -> float:
    """The Gini coefficient: 0 when all values are equal, towards 1 when one has everything (0 for no total)."""
    n = len(values)
    total = sum(values)
    if n == 0 or total <= 0:
        return 0.0
    ordered = sorted(values)
    # The sorted form of the mean absolute difference over every pair, divided by twice the mean.
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ordered))
    return weighted / (n * total)


def balance(present: Collection[int], turns: Sequence[Turn], *, now: datetime) -> Balance:
    """The figures over everyone present (and anyone who spoke): those who did not speak count as zero seconds.
    Gini is None with fewer than two people or no time spoken."""
    totals = spoken_seconds(turns, now=now)
    people = set(present) | set(totals)
    seconds = [totals.get(m, 0) for m in people]
    spoke = sum(1 for m in people if m in totals)
    total = sum(seconds)
    of_speakers = [totals[m] for m in totals]
    middle = _median(of_speakers) if of_speakers else None
    return Balance(
        present=len(people),
        spoke=spoke,
        share_spoke=spoke / len(people) if people else 0.0,
        gini=gini(seconds) if len(people) >= 2 and total > 0 else None,
        longest_seconds=max((t.seconds(now) for t in turns), default=0),
        median_seconds=round(middle) if middle is not None else None,
        max_to_median=max(of_speakers) / middle if middle else None,
        turns=len(turns),
        total_seconds=total,
    )


def _median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _ended(turns: tuple[Turn, ...], at: datetime) -> tuple[Turn, ...]:
    if turns and turns[-1].ended_at is None:
        return (*turns[:-1], replace(turns[-1], ended_at=max(at, turns[-1].started_at)))
    return turns


def _unqueued(state: RoomState, member: int) -> RoomState:
    return replace(
        state,
        asked=tuple(m for m in state.asked if m != member),
        fronted=tuple(m for m in state.fronted if m != member),
    )
