"""The meeting room's use cases over the fake unit of work: taps stored once, turns, attendance and balance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.meeting_room import RoomCommand, act_in_room, meeting_balance, room_view
from application.participation.attendance import RecordAttendance, meeting_attendance, record_attendance
from domain.actors import Actor
from domain.errors import InvalidValue, PermissionDenied
from domain.speaking import QueueReason
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.participation.world import COORDINATOR, World, build


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def world(uow: FakeUnitOfWork, clock: FixedClock) -> World:
    built = build(lambda: uow, clock)
    clock.advance(days=20)  # the meeting starts now
    return built


class Room:
    def __init__(self, uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
        self.uow, self.clock, self.world, self.n = uow, clock, world, 0

    def tap(self, kind: str, member: int | None = None, *, after: int = 0, **more: object):  # type: ignore[no-untyped-def]
        self.clock.advance(seconds=after)
        self.n += 1
        action_id = str(more.pop("action_id", f"tap-{self.n:05d}"))
        cmd = RoomCommand(
            meeting_id=self.world.meeting_id, action_id=action_id, kind=kind, member_id=member, actor=COORDINATOR,
            **more,  # type: ignore[arg-type]
        )  # fmt: skip
        return act_in_room(cmd, uow=self.uow, clock=self.clock)


@pytest.fixture
def room(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> Room:
    return Room(uow, clock, world)


def test_a_retried_tap_is_recorded_once(room: Room, uow: FakeUnitOfWork, world: World) -> None:
    room.tap("ask", world.maija, action_id="same-tap-1")
    view = room.tap("ask", world.maija, action_id="same-tap-1")

    assert [q.member_id for q in view.queue] == [world.maija]
    with uow:
        assert len(uow.meeting_room.actions(world.meeting_id)) == 1


def test_turns_attendance_and_balance_follow_the_taps(room: Room, uow: FakeUnitOfWork, world: World) -> None:
    room.tap("present", world.emma)
    room.tap("ask", world.maija)
    room.tap("ask", world.sven)
    view = room.tap("start", after=5)  # the first in the queue: Maija asked first
    assert view.current is not None
    assert view.current.member_id == world.maija
    room.tap("ask", world.maija, after=60)
    view = room.tap("start", after=30)  # Sven has fewer turns than Maija: he goes first
    assert view.current is not None
    assert view.current.member_id == world.sven
    assert [(q.member_id, q.reason) for q in view.queue] == [(world.maija, QueueReason.ASKED_FIRST)]
    view = room.tap("end", after=45)

    assert [m.member_id for m in view.present if not m.spoken] == [world.emma]
    assert (view.balance.present, view.balance.spoke, view.balance.turns, view.balance.total_seconds) == (3, 2, 2, 135)
    assert view.balance.longest_seconds == 90
    assert view.last_action == "end"
    assert view.can_undo
    with uow:
        turns = uow.meeting_room.turns(world.meeting_id)
        stored = uow.meeting_room.balance(world.meeting_id)
    assert [(t.member_id, t.ended_at is not None) for t in turns] == [(world.maija, True), (world.sven, True)]
    assert stored == view.balance
    present = {m.id for m in meeting_attendance(world.meeting_id, uow=uow)}
    assert present == {world.emma, world.maija, world.sven}


def test_undo_of_a_mark_present_takes_the_member_off_the_attendance_too(
    room: Room, uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    record_attendance(RecordAttendance(meeting_id=world.meeting_id, present=(world.sven,)), uow=uow, clock=clock)
    view = room.tap("present", world.maija)
    assert {m.member_id for m in view.present} == {world.sven, world.maija}  # attendance makes present
    view = room.tap("undo")

    assert {m.member_id for m in view.present} == {world.sven}
    assert view.last_action is None
    assert not view.can_undo
    assert {m.id for m in meeting_attendance(world.meeting_id, uow=uow)} == {world.sven}
    with uow:
        assert uow.meeting_room.undone(world.meeting_id) == {"tap-00001"}


def test_undo_of_an_ask_keeps_a_member_who_was_there_present(room: Room, uow: FakeUnitOfWork, world: World) -> None:
    room.tap("present", world.maija)
    room.tap("ask", world.maija)
    view = room.tap("undo")

    assert view.queue == []
    assert [m.member_id for m in view.present] == [world.maija]
    assert {m.id for m in meeting_attendance(world.meeting_id, uow=uow)} == {world.maija}


@pytest.mark.parametrize(
    ("kind", "member", "more", "field"),
    [
        ("shout", 1, {}, "kind"),
        ("end", None, {}, "kind"),
        ("start", None, {}, "member_id"),
        ("ask", None, {}, "member_id"),
        ("guide", None, {"seconds": 10}, "seconds"),
        ("ask", 1, {"action_id": "short"}, "action_id"),
        ("ask", 1, {"action_id": "bad id with spaces"}, "action_id"),
    ],
)
def test_bad_taps_name_the_field_and_record_nothing(
    room: Room, uow: FakeUnitOfWork, world: World, kind: str, member: int | None, more: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as error:
        room.tap(kind, world.maija if member else None, **more)

    assert error.value.field == field
    with uow:
        assert uow.meeting_room.actions(world.meeting_id) == []


def test_a_member_of_another_panel_cannot_be_marked(room: Room, uow: FakeUnitOfWork, world: World) -> None:
    with pytest.raises(InvalidValue) as error:
        room.tap("present", world.stranger)
    assert error.value.field == "member_id"


def test_only_the_meetings_coordinators_run_the_room_and_read_each_members_time(
    room: Room, uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    room.tap("start", world.maija)
    room.tap("end", after=40)
    manager = Actor(name="manager@example.fi", role=Role.MANAGER)
    other = Actor(name="other@example.fi", role=Role.COORDINATOR, panel_ids=frozenset({world.other_panel_id}))
    coordinator = Actor(name=COORDINATOR, role=Role.COORDINATOR, panel_ids=frozenset({world.panel_id}))

    for actor in (manager, other):
        with pytest.raises(PermissionDenied):
            room_view(world.meeting_id, actor=actor, uow=uow, clock=clock)
    with pytest.raises(PermissionDenied):
        meeting_balance(world.meeting_id, actor=other, uow=uow)
    as_manager = meeting_balance(world.meeting_id, actor=manager, uow=uow)
    as_coordinator = meeting_balance(world.meeting_id, actor=coordinator, uow=uow)

    assert as_manager is not None
    assert as_manager.per_member == []
    assert as_manager.balance.total_seconds == 40
    assert as_coordinator is not None
    assert [(m.member_id, m.seconds, m.turns) for m in as_coordinator.per_member] == [(world.maija, 40, 1)]
    assert meeting_balance(world.other_meeting_id, actor=manager, uow=uow) is None


def test_a_cancelled_meeting_has_no_room(room: Room, uow: FakeUnitOfWork, world: World) -> None:
    with uow:
        meeting = uow.meetings.get(world.meeting_id)
        meeting.status = meeting.status.CANCELLED
        uow.meetings.save(meeting)
        uow.commit()
    with pytest.raises(InvalidValue) as error:
        room.tap("present", world.maija)
    assert error.value.field == "meeting"


def test_taps_before_the_meeting_starts_leave_the_attendance_for_later(
    room: Room, uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    clock.advance(timedelta(minutes=-10))
    view = room.tap("present", world.maija)
    assert [m.member_id for m in view.present] == [world.maija]
    assert meeting_attendance(world.meeting_id, uow=uow) == []
    clock.advance(timedelta(minutes=10))
    room.tap("present", world.sven)
    assert {m.id for m in meeting_attendance(world.meeting_id, uow=uow)} == {world.maija, world.sven}


def test_a_tap_sent_again_while_the_first_was_being_saved_counts_once(
    room: Room, uow: FakeUnitOfWork, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    room.tap("guide", action_id="raced-tap", seconds=180)
    # The second request looked before the first was committed: it finds nothing, then loses the insert.
    monkeypatch.setattr(uow.meeting_room, "has_action", lambda meeting_id, action_id: False)
    view = room.tap("guide", action_id="raced-tap", seconds=180)

    assert view.guide_seconds == 180
    with uow:
        assert len(uow.meeting_room.actions(world.meeting_id)) == 1
