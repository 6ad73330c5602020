"""Use cases over the fake unit of work: what they store, log and put in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from application.commands import (
    AddMember,
    AddService,
    AddUser,
    CreatePanel,
    IdeaFilter,
    ImportMembers,
    MemberRow,
    MoveIdea,
    NoteIdea,
    RaiseIdea,
    ScheduleMeeting,
)
from application.errors import InvalidRows
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings.changes import schedule_meeting
from application.people.roster import add_member, add_service, add_user, create_panel, import_members
from application.reads.views import list_ideas, show_idea
from domain.actors import Actor
from domain.errors import (
    AlreadyExists,
    InvalidTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
    VersionConflict,
)
from domain.events import Aggregate
from domain.ideas import IdeaState
from domain.values import Role
from notifications import kinds, policy
from notifications.i18n import to_helsinki
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind, message_id
from notifications.policy import IDEA_SENT_TO_SERVICE, IDEA_UPDATE
from tests.conftest import FixedClock
from tests.fakes import FakeIntegrityError, FakeUnitOfWork

OPERATOR = Actor.operator()
COORD = "coord@example.fi"
OWNERS = ("owner@example.fi", "deputy@example.fi")
MEMBERS = [
    ("Aino Virtanen", "aino@example.fi"),
    ("Bertil Ek", "bertil@example.fi"),
    ("Chen Li", "chen@ex.fi"),
]


@dataclass
class World:
    uow: FakeUnitOfWork
    clock: FixedClock
    panel_id: int
    service_id: int
    meeting_id: int
    inactive_member_id: int

    def outbox(self) -> list[OutboxMessage]:
        with self.uow:
            return self.uow.outbox.list()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def world(uow: FakeUnitOfWork, clock: FixedClock) -> World:
    """A panel with a coordinator, a service with two owners, three members (one inactive), a meeting."""
    panel = create_panel(CreatePanel("Pohjoinen raati"), uow=uow, clock=clock)
    add_user(AddUser(COORD, Role.COORDINATOR, panel="Pohjoinen raati"), uow=uow, clock=clock)
    service, _ = add_service(
        AddService("Suun terveys", panel="pohjoinen RAATI", owners=OWNERS, actor=COORD), uow=uow, clock=clock
    )
    members = [
        add_member(AddMember("Pohjoinen raati", name, address, actor=COORD), uow=uow, clock=clock)
        for name, address in MEMBERS
    ]
    inactive = members[-1]
    assert inactive.id is not None
    with uow:
        uow.members.set_active(inactive.id, False)
        uow.commit()
    meeting = schedule_meeting(
        ScheduleMeeting(
            "Pohjoinen raati",
            starts_at=clock.now() + timedelta(days=21),
            service="Suun terveys",
            tasks=("Is the recall letter clear?",),
            actor=COORD,
        ),
        uow=uow,
        clock=clock,
    )
    assert panel.id is not None
    assert service.id is not None
    assert meeting.id is not None
    return World(uow, clock, panel.id, service.id, meeting.id, inactive.id)


def raise_one(world: World, *, service: str | None = None) -> int:
    view = raise_idea(
        RaiseIdea(world.meeting_id, "Evening appointments", "Working members cannot come by day.", service),
        uow=world.uow,
        clock=world.clock,
    )
    return view.id


def move(
    world: World,
    idea_id: int,
    to: str,
    *,
    note: str | None = None,
    service: str | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> None:
    world.clock.advance(minutes=5)
    move_idea(MoveIdea(idea_id, to, note, service, expected_version, actor=actor), uow=world.uow, clock=world.clock)


def test_creating_a_panel_stores_it_and_logs_the_creation(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    panel = create_panel(CreatePanel("Eteläinen raati", lead_days=10), uow=uow, clock=clock)

    assert uow.committed
    with uow:
        stored = uow.panels.get("eteläinen raati")
        [event] = uow.events.for_aggregate(Aggregate.PANEL, stored.id or 0)
    assert (stored.id, stored.name, stored.lead_days) == (panel.id, "Eteläinen raati", 10)
    assert (event.type, event.actor, event.at) == ("created", "operator", clock.now())


def test_panel_names_are_unique_regardless_of_case(uow: FakeUnitOfWork, clock: FixedClock) -> None:
    create_panel(CreatePanel("Raati"), uow=uow, clock=clock)

    with pytest.raises(AlreadyExists) as caught:
        create_panel(CreatePanel("RAATI"), uow=uow, clock=clock)

    assert caught.value.field == "name"
    assert not uow.committed


def test_a_coordinator_who_creates_a_panel_coordinates_it_and_an_owner_may_not_create_one(world: World) -> None:
    with pytest.raises(PermissionDenied):
        create_panel(CreatePanel("Omistajan raati", actor=OWNERS[0]), uow=world.uow, clock=world.clock)
    with world.uow:
        assert len(world.uow.panels.list()) == 1  # nothing half-written

    panel = create_panel(CreatePanel("Another", actor=COORD), uow=world.uow, clock=world.clock)

    with world.uow:
        coordinator = world.uow.users.by_email(COORD)
        assert coordinator is not None
        assert panel.stored_id in coordinator.panel_ids
        assert len(world.uow.panels.list()) == 2


def test_a_welcome_is_queued_only_when_asked_for(world: World) -> None:
    add_user(
        AddUser("quiet@example.fi", Role.SERVICE_OWNER, service=str(world.service_id), actor=COORD),
        uow=world.uow,
        clock=world.clock,
    )
    add_user(
        AddUser("new@example.fi", Role.SERVICE_OWNER, service=str(world.service_id), actor=COORD, welcome=True),
        uow=world.uow,
        clock=world.clock,
    )

    with world.uow:
        welcomes = [m for m in world.uow.outbox.list() if m.kind == kinds.STAFF_WELCOME]
    assert [m.email for m in welcomes] == ["new@example.fi"]
    assert welcomes[0].payload["role"] == "service_owner"
    assert welcomes[0].payload["added_by"] == COORD


def test_adding_a_service_creates_its_owners_as_service_owners(world: World) -> None:
    with world.uow:
        owners = world.uow.users.owners_of(world.service_id)
        service = world.uow.services.get("SUUN TERVEYS", panel_id=None)

    assert service.id == world.service_id
    assert [o.email for o in owners] == list(OWNERS)
    assert all(o.role is Role.SERVICE_OWNER for o in owners)


def test_coordinator_of_another_panel_may_not_add_services(world: World) -> None:
    create_panel(CreatePanel("Toinen raati"), uow=world.uow, clock=world.clock)

    with pytest.raises(PermissionDenied):
        add_service(AddService("Neuvola", panel="Toinen raati", actor=COORD), uow=world.uow, clock=world.clock)

    assert not world.uow.committed


def test_a_panel_can_be_named_by_its_id(world: World) -> None:
    member = add_member(AddMember(str(world.panel_id), "Dora", "dora@example.fi"), uow=world.uow, clock=world.clock)

    assert member.panel_id == world.panel_id


def test_unknown_panel_is_not_found(world: World) -> None:
    with pytest.raises(NotFound) as caught:
        add_member(AddMember("Nowhere", "Dora", "dora@example.fi"), uow=world.uow, clock=world.clock)

    assert (caught.value.kind, caught.value.ref) == ("panel", "Nowhere")


def test_member_email_is_unique_in_a_panel_regardless_of_case(world: World) -> None:
    with pytest.raises(AlreadyExists) as caught:
        add_member(AddMember("Pohjoinen raati", "Aino V.", "AINO@Example.FI"), uow=world.uow, clock=world.clock)

    assert caught.value.field == "email"
    assert not world.uow.committed


def test_member_addition_is_logged_without_personal_data(world: World) -> None:
    with world.uow:
        member = world.uow.members.for_panel(world.panel_id)[0]
        [event] = world.uow.events.for_aggregate(Aggregate.MEMBER, member.id or 0)

    assert event.type == "added"
    assert member.email not in repr(event)
    assert member.name not in repr(event)


def test_meeting_is_stored_with_its_tasks_and_logged(world: World) -> None:
    with world.uow:
        [meeting] = world.uow.meetings.for_panel(world.panel_id)
        [event] = world.uow.events.for_aggregate(Aggregate.MEETING, world.meeting_id)

    assert meeting.leading_service_id == world.service_id
    assert [t.text for t in meeting.tasks] == ["Is the recall letter clear?"]
    assert (event.type, event.actor) == ("scheduled", COORD)


def test_meeting_without_tasks_is_refused_and_nothing_is_stored(world: World) -> None:
    with pytest.raises(InvalidValue) as caught:
        schedule_meeting(
            ScheduleMeeting("Pohjoinen raati", world.clock.now(), service="Suun terveys", tasks=()),
            uow=world.uow,
            clock=world.clock,
        )

    assert caught.value.field == "task"
    assert not world.uow.committed
    with world.uow:
        assert len(world.uow.meetings.for_panel(world.panel_id)) == 1


def test_raising_an_idea_records_it_without_notifying_anyone(world: World) -> None:
    idea_id = raise_one(world, service="suun terveys")

    view = show_idea(idea_id, actor=OPERATOR, uow=world.uow)
    assert (view.state, view.version, view.service, view.service_name) == (
        "raised",
        1,
        world.service_id,
        "Suun terveys",
    )
    assert [e.type for e in view.timeline] == ["raised"]
    assert view.allowed_next == ["declined", "sent_to_service"]
    assert world.outbox() == []


def test_service_owner_may_not_raise_ideas(world: World) -> None:
    with pytest.raises(PermissionDenied):
        raise_idea(RaiseIdea(world.meeting_id, "Idea", actor=OWNERS[0]), uow=world.uow, clock=world.clock)

    assert not world.uow.committed


def test_each_move_notifies_every_active_member_once(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")

    move(world, idea_id, "sent_to_service", actor=COORD)
    move(world, idea_id, "in_progress", actor=OWNERS[0])

    member_rows = [m for m in world.outbox() if m.recipient_kind is RecipientKind.MEMBER]
    assert len(member_rows) == 2 * 2
    assert {m.email for m in member_rows} == {"aino@example.fi", "bertil@example.fi"}
    assert all(m.kind == IDEA_UPDATE and m.status is OutboxStatus.PENDING for m in member_rows)
    assert sorted(m.payload["event_seq"] for m in member_rows) == [2, 2, 3, 3]


def test_inactive_member_gets_no_idea_updates(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")

    move(world, idea_id, "declined", note="Not possible this year.")

    recipients = {m.recipient_id for m in world.outbox()}
    assert world.inactive_member_id not in recipients
    assert len(recipients) == 2


def test_sending_to_a_service_also_notifies_each_of_its_owners(world: World) -> None:
    idea_id = raise_one(world)

    move(world, idea_id, "sent_to_service", service="Suun terveys", actor=COORD)

    rows = world.outbox()
    staff = [m for m in rows if m.recipient_kind is RecipientKind.STAFF]
    assert sorted(m.email for m in staff) == sorted(OWNERS)
    assert all(m.kind == IDEA_SENT_TO_SERVICE for m in staff)
    assert all(m.payload["service_name"] == "Suun terveys" for m in staff)
    # The date the panel expects an answer by: when the chaser would remind them (stale_days, 14, from the move).
    expected = to_helsinki(world.clock.now() + timedelta(days=14)).date().isoformat()
    assert {m.payload["respond_by"] for m in staff} == {expected}
    assert all("respond_by" not in m.payload for m in rows if m.recipient_kind is RecipientKind.MEMBER)
    assert len(rows) == 2 + len(OWNERS)


def test_later_moves_do_not_notify_the_service_owners_again(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service")
    before = len(world.outbox())

    move(world, idea_id, "in_progress")

    new_rows = world.outbox()[before:]
    assert len(new_rows) == 2
    assert all(m.recipient_kind is RecipientKind.MEMBER for m in new_rows)


def test_progress_note_notifies_every_active_member(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service")
    world.clock.advance(days=1)

    view = note_idea(
        NoteIdea(idea_id, "Evening shifts are being planned.", expected_version=2, actor=OWNERS[1]),
        uow=world.uow,
        clock=world.clock,
    )

    notes = [m for m in world.outbox() if m.payload["event_type"] == "noted"]
    assert len(notes) == 2
    assert {m.payload["text"] for m in notes} == {"Evening shifts are being planned."}
    assert view.timeline[-1].actor == OWNERS[1]
    assert view.state == "sent_to_service"


def test_message_ids_are_unique_and_derived_from_event_and_recipient(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service")
    move(world, idea_id, "in_progress")

    rows = world.outbox()
    assert len({m.id for m in rows}) == len(rows)
    for m in rows:
        who = "member" if m.recipient_kind is RecipientKind.MEMBER else "staff"
        assert m.id == message_id("idea", idea_id, m.payload["event_seq"], m.kind, who, m.recipient_id)


def test_message_ids_are_stable_when_the_same_change_is_replayed(clock: FixedClock) -> None:
    def run() -> list[str]:
        fresh = FakeUnitOfWork()
        create_panel(CreatePanel("Raati"), uow=fresh, clock=clock)
        add_service(AddService("Palvelu", "Raati", owners=("o@example.fi",)), uow=fresh, clock=clock)
        add_member(AddMember("Raati", "Aino", "aino@example.fi"), uow=fresh, clock=clock)
        schedule_meeting(
            ScheduleMeeting("Raati", clock.now() + timedelta(days=30), "Palvelu", ("Q?",)), uow=fresh, clock=clock
        )
        view = raise_idea(RaiseIdea(1, "Idea", service="Palvelu"), uow=fresh, clock=clock)
        move_idea(MoveIdea(view.id, "sent_to_service"), uow=fresh, clock=clock)
        with fresh:
            return [m.id for m in fresh.outbox.list()]

    first, second = run(), run()

    assert len(first) == 2
    assert first == second


def test_illegal_transition_commits_nothing(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")

    with pytest.raises(InvalidTransition) as caught:
        move(world, idea_id, "implemented", note="Done.")

    assert not world.uow.committed
    assert "declined, sent_to_service" in str(caught.value)
    assert world.outbox() == []
    view = show_idea(idea_id, actor=OPERATOR, uow=world.uow)
    assert (view.state, view.version, len(view.timeline)) == ("raised", 1, 1)


def test_stale_expected_version_commits_nothing(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service", expected_version=1)

    with pytest.raises(VersionConflict) as caught:
        move(world, idea_id, "in_progress", expected_version=1)

    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert not world.uow.committed
    assert show_idea(idea_id, actor=OPERATOR, uow=world.uow).state == "sent_to_service"


def test_decline_without_a_reason_commits_nothing(world: World) -> None:
    idea_id = raise_one(world)

    with pytest.raises(InvalidValue) as caught:
        move(world, idea_id, "declined", note="  ")

    assert caught.value.field == "note"
    assert not world.uow.committed
    assert world.outbox() == []


def test_unknown_target_state_is_refused_listing_the_states(world: World) -> None:
    idea_id = raise_one(world)

    with pytest.raises(InvalidValue) as caught:
        move(world, idea_id, "done")

    assert caught.value.field == "state"
    assert "in_progress" in caught.value.reason


def test_concurrent_mover_loses_with_a_version_conflict(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")

    with world.uow:
        mine = world.uow.ideas.get(idea_id)
        theirs = world.uow.ideas.get(idea_id)
        theirs.move(IdeaState.DECLINED, actor=OPERATOR, at=world.clock.now(), note="No.")
        world.uow.ideas.save(theirs)
        mine.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=world.clock.now())
        with pytest.raises(VersionConflict) as caught:
            world.uow.ideas.save(mine)

    assert (caught.value.expected, caught.value.current) == (1, 2)


def test_writes_are_discarded_unless_committed(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")

    with world.uow:
        idea = world.uow.ideas.get(idea_id)
        idea.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=world.clock.now())
        world.uow.ideas.save(idea)
        assert world.uow.ideas.get(idea_id).state is IdeaState.SENT_TO_SERVICE

    assert show_idea(idea_id, actor=OPERATOR, uow=world.uow).state == "raised"


def test_event_log_refuses_a_second_event_with_the_same_seq(world: World) -> None:
    with world.uow:
        [event] = world.uow.events.for_aggregate(Aggregate.MEETING, world.meeting_id)
        assert world.uow.events.next_seq(Aggregate.MEETING, world.meeting_id) == 2
        with pytest.raises(FakeIntegrityError):
            world.uow.events.append([event])


def test_unknown_idea_is_not_found(world: World) -> None:
    with pytest.raises(NotFound) as caught:
        move(world, 999, "declined", note="Gone.")

    assert (caught.value.kind, caught.value.ref) == ("idea", 999)


def test_actor_is_resolved_from_their_email_in_any_case(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service", actor="COORD@example.FI")

    move(world, idea_id, "in_progress", actor="owner@EXAMPLE.fi")

    timeline = show_idea(idea_id, actor=OPERATOR, uow=world.uow).timeline
    assert [e.actor for e in timeline] == ["operator", COORD, "owner@example.fi"]


def test_unknown_actor_email_is_not_found(world: World) -> None:
    idea_id = raise_one(world)

    with pytest.raises(NotFound) as caught:
        move(world, idea_id, "declined", note="No.", actor="stranger@example.fi")

    assert (caught.value.kind, caught.value.ref) == ("user", "stranger@example.fi")
    assert not world.uow.committed


def test_owner_of_the_service_cannot_move_another_services_idea(world: World) -> None:
    add_service(
        AddService("Kotihoito", "Pohjoinen raati", owners=("home@example.fi",)),
        uow=world.uow,
        clock=world.clock,
    )
    idea_id = raise_one(world, service="Suun terveys")
    move(world, idea_id, "sent_to_service")

    with pytest.raises(PermissionDenied):
        move(world, idea_id, "in_progress", actor="home@example.fi")

    assert show_idea(idea_id, actor=OPERATOR, uow=world.uow).state == "sent_to_service"


def test_ideas_are_listed_by_panel_service_and_state(world: World) -> None:
    first = raise_one(world, service="Suun terveys")
    raise_one(world)
    move(world, first, "sent_to_service")

    sent = list_ideas(IdeaFilter(state="sent_to_service"), actor=OPERATOR, uow=world.uow)
    of_service = list_ideas(IdeaFilter(panel="Pohjoinen raati", service="Suun terveys"), actor=OPERATOR, uow=world.uow)
    all_ideas = list_ideas(IdeaFilter(panel=str(world.panel_id)), actor=OPERATOR, uow=world.uow)

    assert [v.id for v in sent] == [first]
    assert [v.id for v in of_service] == [first]
    assert len(all_ideas) == 2


def rows(*triples: tuple[str, str, str | None]) -> tuple[MemberRow, ...]:
    return tuple(MemberRow(line, name, address, lang) for line, (name, address, lang) in enumerate(triples, 2))


def members_of(world: World) -> list[str]:
    with world.uow:
        return [m.email for m in world.uow.members.for_panel(world.panel_id)]


def test_member_import_with_a_bad_row_names_its_line_and_imports_nothing(world: World) -> None:
    before = members_of(world)
    bad = rows(("Eero", "eero@example.fi", "fi"), ("Fanny", "fanny(at)example.fi", "sv"), ("Gun", "g@ex.fi", "xx"))

    with pytest.raises(InvalidRows) as caught:
        import_members(ImportMembers("Pohjoinen raati", bad), uow=world.uow, clock=world.clock)

    errors = caught.value.errors
    assert [(e.line, e.field) for e in errors] == [(3, "email"), (4, "language")]
    assert "line 3: email" in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert not world.uow.committed
    assert members_of(world) == before


def test_member_import_skipping_invalid_rows_imports_the_good_ones(world: World) -> None:
    mixed = rows(("Eero", "eero@example.fi", "fi"), ("Fanny", "fanny(at)example.fi", "sv"), ("Gun", "g@ex.fi", ""))

    result = import_members(
        ImportMembers("Pohjoinen raati", mixed, skip_invalid=True), uow=world.uow, clock=world.clock
    )

    assert [m.email for m in result.imported] == ["eero@example.fi", "g@ex.fi"]
    assert [(s.line, s.field) for s in result.skipped] == [(3, "email")]
    assert world.uow.committed
    assert members_of(world)[-2:] == ["eero@example.fi", "g@ex.fi"]
    with world.uow:
        logged = [world.uow.events.for_aggregate(Aggregate.MEMBER, m.id or 0) for m in result.imported]
    assert all(len(events) == 1 for events in logged)


def test_member_import_refuses_duplicate_emails_in_the_file(world: World) -> None:
    dupes = rows(("Eero", "eero@example.fi", None), ("Eero again", "EERO@example.fi", None))

    with pytest.raises(InvalidRows) as caught:
        import_members(ImportMembers("Pohjoinen raati", dupes), uow=world.uow, clock=world.clock)

    [error] = caught.value.errors
    assert (error.line, error.field) == (3, "email")
    assert "already exists" in error.reason
    assert "eero@example.fi" not in members_of(world)


def test_member_import_refuses_emails_already_in_the_panel(world: World) -> None:
    existing = rows(("Aino", "aino@example.fi", None))

    with pytest.raises(InvalidRows) as caught:
        import_members(ImportMembers("Pohjoinen raati", existing), uow=world.uow, clock=world.clock)

    assert [e.line for e in caught.value.errors] == [2]


def test_member_import_of_an_empty_file_is_refused(world: World) -> None:
    with pytest.raises(InvalidValue) as caught:
        import_members(ImportMembers("Pohjoinen raati", ()), uow=world.uow, clock=world.clock)

    assert caught.value.field == "file"


def test_adding_a_coordinator_to_a_second_panel_grants_it_and_logs_the_grant(world: World) -> None:
    create_panel(CreatePanel("Toinen raati"), uow=world.uow, clock=world.clock)

    user = add_user(AddUser(COORD, Role.COORDINATOR, panel="Toinen raati"), uow=world.uow, clock=world.clock)

    assert user.panel_ids == {world.panel_id, world.panel_id + 1}
    with world.uow:
        events = world.uow.events.for_aggregate(Aggregate.USER, user.id or 0)
        stored = world.uow.users.by_email(COORD)
    assert [(e.seq, e.type) for e in events] == [(1, "added"), (2, "granted")]
    assert stored is not None
    assert stored.panel_ids == user.panel_ids


def test_a_user_has_one_role(world: World) -> None:
    with pytest.raises(InvalidValue) as caught:
        add_user(AddUser(OWNERS[0], Role.COORDINATOR, panel="Pohjoinen raati"), uow=world.uow, clock=world.clock)

    assert caught.value.field == "email"


def test_notification_policy_skips_inactive_members_even_when_given_them(world: World) -> None:
    idea_id = raise_one(world, service="Suun terveys")
    with world.uow:
        idea = world.uow.ideas.get(idea_id)
        event = idea.move(IdeaState.SENT_TO_SERVICE, actor=OPERATOR, at=world.clock.now())
        members = world.uow.members.for_panel(world.panel_id)
        panel = world.uow.panels.by_id(world.panel_id)

    messages = policy.for_idea_event(
        idea, event, panel=panel, service=None, members=members, owners=[], now=world.clock.now()
    )

    assert len(members) == 3
    assert sorted(m.recipient_id for m in messages) == sorted(m.id for m in members if m.active and m.id is not None)
    assert world.inactive_member_id not in {m.recipient_id for m in messages}
