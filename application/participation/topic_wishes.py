"""Use cases for topic wishes: a member submits one (signed-link page), a coordinator records, schedules or
declines one.

Scheduling a wish onto a meeting, or declining it with a note, tells its member by email, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from application.access.identity import resolve_actor
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import topic_wishes as model
from domain.events import Aggregate, Event
from domain.meetings import Meeting
from domain.panels import Panel
from domain.topic_wishes import TopicWish
from notifications.kinds import TOPIC_WISH_DECLINED, TOPIC_WISH_SCHEDULED
from notifications.policy import meeting_title_translations, panel_fields, to_members, translated, with_translations


@dataclass(frozen=True)
class AddTopicWish(ActorCommand):
    """A coordinator records a wish; ``member_id`` is whose it is (None: the panel's, nobody to tell)."""

    panel: str
    text: str
    member_id: int | None = None


@dataclass(frozen=True)
class ScheduleTopicWish(ActorCommand):
    wish_id: int
    meeting_id: int


@dataclass(frozen=True)
class DeclineTopicWish(ActorCommand):
    """``note`` goes to the wish's member: why the panel will not take the topic up."""

    wish_id: int
    note: str
    acknowledge_health: bool = False


@dataclass(frozen=True)
class ScheduledWish:
    wish: TopicWish
    # How many emails were queued: 1 when the wish's member receives mail, else 0.
    queued_notifications: int


@dataclass(frozen=True)
class DeclinedWish:
    wish: TopicWish
    queued_notifications: int  # 1 when the wish's member receives mail, else 0


def submit_topic_wish(member_id: int, text: str, *, uow: UnitOfWork, clock: Clock) -> TopicWish:
    """A member's own wish, from the signed-link form."""
    with uow:
        member = uow.members.get(member_id)
        wish, event = model.submit(member, text, at=clock.now())
        return _store(uow, wish, event)


def add_topic_wish(cmd: AddTopicWish, *, uow: UnitOfWork, clock: Clock) -> TopicWish:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        member = uow.members.get(cmd.member_id) if cmd.member_id is not None else None
        wish, event = model.record(panel, cmd.text, member=member, actor=actor, at=clock.now())
        return _store(uow, wish, event)


def _store(uow: UnitOfWork, wish: TopicWish, event: Event) -> TopicWish:
    wish = uow.topic_wishes.add(wish)
    uow.events.append([replace(event, aggregate_id=wish.id)])
    uow.commit()
    return wish


def list_topic_wishes(panel: str, *, uow: UnitOfWork) -> list[TopicWish]:
    with uow:
        found = uow.panels.get(panel)
        return uow.topic_wishes.for_panel(found.stored_id)


def member_topic_wishes(member_id: int, *, uow: UnitOfWork) -> list[TopicWish]:
    """A member's own wishes (for their page)."""
    with uow:
        uow.members.get(member_id)
        return uow.topic_wishes.for_member(member_id)


def meeting_topic_wishes(meeting_id: int, *, uow: UnitOfWork) -> list[TopicWish]:
    with uow:
        uow.meetings.get(meeting_id)
        return uow.topic_wishes.for_meeting(meeting_id)


def schedule_topic_wish(cmd: ScheduleTopicWish, *, uow: UnitOfWork, clock: Clock) -> ScheduledWish:
    """Put the wish on a coming meeting's agenda and tell its member."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        wish = uow.topic_wishes.get(cmd.wish_id)
        meeting = uow.meetings.get(cmd.meeting_id)
        now = clock.now()
        event = model.schedule(
            wish, meeting, actor=actor, seq=uow.events.next_seq(Aggregate.TOPIC_WISH, wish.stored_id), at=now
        )
        uow.topic_wishes.save(wish)
        uow.events.append([event])
        queued = 0
        if wish.member_id is not None:
            member = uow.members.get(wish.member_id)
            panel = uow.panels.by_id(wish.panel_id)
            payload = scheduled_payload(panel, wish, meeting)
            rows = to_members(
                TOPIC_WISH_SCHEDULED,
                ("topic_wish", wish.stored_id, meeting.id),
                [member],
                payload,
                panel_id=panel.stored_id,
                now=now,
            )
            queued = uow.outbox.add_new(rows)
        uow.commit()
        return ScheduledWish(wish=wish, queued_notifications=queued)


def decline_topic_wish(cmd: DeclineTopicWish, *, uow: UnitOfWork, clock: Clock) -> DeclinedWish:
    """Decline an open wish with a note to its member (mailed in their language; none when nobody sent it)."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        wish = uow.topic_wishes.get(cmd.wish_id)
        now = clock.now()
        seq = uow.events.next_seq(Aggregate.TOPIC_WISH, wish.stored_id)
        events = model.decline(wish, cmd.note, actor=actor, seq=seq, at=now, acknowledge_health=cmd.acknowledge_health)
        uow.topic_wishes.save(wish)
        uow.events.append(events)
        queued = 0
        if wish.member_id is not None:
            member = uow.members.get(wish.member_id)
            panel = uow.panels.by_id(wish.panel_id)
            payload = {**panel_fields(panel), "wish_id": wish.id, "wish_text": wish.text, "note": wish.decline_note}
            rows = to_members(
                TOPIC_WISH_DECLINED, ("topic_wish", wish.stored_id, "declined"), [member], payload,
                panel_id=panel.stored_id, now=now,
            )  # fmt: skip
            queued = uow.outbox.add_new(rows)
        uow.commit()
        return DeclinedWish(wish=wish, queued_notifications=queued)


def scheduled_payload(panel: Panel, wish: TopicWish, meeting: Meeting) -> dict[str, Any]:
    payload = {
        **panel_fields(panel),
        "wish_id": wish.id,
        "wish_text": wish.text,
        "meeting_id": meeting.id,
        "meeting_title": meeting.display_title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.end.isoformat(),
        "place": meeting.place or None,
        "online_url": meeting.online_url or None,
    }
    return with_translations(
        payload,
        meeting_title_translations(meeting, "meeting_title"),
        translated(meeting.translations, {"place": "place"}),
    )
