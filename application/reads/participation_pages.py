"""Read models of a panel's topic wishes (``/panels/{id}/wishes``) and ground rules (``/panels/{id}/rules``) pages.

Both ask ``permissions.participation_panel``; members' names are shown only to whom ``may_read_personal_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from application.access import permissions
from application.participation.ground_rules import AckReport, ground_rules_acks
from application.ports.unit_of_work import UnitOfWork
from domain import ground_rules as rules_model
from domain.actors import Actor
from domain.ground_rules import GroundRules
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member, Panel
from domain.topic_wishes import TopicWish

# A meeting that has been held (or cancelled) takes no more topics onto its agenda.
_NOT_COMING = (MeetingStatus.HELD, MeetingStatus.SUMMARY_SENT, MeetingStatus.CANCELLED)


@dataclass(frozen=True)
class WishLine:
    wish: TopicWish
    sender: str | None  # the member's name; None for a wish the coordinator recorded for the panel, or when hidden
    meeting: Meeting | None  # the meeting whose agenda it is on


@dataclass(frozen=True)
class WishesPage:
    panel: Panel
    wishes: list[WishLine]  # newest first
    coming: list[Meeting]  # the panel's meetings still ahead, soonest first: where a wish may go
    members: list[Member]  # the active members, for a wish recorded on a member's behalf (coordinators only)
    coordinates: bool  # the actor may schedule, decline and add wishes
    names: bool  # the actor may read members' names


@dataclass(frozen=True)
class RulesPage:
    panel: Panel
    current: GroundRules  # the model's own rules as version 1 until a version is published
    versions: list[GroundRules]  # the published versions, newest first
    acks: AckReport  # who of the active members has acknowledged the current version
    coordinates: bool  # the actor may publish a version
    names: bool  # the actor may read who has acknowledged (names), else only the counts


def wishes_page(actor: Actor, panel_id: int, *, now: datetime, uow: UnitOfWork) -> WishesPage:
    with uow:
        stored = permissions.participation_panel(actor, str(panel_id), uow=uow)
        names = permissions.may_read_personal_data(actor)
        panel = uow.panels.by_id(stored)
        meetings = {m.stored_id: m for m in uow.meetings.for_panel(stored)}
        members = {m.stored_id: m for m in uow.members.for_panel(stored)} if names else {}
        lines = [
            WishLine(
                wish,
                members[wish.member_id].name if wish.member_id in members else None,
                meetings.get(wish.meeting_id) if wish.meeting_id is not None else None,
            )
            for wish in uow.topic_wishes.for_panel(stored)
        ]
        lines.sort(key=lambda line: (line.wish.submitted_at, line.wish.stored_id), reverse=True)
        coming = sorted(
            (m for m in meetings.values() if m.status not in _NOT_COMING and m.starts_at > now),
            key=lambda m: m.starts_at,
        )
        coordinates = actor.coordinates(stored)
        active = sorted((m for m in members.values() if m.active), key=lambda m: (m.name.casefold(), m.stored_id))
        return WishesPage(
            panel=panel,
            wishes=lines,
            coming=coming,
            members=active if coordinates else [],
            coordinates=coordinates,
            names=names,
        )


def rules_page(actor: Actor, panel_id: int, *, uow: UnitOfWork) -> RulesPage:
    with uow:
        stored = permissions.participation_panel(actor, str(panel_id), uow=uow)
        panel = uow.panels.by_id(stored)
        versions = uow.ground_rules.versions(stored)
        current = rules_model.current(stored, versions[-1] if versions else None)
        coordinates = actor.coordinates(stored)
    acks = ground_rules_acks(str(stored), uow=uow)
    names = permissions.may_read_personal_data(actor)
    if not names:  # the counts only: no name leaves this read model
        acks = replace(
            acks,
            acknowledged=[replace(s, name="") for s in acks.acknowledged],
            not_acknowledged=[replace(s, name="") for s in acks.not_acknowledged],
        )
    return RulesPage(
        panel=panel,
        current=current,
        versions=list(reversed(versions)),
        acks=acks,
        coordinates=coordinates,
        names=names,
    )
