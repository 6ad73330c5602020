"""Two panels with their staff, members, meetings and ideas, built through the real use cases, and the
web app over them (FastAPI's TestClient: real HTTP semantics over ASGI) with every staff user's token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from application.access.tokens import add_user_with_token
from application.commands import AddMember, AddService, AddUser, CreatePanel, MoveIdea, RaiseIdea, ScheduleMeeting
from application.ideas.changes import move_idea, raise_idea
from application.meetings.changes import schedule_meeting
from application.people.roster import add_member, add_service, create_panel
from domain.values import Role
from notifications.links import LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from web.app import create_app

# Who calls: one key per row of the role matrix.
COORD = "coordinator"  # coordinator of panel A
COORD_OTHER = "coordinator_other"  # coordinator of panel B only
OWNER = "owner"  # owner of service A1 (the service the ideas are sent to)
OWNER_OTHER = "owner_other"  # owner of service A2, same panel
MANAGER = "manager"
CALLERS = (COORD, COORD_OTHER, OWNER, OWNER_OTHER, MANAGER)


@dataclass(frozen=True)
class World:
    panel_a: int
    panel_b: int
    service_a1: int
    meeting_a: int
    meeting_b: int
    idea_sent: int  # in panel A, sent to service A1: owners of A1 may move it
    idea_raised: int  # in panel A, raised
    idea_b: int  # in panel B
    tokens: dict[str, str]
    emails: dict[str, str]  # each caller's address, to sign in to the pages with

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def build_world(uow_factory: Callable[[], SqlAlchemyUnitOfWork], clock) -> World:
    def run(use_case, cmd):
        return use_case(cmd, uow=uow_factory(), clock=clock)

    panel_a = run(create_panel, CreatePanel(name="Itäinen raati"))
    panel_b = run(create_panel, CreatePanel(name="Läntinen raati"))
    a1, _ = run(add_service, AddService(name="Suun terveydenhuolto", panel="Itäinen raati"))
    run(add_service, AddService(name="Perhekeskus", panel="Itäinen raati"))
    run(add_service, AddService(name="Kotihoito", panel="Läntinen raati"))
    for name, email, panel in (
        ("Aino Asukas", "aino@example.org", "Itäinen raati"),
        ("Bengt Bybo", "bengt@example.org", "Itäinen raati"),
        ("Chris Client", "chris@example.org", "Läntinen raati"),
    ):
        run(add_member, AddMember(panel=panel, name=name, email=email))
    staff = {
        COORD: AddUser(email="koordinaattori@ita.example", role=Role.COORDINATOR, panel="Itäinen raati"),
        COORD_OTHER: AddUser(email="koordinaattori@lansi.example", role=Role.COORDINATOR, panel="Läntinen raati"),
        OWNER: AddUser(email="suu@ita.example", role=Role.SERVICE_OWNER, service="Suun terveydenhuolto"),
        OWNER_OTHER: AddUser(email="perhe@ita.example", role=Role.SERVICE_OWNER, service="Perhekeskus"),
        MANAGER: AddUser(email="johto@example.org", role=Role.MANAGER),
    }
    tokens = {who: run(add_user_with_token, cmd).token for who, cmd in staff.items()}
    starts = clock.now() + timedelta(days=30)
    meetings = [
        run(schedule_meeting, ScheduleMeeting(panel=p, starts_at=starts, service=s, tasks=("Miten ajanvaraus?",)))
        for p, s in (("Itäinen raati", "Suun terveydenhuolto"), ("Läntinen raati", "Kotihoito"))
    ]
    sent = run(raise_idea, RaiseIdea(meeting_id=meetings[0].id, title="Ajanvaraus verkossa"))
    run(move_idea, MoveIdea(idea_id=sent.id, to="sent_to_service", service="Suun terveydenhuolto"))
    raised = run(raise_idea, RaiseIdea(meeting_id=meetings[0].id, title="Pysäköinti"))
    in_b = run(raise_idea, RaiseIdea(meeting_id=meetings[1].id, title="Kotihoidon aikataulut"))
    return World(
        panel_a=panel_a.id,
        panel_b=panel_b.id,
        service_a1=a1.id,
        meeting_a=meetings[0].id,
        meeting_b=meetings[1].id,
        idea_sent=sent.id,
        idea_raised=raised.id,
        idea_b=in_b.id,
        tokens=tokens,
        emails={who: cmd.email for who, cmd in staff.items()},
    )


@pytest.fixture
def world(uow_factory, clock) -> World:
    return build_world(uow_factory, clock)


@pytest.fixture
def link_signer() -> LinkSigner:
    """The app's link key: members' links and the staff's sign-in links (tests/sign_in.py derives them with it)."""
    return LinkSigner(b"k" * 32)


@pytest.fixture
def app(uow_factory, clock, link_signer: LinkSigner):
    return create_app(uow_factory=uow_factory, clock=clock, signer=lambda: link_signer)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
