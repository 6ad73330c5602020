"""A small panel built through the real use cases on a real database."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from application.commands import AddMember, AddService, CreatePanel, RaiseIdea, ScheduleMeeting
from application.ideas.changes import raise_idea
from application.meetings.changes import schedule_meeting
from application.people.roster import add_member, add_service, create_panel
from domain.panels import Delivery, Member
from domain.values import Language
from persistence.unit_of_work import SqlAlchemyUnitOfWork

PANEL = "Kaaren hyvinvointikeskuksen asiakasraati"
SERVICE = "Suun terveydenhuolto"
OWNER = "omistaja@kaari.example"
MEMBERS = (
    ("Aino Asukas", "aino@example.org", "fi"),
    ("Bengt Bybo", "bengt@example.org", "sv"),
    ("Chris Client", "chris@example.org", "en"),
)
INACTIVE_MEMBER = ("Dora Departed", "dora@example.org")


@dataclass(frozen=True)
class World:
    panel_id: int
    service_id: int
    owner_id: int
    owner_email: str
    members: dict[str, tuple[int, str]]  # email -> (member id, language)
    inactive_member_id: int
    meeting_id: int

    def raise_idea(self, uow_factory: Callable[[], SqlAlchemyUnitOfWork], clock, title: str) -> int:
        view = raise_idea(
            RaiseIdea(meeting_id=self.meeting_id, title=title, text="Ajanvaraus puhelimella on hidas."),
            uow=uow_factory(),
            clock=clock,
        )
        return view.id


@pytest.fixture
def world(uow_factory: Callable[[], SqlAlchemyUnitOfWork], clock) -> World:
    """A panel with a service (one owner), three active members, one inactive, one meeting."""
    panel = create_panel(CreatePanel(name=PANEL), uow=uow_factory(), clock=clock)
    service, owners = add_service(
        AddService(name=SERVICE, panel=PANEL, owners=(OWNER,)), uow=uow_factory(), clock=clock
    )
    members = {}
    for name, address, language in MEMBERS:
        member = add_member(
            AddMember(panel=PANEL, name=name, email=address, language=language),
            uow=uow_factory(),
            clock=clock,
        )
        members[member.email] = (member.id, member.language.value)
    # No use case retires a member yet: store a retired one directly.
    with uow_factory() as uow:
        inactive = uow.members.add(
            Member(
                id=None,
                panel_id=panel.id,
                name=INACTIVE_MEMBER[0],
                email=INACTIVE_MEMBER[1],
                language=Language.FI,
                delivery=Delivery.IMMEDIATE,
                active=False,
            )
        )
        uow.commit()
    meeting = schedule_meeting(
        ScheduleMeeting(
            panel=PANEL,
            starts_at=clock.now() + timedelta(days=30),
            service=SERVICE,
            tasks=("Miten ajanvarausta voisi helpottaa?",),
            place="Kaaren kirjasto",
        ),
        uow=uow_factory(),
        clock=clock,
    )
    assert panel.id is not None
    assert service.id is not None
    assert meeting.id is not None
    assert inactive.id is not None
    assert owners[0].id is not None
    return World(
        panel_id=panel.id,
        service_id=service.id,
        owner_id=owners[0].id,
        owner_email=owners[0].email,
        members=members,
        inactive_member_id=inactive.id,
        meeting_id=meeting.id,
    )
