"""Use cases for ground rules: publish a version, show it, members acknowledge it, who has; the welcome email."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from application.access.identity import resolve_actor
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import ground_rules as model
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.ground_rules import Acknowledgement, GroundRules
from domain.meetings import SYSTEM, MeetingStatus
from domain.panels import Member, Panel
from notifications.kinds import WELCOME
from notifications.policy import panel_fields, to_members


@dataclass(frozen=True)
class PublishGroundRules(ActorCommand):
    """``rules`` maps fi, sv and en to the rules in that language; None publishes the model's default."""

    panel: str
    rules: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True)
class SendWelcome(ActorCommand):
    """Welcome the given members (default: every member of the panel who has not had the welcome yet)."""

    panel: str
    member_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MemberRules:
    """What the member's acknowledgement page shows: the current rules in the member's language."""

    member_id: int
    panel_id: int
    panel_name: str
    language: str
    version: int
    rules: list[str]
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class AckStatus:
    member_id: int
    name: str
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class AckReport:
    panel_id: int
    panel_name: str
    version: int
    acknowledged: list[AckStatus] = field(default_factory=list)
    not_acknowledged: list[AckStatus] = field(default_factory=list)


def publish_ground_rules(cmd: PublishGroundRules, *, uow: UnitOfWork, clock: Clock) -> GroundRules:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        latest = uow.ground_rules.latest(panel.stored_id)
        seq = uow.events.next_seq(Aggregate.PANEL, panel.stored_id)
        rules = _store(uow, *model.publish(panel, latest=latest, rules=cmd.rules, actor=actor, seq=seq, at=clock.now()))
        uow.commit()
        return rules


def _store(uow: UnitOfWork, rules: GroundRules, published: Event) -> GroundRules:
    """Keep a newly published version and its event (the caller commits)."""
    uow.ground_rules.add(rules)
    uow.events.append([published])
    return rules


def current_ground_rules(panel_id: int, *, uow: UnitOfWork) -> GroundRules:
    """The panel's current version (the model's default as version 1 until one is published)."""
    with uow:
        uow.panels.by_id(panel_id)  # NotFound for an unknown panel
        return model.current(panel_id, uow.ground_rules.latest(panel_id))


def show_ground_rules(panel: str, *, uow: UnitOfWork) -> tuple[Panel, GroundRules]:
    with uow:
        found = uow.panels.get(panel)
        return found, model.current(found.stored_id, uow.ground_rules.latest(found.stored_id))


def member_ground_rules(member_id: int, *, uow: UnitOfWork, language: str | None = None) -> MemberRules:
    """The member's view of the current rules, in their language (or in ``language``, for a page shown in another)."""
    with uow:
        member = uow.members.get(member_id)
        panel = uow.panels.by_id(member.panel_id)
        rules = model.current(member.panel_id, uow.ground_rules.latest(member.panel_id))
        acks = uow.ground_rules.acknowledgements(member.panel_id, rules.version)
        return MemberRules(
            member_id=member_id,
            panel_id=member.panel_id,
            panel_name=panel.name,
            language=member.language.value,
            version=rules.version,
            rules=rules.in_language(language or member.language),
            acknowledged_at=acks.get(member_id),
        )


def acknowledge_ground_rules(member_id: int, version: int, *, uow: UnitOfWork, clock: Clock) -> Acknowledgement:
    """The member has read this version (the current one); acknowledging again changes nothing."""
    with uow:
        member = uow.members.get(member_id)
        panel_id = member.panel_id
        rules = model.current(panel_id, uow.ground_rules.latest(panel_id))
        already = uow.ground_rules.has_acknowledged(member_id, panel_id=panel_id, version=version)
        now = clock.now()
        ack, event = model.acknowledge(
            rules,
            member,
            version=version,
            already=already,
            seq=uow.events.next_seq(Aggregate.MEMBER, member_id),
            at=now,
        )
        if event is None:
            return Acknowledgement(
                panel_id, version, member_id, uow.ground_rules.acknowledgements(panel_id, version)[member_id]
            )
        if not rules.stored:  # the first acknowledgement of the implicit default stores it as version 1
            seq = uow.events.next_seq(Aggregate.PANEL, panel_id)
            _store(uow, *model.adopt_default(panel_id, seq=seq, at=now, by=SYSTEM))
        uow.ground_rules.acknowledge(ack)
        uow.events.append([event])
        uow.commit()
        return ack


def ground_rules_acks(panel: str, *, uow: UnitOfWork) -> AckReport:
    """Who of the panel's active members has acknowledged the current version, and who has not."""
    with uow:
        found = uow.panels.get(panel)
        rules = model.current(found.stored_id, uow.ground_rules.latest(found.stored_id))
        acks = uow.ground_rules.acknowledgements(found.stored_id, rules.version)
        report = AckReport(panel_id=found.stored_id, panel_name=found.name, version=rules.version)
        for member in uow.members.active_in_panel(found.stored_id):
            status = AckStatus(member.stored_id, member.name, acks.get(member.stored_id))
            (report.acknowledged if status.acknowledged_at else report.not_acknowledged).append(status)
        return report


def welcome_payload(
    panel: Panel, rules: GroundRules, member: Member, *, next_meeting: datetime | None
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        **panel_fields(panel),
        "ground_rules": rules.in_language(member.language),
        "ground_rules_version": rules.version,
    }
    if next_meeting is not None:
        payload["next_meeting_at"] = next_meeting.isoformat()
    return payload


def send_welcome(cmd: SendWelcome, *, uow: UnitOfWork, clock: Clock) -> int:
    """Queue the welcome email (the current rules in each member's language); each member gets it once."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        actor.require_coordinator(panel.stored_id)
        members = uow.members.active_in_panel(panel.stored_id)
        if cmd.member_ids:
            known = {m.id for m in members}
            strangers = sorted(set(cmd.member_ids) - known)
            if strangers:
                listed = ", ".join(str(i) for i in strangers)
                raise InvalidValue("member", f"{listed}: not an active member of panel {panel.name!r}")
            members = [m for m in members if m.id in cmd.member_ids]
        now = clock.now()
        rules = model.current(panel.stored_id, uow.ground_rules.latest(panel.stored_id))
        coming = [
            m.starts_at
            for m in uow.meetings.for_panel(panel.stored_id)
            if m.starts_at > now and m.status is not MeetingStatus.CANCELLED
        ]
        next_meeting = min(coming) if coming else None
        rows = [
            row
            for member in members
            for row in to_members(
                WELCOME,
                ("welcome", panel.stored_id),
                [member],
                welcome_payload(panel, rules, member, next_meeting=next_meeting),
                panel_id=panel.stored_id,
                now=now,
            )
        ]
        queued = uow.outbox.add_new(rows)
        uow.commit()
        return queued
