"""Use cases of the meeting room: a coordinator's tap (stored at once, once), the room as they see it, and the
meeting's speaking balance afterwards. Turns, attendance and the balance change in the tap's own transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from application.access.identity import resolve_actor
from application.access.permissions import may_read_speaking_of, require_may_read_meeting, require_may_run_room
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import attendance
from domain import speaking as model
from domain.actors import Actor
from domain.errors import AlreadyExists, InvalidValue
from domain.events import Aggregate
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Member
from domain.speaking import ActionKind, Balance, QueueReason, RoomAction, RoomState

ACTION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class RoomCommand(ActorCommand):
    """One tap in the room; ``action_id`` (from the form) makes a retried tap count once."""

    meeting_id: int
    action_id: str
    kind: str
    member_id: int | None = None
    seconds: int | None = None


@dataclass(frozen=True)
class RoomMember:
    member_id: int
    name: str  # as the member wants to be called
    turns: int
    seconds: int
    spoken: bool
    waiting: bool
    speaking: bool


@dataclass(frozen=True)
class QueueEntry:
    member_id: int
    name: str
    turns: int
    seconds: int
    reason: QueueReason


@dataclass(frozen=True)
class CurrentTurn:
    member_id: int
    name: str
    started_at: datetime
    elapsed_seconds: int


@dataclass(frozen=True)
class RoomView:
    meeting_id: int
    panel_id: int
    title: str
    starts_at: datetime
    guide_seconds: int
    present: list[RoomMember]
    not_present: list[RoomMember]
    queue: list[QueueEntry]
    current: CurrentTurn | None
    balance: Balance
    most_to_median: float | None  # for the one-line balance
    can_undo: bool
    last_action: str | None  # the kind of the action undo would reverse
    last_member_name: str | None


@dataclass(frozen=True)
class MeetingBalance:
    balance: Balance
    per_member: list[RoomMember]  # empty unless the reader coordinates the meeting's panel


def room_name(member: Member) -> str:
    """The name the room shows: the one the member wants to be called by, else their name."""
    return member.greeting_name or member.name


def act_in_room(cmd: RoomCommand, *, uow: UnitOfWork, clock: Clock) -> RoomView:
    """Record one tap and what follows from it (turns, attendance, balance) in one transaction. The same
    ``action_id`` again records nothing and returns the room as it is."""
    kind = _kind(cmd.kind)
    if not isinstance(cmd.action_id, str) or not ACTION_ID.fullmatch(cmd.action_id):
        raise InvalidValue("action_id", "8 to 64 letters, digits, '-' or '_'")
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        require_may_run_room(actor, meeting)
        now = clock.now()
        room = uow.meeting_room
        if room.has_action(meeting.stored_id, cmd.action_id):
            return _view(meeting, uow=uow, now=now)
        if meeting.status is MeetingStatus.CANCELLED:
            raise InvalidValue("meeting", f"meeting {meeting.id} was cancelled")
        members = uow.members.for_panel(meeting.panel_id)
        recorded = uow.attendance.present(meeting.stored_id)
        log = room.actions(meeting.stored_id)
        before = model.replay(log, attendance=recorded)
        action = _action(cmd, kind, before, members=members, now=now)
        baseline = _baseline(recorded, before, action)
        after = model.replay([*log, action], attendance=baseline)
        if action.kind is not ActionKind.UNDO:
            # Checked again by itself: replay would keep an impossible tap as one that changed nothing.
            model.apply(before, action)
        try:
            room.add_action(meeting.stored_id, action)
        except AlreadyExists:
            # The same tap, sent again while the first was being saved: the first one counts.
            uow.rollback()
            return _view(meeting, uow=uow, now=now)
        room.mark_undone(meeting.stored_id, sorted(after.undone))
        room.replace_turns(meeting.stored_id, after.turns)
        room.save_balance(meeting.stored_id, model.balance(after.present, after.turns, now=now), at=now)
        _record_attendance(meeting, after, recorded, members=members, actor=actor, uow=uow, now=now)
        uow.commit()
        return _view(meeting, uow=uow, now=now)


def room_view(meeting_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> RoomView:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        require_may_run_room(actor, meeting)
        return _view(meeting, uow=uow, now=clock.now())


def meeting_balance(meeting_id: int, *, actor: Actor, uow: UnitOfWork) -> MeetingBalance | None:
    """The meeting's speaking balance as stored; per member only for its coordinators. None: no turns yet."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        require_may_read_meeting(actor, meeting, uow=uow)
        figures = uow.meeting_room.balance(meeting.stored_id)
        if figures is None or figures.turns == 0:
            return None
        per_member: list[RoomMember] = []
        if may_read_speaking_of(actor, meeting):
            turns = uow.meeting_room.turns(meeting.stored_id)
            spoken = model.spoken_seconds(turns, now=_last_moment(turns, meeting))
            counts = {m: sum(1 for t in turns if t.member_id == m) for m in spoken}
            names = {m.stored_id: room_name(m) for m in uow.members.for_panel(meeting.panel_id)}
            per_member = [
                RoomMember(m, names.get(m, ""), counts[m], s, True, False, False)
                for m, s in sorted(spoken.items(), key=lambda kv: (-kv[1], names.get(kv[0], "").casefold()))
            ]
        return MeetingBalance(balance=figures, per_member=per_member)


