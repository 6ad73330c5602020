"""Use cases for a member's own choices: language, immediate or digest, unsubscribe.

Entry points verify the member's signed link (or a staff user's rights) before calling these.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import Clock, UnitOfWork
from domain import preferences
from domain.events import Aggregate
from domain.panels import Member
from notifications.outbox import RecipientKind


@dataclass(frozen=True)
class ChangePreferences:
    member_id: int
    language: str | None = None
    delivery: str | None = None
    # Who asked: the member through their link, or a staff email; only the log sees it.
    actor: str | None = None


@dataclass(frozen=True)
class Unsubscribe:
    member_id: int
    via: str  # "link", "one-click", "mailto", "staff"
    actor: str | None = None


def change_preferences(cmd: ChangePreferences, *, uow: UnitOfWork, clock: Clock) -> Member:
    with uow:
        member = uow.members.get(cmd.member_id)
        event = preferences.change_preferences(
            member,
            lang=cmd.language,
            delivery=cmd.delivery,
            seq=uow.events.next_seq(Aggregate.MEMBER, cmd.member_id),
            actor=cmd.actor or preferences.member_actor(member),
            at=clock.now(),
        )
        if event is not None:
            uow.members.save(member)
            uow.events.append([event])
            uow.commit()
        return member


def unsubscribe(cmd: Unsubscribe, *, uow: UnitOfWork, clock: Clock) -> tuple[Member, int]:
    """Stop member mail at once: pending member mail to them is cancelled in the same transaction."""
    with uow:
        member = uow.members.get(cmd.member_id)
        event = preferences.unsubscribe(
            member,
            seq=uow.events.next_seq(Aggregate.MEMBER, cmd.member_id),
            actor=cmd.actor or preferences.member_actor(member),
            at=clock.now(),
            via=cmd.via,
        )
        cancelled = 0
        if event is not None:
            uow.members.save(member)
            uow.events.append([event])
            cancelled = uow.outbox.cancel_pending_for(RecipientKind.MEMBER, cmd.member_id, reason="unsubscribed")
            uow.commit()
        return member, cancelled


def resubscribe(member_id: int, *, actor: str | None, uow: UnitOfWork, clock: Clock) -> Member:
    with uow:
        member = uow.members.get(member_id)
        event = preferences.resubscribe(
            member,
            seq=uow.events.next_seq(Aggregate.MEMBER, member_id),
            actor=actor or preferences.member_actor(member),
            at=clock.now(),
        )
        if event is not None:
            uow.members.save(member)
            uow.events.append([event])
            uow.commit()
        return member
