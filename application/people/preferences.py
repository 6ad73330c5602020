"""Use cases for a member's own choices: language, immediate or digest, unsubscribe.

Entry points verify the member's signed link (or a staff user's rights) before calling these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import preferences
from domain.events import Aggregate, Event
from domain.panels import Member
from notifications.outbox import RecipientKind


@dataclass(frozen=True)
class ChangePreferences(ActorCommand):
    member_id: int
    language: str | None = None
    delivery: str | None = None
    # Who asked: the member through their link, or a staff email; only the log sees it.
    greeting_name: str | None = None  # "" returns to the first word of the name


@dataclass(frozen=True)
class Unsubscribe(ActorCommand):
    member_id: int
    via: str  # "link", "one-click", "mailto", "staff"


def change_preferences(cmd: ChangePreferences, *, uow: UnitOfWork, clock: Clock) -> Member:
    member, _ = _change(
        uow,
        cmd.member_id,
        cmd.actor,
        lambda member, seq, actor: preferences.change_preferences(
            member,
            lang=cmd.language,
            delivery=cmd.delivery,
            seq=seq,
            actor=actor,
            at=clock.now(),
            greeting=cmd.greeting_name,
        ),
    )
    return member


def unsubscribe(cmd: Unsubscribe, *, uow: UnitOfWork, clock: Clock) -> tuple[Member, int]:
    """Stop member mail at once: pending member mail to them is cancelled in the same transaction."""
    return _change(
        uow,
        cmd.member_id,
        cmd.actor,
        lambda member, seq, actor: preferences.unsubscribe(member, seq=seq, actor=actor, at=clock.now(), via=cmd.via),
        then=lambda: uow.outbox.cancel_pending_for(RecipientKind.MEMBER, cmd.member_id, reason="unsubscribed"),
    )


def resubscribe(member_id: int, *, actor: str | None, uow: UnitOfWork, clock: Clock) -> Member:
    member, _ = _change(
        uow,
        member_id,
        actor,
        lambda member, seq, by: preferences.resubscribe(member, seq=seq, actor=by, at=clock.now()),
    )
    return member


def _change(
    uow: UnitOfWork,
    member_id: int,
    actor: str | None,
    change: Callable[[Member, int, str], Event | None],
    *,
    then: Callable[[], int] | None = None,
) -> tuple[Member, int]:
    """Apply ``change`` (given the next seq and the actor, by default the member) and, if it records an event, save it
    and run ``then`` in the same transaction; returns the member and what ``then`` returned (0 when it did not run)."""
    with uow:
        member = uow.members.get(member_id)
        event = change(
            member, uow.events.next_seq(Aggregate.MEMBER, member_id), actor or preferences.member_actor(member)
        )
        done = 0
        if event is not None:
            uow.members.save(member)
            uow.events.append([event])
            if then is not None:
                done = then()
            uow.commit()
        return member, done
