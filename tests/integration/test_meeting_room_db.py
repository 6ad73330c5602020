"""The meeting room on SQLite and PostgreSQL: taps stored once, turns and balance in the tap's transaction, the
attendance kept in step, and a member's turns in their export and gone after their erasure."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from application.data_rights import MemberRequest, erase_member, export_member
from application.meeting_room import RoomCommand, act_in_room, meeting_balance
from application.participation.attendance import meeting_attendance
from domain.actors import Actor
from domain.errors import AlreadyExists
from domain.speaking import ActionKind, RoomAction, balance
from domain.values import Role
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.engine import make_session_factory
from persistence.meeting_room_tables import RoomActionRow, SpeakingBalanceRow, TurnRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.participation.world import COORDINATOR, World, build

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    built = build(uow_factory, clock)
    clock.advance(days=20, minutes=5)  # five minutes into the meeting
    return built


def tap(uow_factory: UowFactory, clock: FixedClock, world: World, action_id: str, kind: str, member=None, after=0):  # type: ignore[no-untyped-def]
    clock.advance(seconds=after)
    cmd = RoomCommand(meeting_id=world.meeting_id, action_id=action_id, kind=kind, member_id=member, actor=COORDINATOR)
    return act_in_room(cmd, uow=uow_factory(), clock=clock)


def run_meeting(uow_factory: UowFactory, clock: FixedClock, world: World) -> None:
    taps = [
        ("present", world.maija, 0), ("present", world.sven, 0), ("present", world.emma, 0),
        ("ask", world.maija, 10), ("ask", world.sven, 5), ("start", None, 5),  # Maija
        ("ask", world.maija, 30), ("start", None, 60),  # Sven (fewer turns), Maija's turn ends: 90 s
        ("end", None, 40), ("start", world.maija, 5), ("end", None, 20), ("undo", None, 2),  # Maija speaks on
        ("end", None, 28),
    ]  # fmt: skip
    for n, (kind, member, after) in enumerate(taps):
        tap(uow_factory, clock, world, f"tap-{n:04d}", kind, member, after)


def rows(engine: Engine, model: type, *where: object) -> list:  # type: ignore[type-arg]
    with engine.connect() as connection:
        return list(connection.execute(select(model.__table__).where(*where)).mappings())  # type: ignore[attr-defined]


def test_a_meeting_in_the_room_stores_its_turns_balance_and_attendance(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    run_meeting(uow_factory, clock, world)
    again = tap(uow_factory, clock, world, "tap-0005", "start", None, 1)  # a retried tap: recorded once

    turns = rows(engine, TurnRow)
    assert [(t["member_id"], int((t["ended_at"] - t["started_at"]).total_seconds())) for t in turns] == [
        (world.maija, 90), (world.sven, 40), (world.maija, 50),
    ]  # fmt: skip
    actions = rows(engine, RoomActionRow)
    assert len(actions) == 13
    assert [a["action_id"] for a in actions if a["undone"]] == ["tap-0010"]
    assert again.current is None
    assert [m.member_id for m in again.present if not m.spoken] == [world.emma]
    stored = rows(engine, SpeakingBalanceRow)[0]
    with uow_factory() as uow:
        expected = balance(
            {world.maija, world.sven, world.emma}, uow.meeting_room.turns(world.meeting_id), now=clock.now()
        )
    assert (stored["present"], stored["spoke"], stored["turns"], stored["longest_seconds"]) == (3, 2, 3, 90)
    assert stored["total_seconds"] == expected.total_seconds == 180
    assert stored["gini"] == pytest.approx(expected.gini)
    assert stored["share_spoke"] == pytest.approx(2 / 3)
    assert {m.id for m in meeting_attendance(world.meeting_id, uow=uow_factory())} == {
        world.maija, world.sven, world.emma,
    }  # fmt: skip
    coordinator = Actor(name=COORDINATOR, role=Role.COORDINATOR, panel_ids=frozenset({world.panel_id}))
    figures = meeting_balance(world.meeting_id, actor=coordinator, uow=uow_factory())
    assert figures is not None
    assert [(m.member_id, m.seconds, m.turns) for m in figures.per_member] == [
        (world.maija, 140, 2),
        (world.sven, 40, 1),
    ]


def test_the_database_refuses_the_same_action_id_twice_in_a_meeting_and_the_transaction_goes_on(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    tap(uow_factory, clock, world, "only-once", "present", world.maija)
    with uow_factory() as uow:
        with pytest.raises(AlreadyExists) as error:
            uow.meeting_room.add_action(
                world.meeting_id, RoomAction("only-once", ActionKind.PRESENT, clock.now(), world.sven)
            )
        assert error.value.field == "action_id"
        uow.meeting_room.add_action(
            world.other_meeting_id, RoomAction("only-once", ActionKind.GUIDE, clock.now(), seconds=60)
        )
        uow.commit()
    assert [(a["meeting_id"], a["member_id"]) for a in rows(engine, RoomActionRow)] == [
        (world.meeting_id, world.maija), (world.other_meeting_id, None),
    ]  # fmt: skip


def test_a_members_turns_are_in_their_export_and_gone_after_erasure(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    run_meeting(uow_factory, clock, world)
    sessions = make_session_factory(engine)
    before = rows(engine, SpeakingBalanceRow)

    exported = export_member(
        MemberRequest(member_id=world.maija), uow=SqlAlchemyDataRightsUnitOfWork(sessions), clock=clock
    )
    assert len(exported["related"]["meeting_turns"]) == 2
    assert {a["kind"] for a in exported["related"]["meeting_room_actions"]} == {"present", "ask", "start"}
    done = erase_member(MemberRequest(member_id=world.maija), uow=SqlAlchemyDataRightsUnitOfWork(sessions), clock=clock)

    assert done.counts["speaking_turns_deleted"] == 2
    mine = (TurnRow.member_id == world.maija,)
    assert rows(engine, TurnRow, *mine) == []
    assert rows(engine, RoomActionRow, RoomActionRow.member_id == world.maija) == []
    assert [t["member_id"] for t in rows(engine, TurnRow)] == [world.sven]
    assert rows(engine, SpeakingBalanceRow) == before  # the figures name nobody and stay
    with engine.connect() as connection:
        left = connection.scalar(
            select(func.count()).select_from(RoomActionRow).where(RoomActionRow.was_present.is_not(None))
        )
    assert left == 4  # Sven's three taps and Emma's one still name them; Maija's five name nobody