def _kind(value: str) -> ActionKind:
    try:
        return ActionKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in ActionKind)
        raise InvalidValue("kind", f"{value!r} is not one of {allowed}") from None


def _action(
    cmd: RoomCommand, kind: ActionKind, state: RoomState, *, members: list[Member], now: datetime
) -> RoomAction:
    """The action as it will be stored: START without a member starts the first in the queue."""
    member_id = cmd.member_id
    seconds = cmd.seconds
    if kind is ActionKind.START and member_id is None:
        queue = model.order_queue(state)
        if not queue:
            raise InvalidValue("member_id", "nobody is waiting; choose whose turn it is")
        member_id = queue[0].member_id
    if kind in model.MEMBER_KINDS:
        if member_id is None:
            raise InvalidValue("member_id", f"a {kind.value} action names a member")
        active = {m.stored_id for m in members if m.active}
        if member_id not in active:
            raise InvalidValue("member_id", f"{member_id} is not an active member of the meeting's panel")
    else:
        member_id = None
    if kind is ActionKind.GUIDE:
        if seconds is None or not model.MIN_GUIDE_SECONDS <= seconds <= model.MAX_GUIDE_SECONDS:
            low, high = model.MIN_GUIDE_SECONDS, model.MAX_GUIDE_SECONDS
            raise InvalidValue("seconds", f"the guide time is from {low} to {high} seconds")
    else:
        seconds = None
    was_present = member_id in state.present if member_id is not None else None
    return RoomAction(cmd.action_id, kind, now, member_id=member_id, seconds=seconds, was_present=was_present)


def _baseline(recorded: frozenset[int], before: RoomState, action: RoomAction) -> frozenset[int]:
    """The attendance to replay from. The room keeps the meeting's attendance up to date, so an undone tap that
    marked someone present (or absent) must also take back what it did to the attendance."""
    if action.kind is not ActionKind.UNDO or not before.effective:
        return recorded
    target = before.effective[-1]
    if target.member_id is None or target.was_present is None:
        return recorded
    return recorded | {target.member_id} if target.was_present else recorded - {target.member_id}


def _record_attendance(
    meeting: Meeting,
    after: RoomState,
    recorded: frozenset[int],
    *,
    members: list[Member],
    actor: Actor,
    uow: UnitOfWork,
    now: datetime,
) -> None:
    """Keep the meeting's attendance the room's present list, by the attendance rule (once the meeting started)."""
    if after.present == recorded or now < meeting.starts_at:
        return
    present, event = attendance.record(
        meeting,
        sorted(after.present),
        members=members,
        actor=actor,
        seq=uow.events.next_seq(Aggregate.MEETING, meeting.stored_id),
        at=now,
    )
    uow.attendance.replace(meeting.stored_id, present, at=now)
    uow.events.append([event])


def _view(meeting: Meeting, *, uow: UnitOfWork, now: datetime) -> RoomView:
    members = uow.members.for_panel(meeting.panel_id)
    state = model.replay(
        uow.meeting_room.actions(meeting.stored_id), attendance=uow.attendance.present(meeting.stored_id)
    )
    by_id = {m.stored_id: m for m in members}
    names = {m.stored_id: room_name(m) for m in members}
    spoken = model.spoken_seconds(state.turns, now=now)
    current = state.current
    waiting = state.waiting

    def row(member_id: int) -> RoomMember:
        return RoomMember(
            member_id=member_id,
            name=names.get(member_id, ""),
            turns=len(state.turns_of(member_id)),
            seconds=spoken.get(member_id, 0),
            spoken=member_id in spoken,
            waiting=member_id in waiting,
            speaking=current is not None and current.member_id == member_id,
        )

    def by_name(member_id: int) -> tuple[str, int]:
        return names.get(member_id, "").casefold(), member_id

    present = [row(m) for m in sorted(state.present & by_id.keys(), key=by_name)]
    absent = [row(m.stored_id) for m in members if m.active and m.stored_id not in state.present]
    queue = [
        QueueEntry(q.member_id, names.get(q.member_id, ""), q.turns, q.seconds, q.reason)
        for q in model.order_queue(state)
    ]
    figures = model.balance(state.present, state.turns, now=now)
    last = state.effective[-1] if state.effective else None
    return RoomView(
        meeting_id=meeting.stored_id,
        panel_id=meeting.panel_id,
        title=meeting.display_title,
        starts_at=meeting.starts_at,
        guide_seconds=state.guide_seconds,
        present=present,
        not_present=sorted(absent, key=lambda r: by_name(r.member_id)),
        queue=queue,
        current=(
            CurrentTurn(current.member_id, names.get(current.member_id, ""), current.started_at, current.seconds(now))
            if current is not None
            else None
        ),
        balance=figures,
        most_to_median=figures.max_to_median,
        can_undo=last is not None,
        last_action=last.kind.value if last is not None else None,
        last_member_name=names.get(last.member_id) if last is not None and last.member_id is not None else None,
    )


def _last_moment(turns: list[model.Turn], meeting: Meeting) -> datetime:
    """A turn left running counts until the last moment a turn started or ended (the balance is as of then)."""
    moments = [t.ended_at or t.started_at for t in turns]
    return max(moments, default=meeting.starts_at)
