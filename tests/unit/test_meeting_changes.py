"""Moving and cancelling a meeting: the domain's rules, what the use cases write and queue, and how the pre-brief
and follow-up jobs read the meeting afterwards (over the fake unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from application.commands import (
    AddMember,
    AddService,
    AddUser,
    CancelMeeting,
    CreatePanel,
    RescheduleMeeting,
    ScheduleMeeting,
    UpdateMeeting,
)
from application.meetings.changes import schedule_meeting, update_meeting
from application.meetings.follow_up import follow_up_meetings
from application.meetings.prebriefs import send_due_prebriefs
from application.meetings.rescheduling import cancel_meeting, change_preview, reschedule_meeting
from application.people.roster import add_member, add_service, add_user, create_panel
from application.timezone import PANEL_TZ
from domain import meetings as model
from domain.actors import Actor
from domain.errors import InvalidValue, PermissionDenied, PrivacyBlocked
from domain.events import Aggregate, EventType
from domain.meetings import MeetingStatus
from domain.values import Role
from notifications import kinds
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

COORD = "coord@example.fi"
OTHER_COORD = "other@example.fi"


@dataclass
class World:
    uow: FakeUnitOfWork
    clock: FixedClock
    meeting_id: int

    def factory(self) -> FakeUnitOfWork:
        return self.uow

    def rows(self, kind: str) -> list:
        with self.uow:
            return [r for r in self.uow.outbox.list() if r.kind == kind]

    def meeting(self) -> model.Meeting:
        with self.uow:
            return self.uow.meetings.get(self.meeting_id)

    def events(self) -> list:
        with self.uow:
            return self.uow.events.for_aggregate(Aggregate.MEETING, self.meeting_id)


@pytest.fixture
def world() -> World:
    """A panel (pre-brief 7 days ahead) with two members, one unsubscribed-free inactive one, and a meeting in
    three weeks with a place, so its pre-brief can go out."""
    uow, clock = FakeUnitOfWork(), FixedClock()
    create_panel(CreatePanel("Pohjoinen raati"), uow=uow, clock=clock)
    create_panel(CreatePanel("Eteläinen raati"), uow=uow, clock=clock)
    add_user(AddUser(COORD, Role.COORDINATOR, panel="Pohjoinen raati"), uow=uow, clock=clock)
    add_user(AddUser(OTHER_COORD, Role.COORDINATOR, panel="Eteläinen raati"), uow=uow, clock=clock)
    add_service(AddService("Suun terveys", panel="Pohjoinen raati", owners=(), actor=COORD), uow=uow, clock=clock)
    for name, address in (("Aino Virtanen", "aino@example.fi"), ("Bertil Ek", "bertil@example.fi")):
        add_member(AddMember("Pohjoinen raati", name, address, actor=COORD), uow=uow, clock=clock)
    meeting = schedule_meeting(
        ScheduleMeeting(
            "Pohjoinen raati",
            starts_at=clock.now() + timedelta(days=21),
            service="Suun terveys",
            tasks=("Is the recall letter clear?",),
            place="Kirjasto",
            actor=COORD,
        ),
        uow=uow,
        clock=clock,
    )
    assert meeting.id is not None
    return World(uow, clock, meeting.id)


def send_prebrief(world: World) -> None:
    world.clock.advance(days=14, minutes=1)  # the pre-brief's day: 7 days before
    run = send_due_prebriefs(uow_factory=world.factory, clock=world.clock)
    assert run.sent == [world.meeting_id]


def test_a_move_before_the_prebrief_tells_nobody_and_the_prebrief_goes_out_by_the_new_date(world: World) -> None:
    old = world.meeting().starts_at
    new = old + timedelta(days=7)

    changed = reschedule_meeting(RescheduleMeeting(world.meeting_id, new, actor=COORD), uow=world.uow,
                                 clock=world.clock)  # fmt: skip

    assert changed.members_told == 0
    assert world.rows(kinds.MEETING_RESCHEDULED) == []
    assert world.meeting().starts_at == new
    assert world.meeting().calendar_sequence == 1  # no mail, but the members' calendar feeds show the new time
    moved = world.events()[-1]
    assert moved.type == EventType.RESCHEDULED
    assert moved.data["previous_starts_at"] == old.isoformat()
    # The old pre-brief day passes without a pre-brief; it goes out 7 days before the new date.
    world.clock.set(old - timedelta(days=7) + timedelta(minutes=1))
    assert send_due_prebriefs(uow_factory=world.factory, clock=world.clock).sent == []
    world.clock.set(new - timedelta(days=7) + timedelta(hours=2))  # a margin for the change to summer time
    assert send_due_prebriefs(uow_factory=world.factory, clock=world.clock).sent == [world.meeting_id]
    assert {r.payload["starts_at"] for r in world.rows(kinds.PREBRIEF)} == {new.isoformat()}


def test_a_move_after_the_prebrief_tells_each_member_with_a_higher_sequence(world: World) -> None:
    send_prebrief(world)
    old = world.meeting().starts_at
    new = old + timedelta(days=2, hours=1)

    changed = reschedule_meeting(RescheduleMeeting(world.meeting_id, new, actor=COORD), uow=world.uow,
                                 clock=world.clock)  # fmt: skip

    rows = world.rows(kinds.MEETING_RESCHEDULED)
    assert changed.members_told == 2
    assert sorted(r.email for r in rows) == ["aino@example.fi", "bertil@example.fi"]
    payload = rows[0].payload
    assert payload["sequence"] == 1
    assert payload["starts_at"] == new.isoformat()
    assert payload["previous_starts_at"] == old.isoformat()
    assert payload["ends_at"] == (new + model.DEFAULT_LENGTH).isoformat()
    assert set(kinds.MeetingRescheduledPayload.__required_keys__) <= set(payload)
    # A second move is a change of its own: new rows, sequence 2.
    reschedule_meeting(RescheduleMeeting(world.meeting_id, new + timedelta(hours=1), actor=COORD), uow=world.uow,
                       clock=world.clock)  # fmt: skip
    assert sorted(r.payload["sequence"] for r in world.rows(kinds.MEETING_RESCHEDULED)) == [1, 1, 2, 2]


def test_a_moved_meeting_keeps_its_length(world: World) -> None:
    meeting = world.meeting()
    update_meeting(
        UpdateMeeting(world.meeting_id, ends_at=meeting.starts_at + timedelta(hours=3), actor=COORD),
        uow=world.uow,
        clock=world.clock,
    )
    new = meeting.starts_at + timedelta(days=3)
    reschedule_meeting(RescheduleMeeting(world.meeting_id, new, actor=COORD), uow=world.uow, clock=world.clock)
    assert world.meeting().end == new + timedelta(hours=3)


def test_a_new_time_inside_the_three_day_line_needs_a_reason(world: World) -> None:
    soon = world.clock.now() + timedelta(days=2)
    command = RescheduleMeeting(world.meeting_id, soon, actor=COORD)

    with pytest.raises(InvalidValue) as refused:
        reschedule_meeting(command, uow=world.uow, clock=world.clock)
    assert refused.value.field == "at"
    assert "3 days" in refused.value.reason
    assert world.meeting().starts_at != soon

    late = RescheduleMeeting(world.meeting_id, soon, late_reason="The hall is taken later", actor=COORD)
    reschedule_meeting(late, uow=world.uow, clock=world.clock)
    meeting = world.meeting()
    assert (meeting.starts_at, meeting.late, meeting.late_reason) == (soon, True, "The hall is taken later")
    assert world.events()[-1].data["late_reason"] == "The hall is taken later"


def test_moving_a_late_meeting_later_clears_its_late_flag(world: World) -> None:
    reschedule_meeting(
        RescheduleMeeting(world.meeting_id, world.clock.now() + timedelta(days=2), late_reason="Kiire", actor=COORD),
        uow=world.uow,
        clock=world.clock,
    )
    reschedule_meeting(
        RescheduleMeeting(world.meeting_id, world.clock.now() + timedelta(days=20), actor=COORD),
        uow=world.uow,
        clock=world.clock,
    )
    assert (world.meeting().late, world.meeting().late_reason) == (False, "")


@pytest.mark.parametrize(
    ("when", "field"),
    [(timedelta(hours=-1), "at"), (timedelta(0), "at")],
)
def test_a_time_in_the_past_is_refused_naming_the_field_and_nothing_is_written(
    world: World, when: timedelta, field: str
) -> None:
    events = len(world.events())
    with pytest.raises(InvalidValue) as refused:
        reschedule_meeting(
            RescheduleMeeting(world.meeting_id, world.clock.now() + when, actor=COORD), uow=world.uow, clock=world.clock
        )
    assert refused.value.field == field
    assert len(world.events()) == events


def test_an_end_before_the_start_is_refused(world: World) -> None:
    new = world.clock.now() + timedelta(days=10)
    with pytest.raises(InvalidValue) as refused:
        reschedule_meeting(RescheduleMeeting(world.meeting_id, new, ends_at=new - timedelta(hours=1), actor=COORD),
                           uow=world.uow, clock=world.clock)  # fmt: skip
    assert refused.value.field == "ends_at"


def test_a_coordinator_of_another_panel_may_neither_move_nor_cancel(world: World) -> None:
    new = world.clock.now() + timedelta(days=10)
    with pytest.raises(PermissionDenied):
        reschedule_meeting(RescheduleMeeting(world.meeting_id, new, actor=OTHER_COORD), uow=world.uow,
                           clock=world.clock)  # fmt: skip
    with pytest.raises(PermissionDenied):
        cancel_meeting(CancelMeeting(world.meeting_id, "Ei tilaa", actor=OTHER_COORD), uow=world.uow,
                       clock=world.clock)  # fmt: skip
    with pytest.raises(PermissionDenied):
        change_preview(
            Actor(OTHER_COORD, Role.COORDINATOR, frozenset({999})), world.meeting_id, uow=world.uow, clock=world.clock
        )
    assert world.meeting().status is MeetingStatus.PLANNED


def test_a_cancellation_tells_every_member_and_ends_the_meetings_jobs(world: World) -> None:
    changed = cancel_meeting(
        CancelMeeting(world.meeting_id, "Terveysaseman remontti viivästyi.", actor=COORD),
        uow=world.uow,
        clock=world.clock,
    )

    meeting = world.meeting()
    assert meeting.status is MeetingStatus.CANCELLED
    assert (meeting.cancelled_reason, meeting.cancelled_at) == ("Terveysaseman remontti viivästyi.", world.clock.now())
    assert meeting.calendar_sequence == 1
    rows = world.rows(kinds.MEETING_CANCELLED)
    assert changed.members_told == len(rows) == 2
    assert rows[0].payload["reason"] == "Terveysaseman remontti viivästyi."
    assert set(kinds.MeetingCancelledPayload.__required_keys__) <= set(rows[0].payload)
    assert world.events()[-1].type == EventType.CANCELLED
    # No pre-brief on its day, no summary reminder after its time.
    world.clock.advance(days=15)
    assert send_due_prebriefs(uow_factory=world.factory, clock=world.clock).sent == []
    world.clock.advance(days=20)
    run = follow_up_meetings(uow_factory=world.factory, clock=world.clock)
    assert (run.held, run.reminders) == ([], [])
    assert world.rows(kinds.PREBRIEF) == []
    assert world.rows(kinds.REMINDER) == []


def test_a_cancelled_or_held_meeting_cannot_be_moved_or_cancelled_again(world: World) -> None:
    cancel_meeting(CancelMeeting(world.meeting_id, "Ei tilaa", actor=COORD), uow=world.uow, clock=world.clock)
    with pytest.raises(InvalidValue) as again:
        cancel_meeting(CancelMeeting(world.meeting_id, "Uudestaan", actor=COORD), uow=world.uow, clock=world.clock)
    assert (again.value.field, again.value.reason) == ("meeting", "was cancelled")
    with pytest.raises(InvalidValue):
        reschedule_meeting(RescheduleMeeting(world.meeting_id, world.clock.now() + timedelta(days=9), actor=COORD),
                           uow=world.uow, clock=world.clock)  # fmt: skip
    assert len(world.rows(kinds.MEETING_CANCELLED)) == 2


def test_a_meeting_that_has_begun_cannot_be_moved(world: World) -> None:
    world.clock.set(world.meeting().starts_at + timedelta(minutes=5))
    with pytest.raises(InvalidValue) as refused:
        reschedule_meeting(RescheduleMeeting(world.meeting_id, world.clock.now() + timedelta(days=9), actor=COORD),
                           uow=world.uow, clock=world.clock)  # fmt: skip
    assert refused.value.field == "meeting"


def test_a_cancellation_needs_a_reason_without_identifiers(world: World) -> None:
    with pytest.raises(InvalidValue) as empty:
        cancel_meeting(CancelMeeting(world.meeting_id, "  ", actor=COORD), uow=world.uow, clock=world.clock)
    assert empty.value.field == "reason"
    with pytest.raises(PrivacyBlocked):
        cancel_meeting(CancelMeeting(world.meeting_id, "Soita numeroon 040 123 4567", actor=COORD), uow=world.uow,
                       clock=world.clock)  # fmt: skip
    assert world.meeting().status is MeetingStatus.PLANNED
    assert world.rows(kinds.MEETING_CANCELLED) == []


def test_the_domain_refuses_a_naive_time() -> None:
    meeting = model.Meeting(id=1, panel_id=1, starts_at=datetime(2030, 1, 1, 12, tzinfo=PANEL_TZ),
                            leading_service_id=1)  # fmt: skip
    with pytest.raises(InvalidValue) as refused:
        model.reschedule(meeting, starts_at=datetime(2030, 2, 1, 12), lead_days=7, actor=Actor.operator(), seq=1,
                         at=datetime(2029, 1, 1, tzinfo=PANEL_TZ), tz=PANEL_TZ)  # fmt: skip
    assert refused.value.field == "at"


def test_moving_to_the_same_time_is_refused() -> None:
    starts = datetime(2030, 1, 1, 12, tzinfo=PANEL_TZ)
    meeting = model.Meeting(id=1, panel_id=1, starts_at=starts, leading_service_id=1)
    with pytest.raises(InvalidValue) as refused:
        model.reschedule(meeting, starts_at=starts, lead_days=7, actor=Actor.operator(), seq=1,
                         at=datetime(2029, 1, 1, tzinfo=PANEL_TZ), tz=PANEL_TZ)  # fmt: skip
    assert refused.value.reason == "is the meeting's time already"


def test_a_meeting_moved_after_its_at_risk_alert_is_alerted_again_against_its_new_date(world: World) -> None:
    update_meeting(UpdateMeeting(world.meeting_id, place="", actor=COORD), uow=world.uow, clock=world.clock)
    starts = world.meeting().starts_at
    world.clock.set(starts - timedelta(days=4) + timedelta(hours=2))
    assert send_due_prebriefs(uow_factory=world.factory, clock=world.clock).at_risk == [world.meeting_id]
    assert send_due_prebriefs(uow_factory=world.factory, clock=world.clock).queued == 0  # once per deadline

    new = starts + timedelta(days=14)
    reschedule_meeting(RescheduleMeeting(world.meeting_id, new, actor=COORD), uow=world.uow, clock=world.clock)
    world.clock.set(new - timedelta(days=4) + timedelta(hours=2))
    again = send_due_prebriefs(uow_factory=world.factory, clock=world.clock)

    assert again.at_risk == [world.meeting_id]
    assert again.queued == 1  # the panel's one coordinator
    assert len(world.rows(kinds.REMINDER)) == 2
