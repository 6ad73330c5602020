"""Through the use cases, on every store: each change of an idea queues exactly one row for each member who receives
mail (active, not unsubscribed, immediate or digest alike) and, when it is sent to a service, one for each owner."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any

from application.commands import AddMember, AddService, CreatePanel, MoveIdea, NoteIdea, RaiseIdea, ScheduleMeeting
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings.changes import schedule_meeting
from application.people.roster import add_member, add_service, create_panel
from application.ports.unit_of_work import UnitOfWork
from domain.panels import Delivery
from notifications.outbox import RecipientKind
from tests.conftest import FixedClock

PANEL, SERVICE = "Pohjoinen raati", "Suun terveys"
OWNERS = ("owner@example.fi", "deputy@example.fi")
# name, address, language, and what is changed after joining.
# Those who hear come first, between and last: dropping the first or the last member shows.
MEMBERS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("Aino", "aino@example.fi", "fi", {}),
    ("Eero", "eero@example.fi", "fi", {"active": False}),
    ("Bertil", "bertil@example.fi", "sv", {}),
    ("Fanni", "fanni@example.fi", "sv", {"unsubscribed": True}),
    ("Chen", "chen@example.fi", "en", {}),
    ("Dora", "dora@example.fi", "fi", {"delivery": Delivery.DIGEST}),
]
HEARS = {"aino@example.fi": "fi", "bertil@example.fi": "sv", "chen@example.fi": "en", "dora@example.fi": "fi"}


def _panel_with_members(uow: UnitOfWork, clock: FixedClock) -> int:
    create_panel(CreatePanel(PANEL), uow=uow, clock=clock)
    create_panel(CreatePanel("Toinen raati"), uow=uow, clock=clock)
    add_service(AddService(SERVICE, panel=PANEL, owners=OWNERS), uow=uow, clock=clock)
    add_member(AddMember("Toinen raati", "Gun", "gun@example.fi"), uow=uow, clock=clock)
    for name, address, language, change in MEMBERS:
        member = add_member(AddMember(PANEL, name, address, language), uow=uow, clock=clock)
        if change:
            with uow:
                uow.members.save(replace(member, **change))
                uow.commit()
    meeting = schedule_meeting(
        ScheduleMeeting(PANEL, starts_at=clock.now() + timedelta(days=21), service=SERVICE, tasks=("Letters?",)),
        uow=uow,
        clock=clock,
    )
    assert meeting.id is not None
    return meeting.id


def test_every_change_queues_one_row_per_member_who_receives_mail_and_the_owners_hear_once(uow: UnitOfWork) -> None:
    clock = FixedClock()
    meeting_id = _panel_with_members(uow, clock)
    idea_id = raise_idea(RaiseIdea(meeting_id, "Evening appointments", service=SERVICE), uow=uow, clock=clock).id

    queued = [move_idea(MoveIdea(idea_id, "sent_to_service"), uow=uow, clock=clock).queued_notifications]
    queued.append(note_idea(NoteIdea(idea_id, "Asked the staff."), uow=uow, clock=clock).queued_notifications)
    queued.append(move_idea(MoveIdea(idea_id, "in_progress"), uow=uow, clock=clock).queued_notifications)
    queued.append(
        move_idea(MoveIdea(idea_id, "declined", note="No budget."), uow=uow, clock=clock).queued_notifications
    )

    with uow:
        rows = uow.outbox.list()
    members = [m for m in rows if m.recipient_kind is RecipientKind.MEMBER]
    staff = [m for m in rows if m.recipient_kind is RecipientKind.STAFF]
    per_change = Counter((m.payload["event_seq"], m.email, m.language) for m in members)
    assert per_change == Counter((seq, email, lang) for seq in (2, 3, 4, 5) for email, lang in HEARS.items())
    assert sorted((m.payload["event_seq"], m.email) for m in staff) == [(2, email) for email in sorted(OWNERS)]
    assert queued == [len(HEARS) + len(OWNERS), len(HEARS), len(HEARS), len(HEARS)]
    assert len({m.id for m in rows}) == len(rows)
