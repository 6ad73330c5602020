"""The meeting room's store in SQLAlchemy: the taps, the turns and the meeting's speaking balance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import AlreadyExists
from domain.speaking import ActionKind, Balance, RoomAction, Turn
from persistence.meeting_room_tables import RoomActionRow, SpeakingBalanceRow, TurnRow


class SqlAlchemyMeetingRoom:
    def __init__(self, session: Session) -> None:
        self.session = session

    def actions(self, meeting_id: int) -> list[RoomAction]:
        query = select(RoomActionRow).where(RoomActionRow.meeting_id == meeting_id).order_by(RoomActionRow.id)
        return [
            RoomAction(
                action_id=row.action_id,
                kind=ActionKind(row.kind),
                at=row.at,
                member_id=row.member_id,
                seconds=row.seconds,
                was_present=row.was_present,
            )
            for row in self.session.scalars(query)
        ]

    def has_action(self, meeting_id: int, action_id: str) -> bool:
        mine = (RoomActionRow.meeting_id == meeting_id, RoomActionRow.action_id == action_id)
        return bool(self.session.scalar(select(exists().where(*mine))))

    def add_action(self, meeting_id: int, action: RoomAction) -> None:
        row = RoomActionRow(
            meeting_id=meeting_id,
            action_id=action.action_id,
            kind=action.kind.value,
            member_id=action.member_id,
            seconds=action.seconds,
            was_present=action.was_present,
            at=action.at,
        )
        try:
            # A savepoint: the same tap sent again while the first was being saved loses here, and the
            # transaction stays usable to read the room as the first one left it.
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            raise AlreadyExists("room action", "action_id", action.action_id) from None

    def mark_undone(self, meeting_id: int, action_ids: Sequence[str]) -> None:
        mine = RoomActionRow.meeting_id == meeting_id
        self.session.execute(
            update(RoomActionRow).where(mine).values(undone=RoomActionRow.action_id.in_(list(action_ids)))
        )

    def turns(self, meeting_id: int) -> list[Turn]:
        query = select(TurnRow).where(TurnRow.meeting_id == meeting_id).order_by(TurnRow.started_at, TurnRow.id)
        return [Turn(row.member_id, row.started_at, row.ended_at) for row in self.session.scalars(query)]

    def replace_turns(self, meeting_id: int, turns: Sequence[Turn]) -> None:
        self.session.execute(delete(TurnRow).where(TurnRow.meeting_id == meeting_id))
        self.session.add_all(
            TurnRow(meeting_id=meeting_id, member_id=t.member_id, started_at=t.started_at, ended_at=t.ended_at)
            for t in turns
        )
        self.session.flush()

    def balance(self, meeting_id: int) -> Balance | None:
        row = self.session.get(SpeakingBalanceRow, meeting_id)
        return figures(row) if row is not None else None

    def save_balance(self, meeting_id: int, figures: Balance, *, at: datetime) -> None:
        row = self.session.get(SpeakingBalanceRow, meeting_id)
        if row is None:
            row = SpeakingBalanceRow(meeting_id=meeting_id)
            self.session.add(row)
        row.present = figures.present
        row.spoke = figures.spoke
        row.share_spoke = figures.share_spoke
        row.gini = figures.gini
        row.longest_seconds = figures.longest_seconds
        row.median_seconds = figures.median_seconds
        row.max_to_median = figures.max_to_median
        row.turns = figures.turns
        row.total_seconds = figures.total_seconds
        row.updated_at = at
        self.session.flush()


def figures(row: SpeakingBalanceRow) -> Balance:
    return Balance(
        present=row.present,
        spoke=row.spoke,
        share_spoke=row.share_spoke,
        gini=row.gini,
        longest_seconds=row.longest_seconds,
        median_seconds=row.median_seconds,
        max_to_median=row.max_to_median,
        turns=row.turns,
        total_seconds=row.total_seconds,
    )
