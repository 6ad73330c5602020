"""Fake of the meeting room's store (``uow.meeting_room``): its tables as lists and dicts in the fake unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from domain.errors import AlreadyExists
from domain.speaking import Balance, RoomAction, Turn


@dataclass
class MeetingRoomData:
    actions: list[tuple[int, RoomAction, bool]] = field(default_factory=list)  # meeting, action, undone
    turns: dict[int, list[Turn]] = field(default_factory=dict)
    balances: dict[int, Balance] = field(default_factory=dict)


class FakeMeetingRoom:
    def __init__(self, uow: Any) -> None:
        self._uow = uow  # a FakeUnitOfWork: its ``data.meeting_room`` is the store

    @property
    def _data(self) -> MeetingRoomData:
        data: MeetingRoomData = self._uow.data.meeting_room
        return data

    def actions(self, meeting_id: int) -> list[RoomAction]:
        return [a for m, a, _ in self._data.actions if m == meeting_id]

    def has_action(self, meeting_id: int, action_id: str) -> bool:
        return any(m == meeting_id and a.action_id == action_id for m, a, _ in self._data.actions)

    def add_action(self, meeting_id: int, action: RoomAction) -> None:
        if meeting_id not in self._uow.data.meetings:
            raise KeyError(f"meeting {meeting_id}")
        # The unique constraint, checked on the rows themselves (not through has_action, which a test may replace).
        if any(m == meeting_id and a.action_id == action.action_id for m, a, _ in self._data.actions):
            raise AlreadyExists("room action", "action_id", action.action_id)
        self._data.actions.append((meeting_id, action, False))

    def mark_undone(self, meeting_id: int, action_ids: Sequence[str]) -> None:
        undone = set(action_ids)
        self._data.actions = [(m, a, a.action_id in undone if m == meeting_id else u) for m, a, u in self._data.actions]

    def undone(self, meeting_id: int) -> set[str]:
        """For tests: the ids noted as undone."""
        return {a.action_id for m, a, u in self._data.actions if m == meeting_id and u}

    def turns(self, meeting_id: int) -> list[Turn]:
        return list(self._data.turns.get(meeting_id, []))

    def replace_turns(self, meeting_id: int, turns: Sequence[Turn]) -> None:
        self._data.turns[meeting_id] = [replace(t) for t in turns]

    def balance(self, meeting_id: int) -> Balance | None:
        return self._data.balances.get(meeting_id)

    def save_balance(self, meeting_id: int, figures: Balance, *, at: datetime) -> None:
        self._data.balances[meeting_id] = figures
