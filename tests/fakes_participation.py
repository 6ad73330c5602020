"""In-memory ground rules, topic wishes and attendance for FakeUnitOfWork (as in persistence/participation.py)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from domain.errors import NotFound
from domain.ground_rules import Acknowledgement, GroundRules
from domain.topic_wishes import TopicWish


@dataclass
class ParticipationData:
    # Rules versions are immutable: kept as they are (their mapping proxies cannot be deep-copied).
    rules: list[GroundRules] = field(default_factory=list)
    acks: dict[tuple[int, int, int], datetime] = field(default_factory=dict)
    wishes: dict[int, TopicWish] = field(default_factory=dict)
    attendance: dict[int, dict[int, datetime]] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, Any]) -> ParticipationData:
        return ParticipationData(
            rules=list(self.rules),
            acks=dict(self.acks),
            wishes=copy.deepcopy(self.wishes, memo),
            attendance={k: dict(v) for k, v in self.attendance.items()},
        )


class _Uow(Protocol):
    @property
    def data(self) -> Any: ...


class _Fake:
    def __init__(self, uow: _Uow) -> None:
        self._uow = uow

    @property
    def _data(self) -> ParticipationData:
        data: ParticipationData = self._uow.data.participation
        return data


class FakeGroundRules(_Fake):
    def latest(self, panel_id: int) -> GroundRules | None:
        found = [r for r in self._data.rules if r.panel_id == panel_id]
        return max(found, key=lambda r: r.version) if found else None

    def versions(self, panel_id: int) -> list[GroundRules]:
        return sorted((r for r in self._data.rules if r.panel_id == panel_id), key=lambda r: r.version)

    def add(self, rules: GroundRules) -> None:
        if any((r.panel_id, r.version) == (rules.panel_id, rules.version) for r in self._data.rules):
            raise ValueError(f"uq_ground_rules_panel_version {rules.panel_id} {rules.version}")
        self._data.rules.append(rules)

    def acknowledgements(self, panel_id: int, version: int) -> dict[int, datetime]:
        return {m: at for (m, p, v), at in self._data.acks.items() if (p, v) == (panel_id, version)}

    def has_acknowledged(self, member_id: int, *, panel_id: int, version: int) -> bool:
        return (member_id, panel_id, version) in self._data.acks

    def acknowledge(self, ack: Acknowledgement) -> None:
        key = (ack.member_id, ack.panel_id, ack.version)
        if key in self._data.acks:
            raise ValueError(f"ground_rules_acks {key}")
        self._data.acks[key] = ack.at

    def for_member(self, member_id: int) -> list[Acknowledgement]:
        return [Acknowledgement(p, v, m, at) for (m, p, v), at in sorted(self._data.acks.items()) if m == member_id]


class FakeTopicWishes(_Fake):
    def add(self, wish: TopicWish) -> TopicWish:
        wish.id = self._uow.data.next_id("topic_wishes")
        self._data.wishes[wish.id] = copy.deepcopy(wish)
        return wish

    def get(self, wish_id: int) -> TopicWish:
        if wish_id not in self._data.wishes:
            raise NotFound("wish", wish_id)
        return copy.deepcopy(self._data.wishes[wish_id])

    def save(self, wish: TopicWish) -> None:
        if wish.id not in self._data.wishes:
            raise NotFound("wish", wish.id)
        self._data.wishes[wish.id] = copy.deepcopy(wish)

    def for_panel(self, panel_id: int) -> list[TopicWish]:
        return [copy.deepcopy(w) for _, w in sorted(self._data.wishes.items()) if w.panel_id == panel_id]

    def for_meeting(self, meeting_id: int) -> list[TopicWish]:
        return [copy.deepcopy(w) for _, w in sorted(self._data.wishes.items()) if w.meeting_id == meeting_id]

    def for_member(self, member_id: int) -> list[TopicWish]:
        return [copy.deepcopy(w) for _, w in sorted(self._data.wishes.items()) if w.member_id == member_id]


class FakeAttendance(_Fake):
    def present(self, meeting_id: int) -> frozenset[int]:
        return frozenset(self._data.attendance.get(meeting_id, {}))

    def replace(self, meeting_id: int, member_ids: Iterable[int], *, at: datetime) -> None:
        self._data.attendance[meeting_id] = dict.fromkeys(member_ids, at)

    def meetings_of(self, member_id: int) -> list[int]:
        return sorted(m for m, present in self._data.attendance.items() if member_id in present)
