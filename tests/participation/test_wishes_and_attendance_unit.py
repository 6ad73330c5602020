"""Topic wishes and attendance through the use cases, on the in-memory unit of work."""

from __future__ import annotations

import pytest

from application.participation import attendance
from application.participation import topic_wishes as use_cases
from application.participation.attendance import RecordAttendance
from application.participation.topic_wishes import AddTopicWish, ScheduleTopicWish
from application.people import preferences
from application.people.preferences import Unsubscribe
from domain.errors import InvalidValue, NotFound, PermissionDenied, PrivacyBlocked
from domain.events import Aggregate
from domain.topic_wishes import WishStatus
from notifications.kinds import TOPIC_WISH_SCHEDULED
from notifications.outbox import RecipientKind
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
    return build(lambda: uow, clock)


def test_a_member_submits_a_wish_and_the_log_keeps_no_text(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    wish = use_cases.submit_topic_wish(world.maija, "  Ruotsinkieliset ohjeet Omaoloon  ", uow=uow, clock=clock)

    assert (wish.text, wish.member_id, wish.panel_id, wish.status) == (
        "Ruotsinkieliset ohjeet Omaoloon", world.maija, world.panel_id, WishStatus.OPEN)  # fmt: skip
    event = uow.events.all()[-1]
    assert (event.aggregate, event.aggregate_id, event.type, event.actor) == (
        Aggregate.TOPIC_WISH, wish.id, "submitted", f"member:{world.maija}")  # fmt: skip
    assert "Ruotsinkieliset" not in str(dict(event.data))


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_wish_is_refused(uow: FakeUnitOfWork, clock: FixedClock, world: World, text: str) -> None:
    with pytest.raises(InvalidValue) as error:
        use_cases.submit_topic_wish(world.maija, text, uow=uow, clock=clock)

    assert error.value.field == "text"
    assert use_cases.list_topic_wishes("Itä-Helsinki", uow=uow) == []


def test_an_unknown_member_cannot_wish(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    with pytest.raises(NotFound):
        use_cases.submit_topic_wish(999, "Aihe", uow=uow, clock=clock)


def test_a_coordinator_records_a_wish_for_a_member_of_their_panel_only(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    wish = use_cases.add_topic_wish(
        AddTopicWish(panel="Itä-Helsinki", text="Aikaa puhelinneuvontaan", member_id=world.sven, actor=COORDINATOR),
        uow=uow,
        clock=clock,
    )
    with pytest.raises(InvalidValue) as error:
        use_cases.add_topic_wish(
            AddTopicWish(panel="Itä-Helsinki", text="Aihe", member_id=world.stranger), uow=uow, clock=clock
        )
    with pytest.raises(PermissionDenied):
        use_cases.add_topic_wish(
            AddTopicWish(panel="Länsi-Helsinki", text="Aihe", actor=COORDINATOR), uow=uow, clock=clock
        )

    assert error.value.field == "member"
    assert (wish.member_id, wish.submitted_by) == (world.sven, COORDINATOR)
    assert [w.id for w in use_cases.list_topic_wishes("Itä-Helsinki", uow=uow)] == [wish.id]


def test_scheduling_a_wish_tells_its_member_once_with_a_stable_id(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    wish = use_cases.submit_topic_wish(world.sven, "Ohjeet ruotsiksi", uow=uow, clock=clock)
    clock.advance(days=1)

    result = use_cases.schedule_topic_wish(ScheduleTopicWish(wish.id or 0, world.meeting_id), uow=uow, clock=clock)

    (row,) = [m for m in uow.outbox.list() if m.kind == TOPIC_WISH_SCHEDULED]
    assert result.queued_notifications == 1
    assert (result.wish.status, result.wish.meeting_id) == (WishStatus.SCHEDULED, world.meeting_id)
    assert (row.recipient_kind, row.recipient_id, row.language) == (RecipientKind.MEMBER, world.sven, "sv")
    assert row.payload["wish_text"] == "Ohjeet ruotsiksi"
    assert row.payload["meeting_title"] == "Omaolon ohjeet asiakkaan silmin"
    assert row.payload["recipient_name"] == "Sven Svensson"
    assert [w.id for w in use_cases.meeting_topic_wishes(world.meeting_id, uow=uow)] == [wish.id]
    event = uow.events.all()[-1]
    assert (event.type, event.data["meeting_id"]) == ("scheduled", world.meeting_id)
    with pytest.raises(InvalidValue, match="already on the agenda"):
        use_cases.schedule_topic_wish(ScheduleTopicWish(wish.id or 0, world.meeting_id), uow=uow, clock=clock)


def test_a_wish_goes_only_onto_a_coming_meeting_of_its_own_panel(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    wish = use_cases.submit_topic_wish(world.maija, "Aihe", uow=uow, clock=clock)

    with pytest.raises(InvalidValue, match="another panel") as other:
        use_cases.schedule_topic_wish(ScheduleTopicWish(wish.id or 0, world.other_meeting_id), uow=uow, clock=clock)
    clock.advance(days=21)
    with pytest.raises(InvalidValue, match="already started"):
        use_cases.schedule_topic_wish(ScheduleTopicWish(wish.id or 0, world.meeting_id), uow=uow, clock=clock)

    assert other.value.field == "meeting"
    assert uow.outbox.list() == []
    assert use_cases.list_topic_wishes("Itä-Helsinki", uow=uow)[0].status is WishStatus.OPEN


def test_no_email_for_a_panel_wish_or_an_unsubscribed_member(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    panel_wish = use_cases.add_topic_wish(AddTopicWish(panel="Itä-Helsinki", text="Yleinen aihe"), uow=uow, clock=clock)
    members_wish = use_cases.submit_topic_wish(world.emma, "Another topic", uow=uow, clock=clock)
    preferences.unsubscribe(Unsubscribe(member_id=world.emma, via="link"), uow=uow, clock=clock)

    first = use_cases.schedule_topic_wish(ScheduleTopicWish(panel_wish.id or 0, world.meeting_id), uow=uow, clock=clock)
    second = use_cases.schedule_topic_wish(
        ScheduleTopicWish(members_wish.id or 0, world.meeting_id), uow=uow, clock=clock
    )

    assert (first.queued_notifications, second.queued_notifications) == (0, 0)
    assert [m for m in uow.outbox.list() if m.kind == TOPIC_WISH_SCHEDULED] == []


def test_attendance_is_recorded_replaced_and_read_back(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    clock.advance(days=20, minutes=5)

    first = attendance.record_attendance(
        RecordAttendance(world.meeting_id, (world.maija, world.sven)), uow=uow, clock=clock
    )
    second = attendance.record_attendance(RecordAttendance(world.meeting_id, (world.emma,)), uow=uow, clock=clock)

    assert [m.id for m in first] == [world.maija, world.sven]
    assert [m.id for m in second] == [world.emma]
    assert [m.id for m in attendance.meeting_attendance(world.meeting_id, uow=uow)] == [world.emma]
    events = [
        e for e in uow.events.for_aggregate(Aggregate.MEETING, world.meeting_id) if e.type == "attendance_recorded"
    ]
    assert [list(e.data["present"]) for e in events] == [[world.maija, world.sven], [world.emma]]


def test_attendance_before_the_start_or_of_strangers_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    with pytest.raises(InvalidValue, match="has not started"):
        attendance.record_attendance(RecordAttendance(world.meeting_id, (world.maija,)), uow=uow, clock=clock)
    clock.advance(days=20, minutes=1)
    with pytest.raises(InvalidValue) as error:
        attendance.record_attendance(
            RecordAttendance(world.meeting_id, (world.maija, world.stranger)), uow=uow, clock=clock
        )

    assert error.value.field == "member"
    assert str(world.stranger) in str(error.value)
    assert attendance.meeting_attendance(world.meeting_id, uow=uow) == []


@pytest.mark.parametrize(
    "text",
    ["Soittakaa minulle 040 123 4567", "Vastaus osoitteeseen maija@example.fi", "Asiani koskee 131052-308T"],
)
def test_identifiers_in_a_wish_block_it(uow: FakeUnitOfWork, clock: FixedClock, world: World, text: str) -> None:
    with pytest.raises(PrivacyBlocked) as error:
        use_cases.submit_topic_wish(world.maija, text, uow=uow, clock=clock)

    assert error.value.field == "text"
    assert text.split()[-1] not in str(error.value)  # the message says where, never what
    assert use_cases.list_topic_wishes("Itä-Helsinki", uow=uow) == []


def test_general_health_talk_in_a_wish_is_not_blocked(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    wish = use_cases.submit_topic_wish(world.maija, "Diabeetikon ohjeet Omaolossa", uow=uow, clock=clock)

    assert wish.id is not None
