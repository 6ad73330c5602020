"""The meeting room's store: the log of taps, the turns replayed from it and the meeting's speaking balance
(the unit of work exposes it as ``uow.meeting_room``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.speaking import Balance, RoomAction, Turn


class MeetingRoomRepository(Protocol):
    def actions(self, meeting_id: int) -> list[RoomAction]:
        """Every action of the meeting's room (UNDOs too), in the order they were recorded."""
        ...

    def has_action(self, meeting_id: int, action_id: str) -> bool: ...
    def add_action(self, meeting_id: int, action: RoomAction) -> None:
        """Record one action; an action id is unique within its meeting: ``AlreadyExists`` (field ``action_id``) when
        it is taken, the transaction still usable."""
        ...

    def mark_undone(self, meeting_id: int, action_ids: Sequence[str]) -> None:
        """Note which of the meeting's actions an UNDO cancelled (the others are noted as not undone)."""
        ...

    def turns(self, meeting_id: int) -> list[Turn]:
        """The meeting's turns, oldest first."""
        ...

    def replace_turns(self, meeting_id: int, turns: Sequence[Turn]) -> None: ...
    def balance(self, meeting_id: int) -> Balance | None:
        """The meeting's stored speaking balance; None before the room was used."""
        ...

    def save_balance(self, meeting_id: int, figures: Balance, *, at: datetime) -> None: ...
