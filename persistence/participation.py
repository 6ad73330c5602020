"""SQLAlchemy repositories for ground rules and their acknowledgements, topic wishes and attendance."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.ground_rules import Acknowledgement, GroundRules
from domain.topic_wishes import TopicWish
from domain.values import Language
from persistence.participation_tables import AttendanceRow, GroundRulesAckRow, GroundRulesRow, TopicWishRow


class SqlAlchemyGroundRules:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, panel_id: int) -> GroundRules | None:
        query = (
            select(GroundRulesRow)
            .where(GroundRulesRow.panel_id == panel_id)
            .order_by(GroundRulesRow.version.desc())
            .limit(1)
        )
        row = self.session.scalar(query)
        return self._rules(row) if row is not None else None

    def versions(self, panel_id: int) -> builtins.list[GroundRules]:
        query = select(GroundRulesRow).where(GroundRulesRow.panel_id == panel_id).order_by(GroundRulesRow.version)
        return [self._rules(row) for row in self.session.scalars(query)]

    @staticmethod
    def _rules(row: GroundRulesRow) -> GroundRules:
        rules = {Language(code): tuple(texts) for code, texts in row.rules.items()}
        return GroundRules(
            panel_id=row.panel_id,
            version=row.version,
            rules=MappingProxyType(rules),
            published_at=row.published_at,
            published_by=row.published_by,
        )

    def add(self, rules: GroundRules) -> None:
        assert rules.published_at is not None
        self.session.add(
            GroundRulesRow(
                panel_id=rules.panel_id,
                version=rules.version,
                rules={lang.value: list(texts) for lang, texts in rules.rules.items()},
                published_at=rules.published_at,
                published_by=rules.published_by,
            )
        )
        self.session.flush()

    def acknowledgements(self, panel_id: int, version: int) -> dict[int, datetime]:
        query = select(GroundRulesAckRow).where(
            GroundRulesAckRow.panel_id == panel_id, GroundRulesAckRow.version == version
        )
        return {row.member_id: row.acknowledged_at for row in self.session.scalars(query)}

    def has_acknowledged(self, member_id: int, *, panel_id: int, version: int) -> bool:
        return self.session.get(GroundRulesAckRow, (member_id, panel_id, version)) is not None

    def acknowledge(self, ack: Acknowledgement) -> None:
        self.session.add(
            GroundRulesAckRow(
                member_id=ack.member_id, panel_id=ack.panel_id, version=ack.version, acknowledged_at=ack.at
            )
        )
        self.session.flush()

    def for_member(self, member_id: int) -> list[Acknowledgement]:
        query = (
            select(GroundRulesAckRow)
            .where(GroundRulesAckRow.member_id == member_id)
            .order_by(GroundRulesAckRow.panel_id, GroundRulesAckRow.version)
        )
        return [
            Acknowledgement(r.panel_id, r.version, r.member_id, r.acknowledged_at) for r in self.session.scalars(query)
        ]


class SqlAlchemyTopicWishes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, wish: TopicWish) -> TopicWish:
        row = TopicWishRow()
        self._copy(wish, row)
        self.session.add(row)
        self.session.flush()
        wish.id = row.id
        return wish

    def get(self, wish_id: int) -> TopicWish:
        row = self.session.get(TopicWishRow, wish_id)
        if row is None:
            raise NotFound("wish", wish_id)
        return self._wish(row)

    def save(self, wish: TopicWish) -> None:
        row = self.session.get(TopicWishRow, wish.id)
        if row is None:
            raise NotFound("wish", wish.id)
        self._copy(wish, row)
        self.session.flush()

    def for_panel(self, panel_id: int) -> list[TopicWish]:
        return self._where(TopicWishRow.panel_id == panel_id)

    def for_meeting(self, meeting_id: int) -> list[TopicWish]:
        return self._where(TopicWishRow.meeting_id == meeting_id)

    def for_member(self, member_id: int) -> list[TopicWish]:
        return self._where(TopicWishRow.member_id == member_id)

    def _where(self, condition: ColumnElement[bool]) -> builtins.list[TopicWish]:
        query = select(TopicWishRow).where(condition).order_by(TopicWishRow.id)
        return [self._wish(r) for r in self.session.scalars(query)]

    @staticmethod
    def _copy(wish: TopicWish, row: TopicWishRow) -> None:
        row.panel_id = wish.panel_id
        row.member_id = wish.member_id
        row.text = wish.text
        row.submitted_at = wish.submitted_at
        row.submitted_by = wish.submitted_by
        row.meeting_id = wish.meeting_id
        row.scheduled_at = wish.scheduled_at
        row.scheduled_by = wish.scheduled_by
        row.declined_at = wish.declined_at
        row.declined_by = wish.declined_by
        row.decline_note = wish.decline_note

    @staticmethod
    def _wish(row: TopicWishRow) -> TopicWish:
        return TopicWish(
            id=row.id,
            panel_id=row.panel_id,
            text=row.text,
            submitted_at=row.submitted_at,
            submitted_by=row.submitted_by,
            member_id=row.member_id,
            meeting_id=row.meeting_id,
            scheduled_at=row.scheduled_at,
            scheduled_by=row.scheduled_by,
            declined_at=row.declined_at,
            declined_by=row.declined_by,
            decline_note=row.decline_note,
        )


class SqlAlchemyAttendance:
    def __init__(self, session: Session) -> None:
        self.session = session

    def present(self, meeting_id: int) -> frozenset[int]:
        query = select(AttendanceRow.member_id).where(AttendanceRow.meeting_id == meeting_id)
        return frozenset(self.session.scalars(query))

    def replace(self, meeting_id: int, member_ids: Iterable[int], *, at: datetime) -> None:
        self.session.execute(delete(AttendanceRow).where(AttendanceRow.meeting_id == meeting_id))
        self.session.add_all(
            AttendanceRow(meeting_id=meeting_id, member_id=member_id, recorded_at=at)
            for member_id in sorted(member_ids)
        )
        self.session.flush()

    def meetings_of(self, member_id: int) -> list[int]:
        query = select(AttendanceRow.meeting_id).where(AttendanceRow.member_id == member_id)
        return sorted(self.session.scalars(query))
