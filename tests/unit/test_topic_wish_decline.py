"""Declining a topic wish: the domain rule (an open wish only, a note, the privacy guard) and its use case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.participation import topic_wishes as use_cases
from application.participation.topic_wishes import DeclineTopicWish, ScheduleTopicWish
from domain import topic_wishes as model
from domain.actors import Actor
from domain.errors import HealthDetailsNeedAcknowledgement, InvalidValue, PermissionDenied, PrivacyBlocked
from domain.events import Aggregate, EventType
from domain.topic_wishes import MAX_DECLINE_NOTE, TopicWish, WishStatus
from domain.values import Role
from notifications.kinds import MEMBER_KINDS, TOPIC_WISH_DECLINED
from notifications.outbox import RecipientKind
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.participation.world import COORDINATOR, World, build

AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
NOTE = "Pysäköinti ei kuulu terveysaseman päätettäviin asioihin, joten raati ei voi vaikuttaa siihen."
LIISA = Actor(name=COORDINATOR, role=Role.COORDINATOR, panel_ids=frozenset({1}))


def open_wish(panel_id: int = 1) -> TopicWish:
    return TopicWish(id=7, panel_id=panel_id, text="Pysäköinti", submitted_at=AT, submitted_by="member:3", member_id=3)


def test_a_declined_wish_keeps_its_note_who_and_when_and_the_log_keeps_no_text() -> None:
    wish = open_wish()

    (event,) = model.decline(wish, f"  {NOTE}  ", actor=LIISA, seq=2, at=AT)

    assert wish.status is WishStatus.DECLINED
    assert (wish.decline_note, wish.declined_by, wish.declined_at) == (NOTE, COORDINATOR, AT)
    assert (event.aggregate, event.type, event.seq, event.actor) == (
        Aggregate.TOPIC_WISH,
        EventType.DECLINED,
        2,
        COORDINATOR,
    )
    assert "Pysäköinti" not in str(dict(event.data))


@pytest.mark.parametrize("note", ["", "   ", "x" * (MAX_DECLINE_NOTE + 1)])
def test_a_decline_needs_a_note_of_reasonable_length(note: str) -> None:
    wish = open_wish()

    with pytest.raises(InvalidValue) as error:
        model.decline(wish, note, actor=LIISA, seq=2, at=AT)

    assert error.value.field == "note"
    assert wish.status is WishStatus.OPEN


def test_only_an_open_wish_is_declined_and_a_declined_one_is_not_scheduled() -> None:
    declined = open_wish()
    model.decline(declined, NOTE, actor=LIISA, seq=2, at=AT)
    scheduled = open_wish()
    scheduled.meeting_id = 4

    with pytest.raises(InvalidValue, match="only an open wish") as again:
        model.decline(declined, NOTE, actor=LIISA, seq=3, at=AT)
    with pytest.raises(InvalidValue, match="only an open wish"):
        model.decline(scheduled, NOTE, actor=LIISA, seq=2, at=AT)

    assert again.value.field == "wish"
    assert scheduled.status is WishStatus.SCHEDULED


def test_only_the_panels_coordinator_declines() -> None:
    wish = open_wish(panel_id=2)
    manager = Actor(name="johtaja@example.fi", role=Role.MANAGER)

    for actor in (LIISA, manager):
        with pytest.raises(PermissionDenied):
            model.decline(wish, NOTE, actor=actor, seq=2, at=AT)

    assert wish.status is WishStatus.OPEN


@pytest.mark.parametrize("detail", ["Soita minulle 040 123 4567.", "Kirjoita osoitteeseen maija@example.fi."])
def test_identifiers_in_the_note_block_it(detail: str) -> None:
    wish = open_wish()

    with pytest.raises(PrivacyBlocked) as error:
        model.decline(wish, f"{NOTE} {detail}", actor=LIISA, seq=2, at=AT)

    assert error.value.field == "note"
    assert wish.status is WishStatus.OPEN


def test_health_details_in_the_note_go_only_on_the_coordinators_word() -> None:
    note = "Diabeteksen hoito käsitellään diabeteshoitajan kanssa, ei raadissa."
    wish = open_wish()

    with pytest.raises(HealthDetailsNeedAcknowledgement):
        model.decline(wish, note, actor=LIISA, seq=2, at=AT)
    assert wish.status is WishStatus.OPEN
    declined, acknowledged = model.decline(wish, note, actor=LIISA, seq=2, at=AT, acknowledge_health=True)

    assert (declined.type, acknowledged.type, acknowledged.seq) == ("declined", "privacy_acknowledged", 3)
    assert "diabete" not in str(dict(acknowledged.data)).lower()


def test_the_decline_mail_is_a_member_kind() -> None:
    assert TOPIC_WISH_DECLINED in MEMBER_KINDS
    assert TOPIC_WISH_DECLINED == "topic_wish_declined"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def world(uow: FakeUnitOfWork, clock: FixedClock) -> World:
    return build(lambda: uow, clock)


def test_declining_tells_the_member_in_their_language_and_the_wish_stays_declined(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    wish = use_cases.submit_topic_wish(world.sven, "Parkering vid hälsostationen", uow=uow, clock=clock)

    result = use_cases.decline_topic_wish(
        DeclineTopicWish(wish_id=wish.id or 0, note=NOTE, actor=COORDINATOR), uow=uow, clock=clock
    )

    (row,) = [m for m in uow.outbox.list() if m.kind == TOPIC_WISH_DECLINED]
    assert result.queued_notifications == 1
    assert (row.recipient_kind, row.recipient_id, row.language) == (RecipientKind.MEMBER, world.sven, "sv")
    assert (row.payload["wish_text"], row.payload["note"]) == ("Parkering vid hälsostationen", NOTE)
    (stored,) = use_cases.list_topic_wishes("Itä-Helsinki", uow=uow)
    assert (stored.status, stored.decline_note, stored.declined_by) == (WishStatus.DECLINED, NOTE, COORDINATOR)
    with pytest.raises(InvalidValue, match="declined"):
        use_cases.schedule_topic_wish(ScheduleTopicWish(wish.id or 0, world.meeting_id), uow=uow, clock=clock)


def test_a_refused_decline_writes_nothing(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    wish = use_cases.submit_topic_wish(world.maija, "Aihe", uow=uow, clock=clock)
    events = len(uow.events.all())

    with pytest.raises(InvalidValue):
        use_cases.decline_topic_wish(DeclineTopicWish(wish_id=wish.id or 0, note=" "), uow=uow, clock=clock)

    assert use_cases.list_topic_wishes("Itä-Helsinki", uow=uow)[0].status is WishStatus.OPEN
    assert (len(uow.events.all()), uow.outbox.list()) == (events, [])
