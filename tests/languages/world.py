"""A panel in three languages built through the use cases: its name, contact, meeting, idea and notes translated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from application.commands import (
    AddMember,
    AddService,
    AddUser,
    CreatePanel,
    DraftSummary,
    MoveIdea,
    RaiseIdea,
    ScheduleMeeting,
    UpdateMeeting,
)
from application.ideas.changes import move_idea, raise_idea
from application.meetings.changes import draft_summary, schedule_meeting, update_meeting
from application.people.roster import add_member, add_service, add_user, create_panel
from application.ports.unit_of_work import UnitOfWork
from domain.values import Role
from tests.conftest import FixedClock

PANEL = "Itä-Helsingin asiakasraati"
PANEL_SV = "Östra Helsingfors kundråd"
PANEL_EN = "East Helsinki customer panel"
CONTACT = {"name": "Kaisa Koordinaattori", "email": "kaisa.koordinaattori@hel.example", "phone": "+358 9 310 12345"}
COORDINATOR = "kaisa.koordinaattori@hel.example"
SERVICE = "Terveysasemat"


@dataclass(frozen=True)
class World:
    panel_id: int
    meeting_id: int
    idea_id: int


def build(uow_factory: Callable[[], UnitOfWork], clock: FixedClock) -> World:
    panel = create_panel(
        CreatePanel(
            PANEL,
            translations={"sv": {"name": PANEL_SV}, "en": {"name": PANEL_EN}},
            contact_name=CONTACT["name"],
            contact_email=CONTACT["email"],
            contact_phone=CONTACT["phone"],
        ),
        uow=uow_factory(),
        clock=clock,
    )
    add_user(AddUser(COORDINATOR, Role.COORDINATOR, panel=PANEL, greeting_name="Kaisa"), uow=uow_factory(), clock=clock)
    add_service(AddService(SERVICE, panel=PANEL, owners=("omistaja@hel.example",)), uow=uow_factory(), clock=clock)
    for name, address, language, greeting in (
        ("Aino Asukas", "aino@example.org", "fi", None),
        ("Bengt Bybo", "bengt@example.org", "sv", "Bengan"),
        ("Chris Client", "chris@example.org", "en", None),
    ):
        add_member(
            AddMember(PANEL, name, address, language=language, greeting_name=greeting),
            uow=uow_factory(),
            clock=clock,
        )
    meeting = schedule_meeting(
        ScheduleMeeting(
            PANEL,
            starts_at=clock.now() + timedelta(days=21),
            service=SERVICE,
            tasks=("Onko kutsukirje selkeä?", "Mitä ajanvarauksesta pitäisi kertoa?"),
            place="Itäkeskuksen kirjasto",
            title="Ajanvaraus",
            agenda=("Tervetuloa", "Kutsukirje"),
            translations={
                "sv": {
                    "title": "Tidsbokning",
                    "place": "Östra centrums bibliotek",
                    "task": ["Är kallelsebrevet tydligt?", "Vad borde man berätta om tidsbokningen?"],
                    "agenda": ["Välkommen", "Kallelsebrevet"],
                },
                "en": {"title": "Booking appointments", "task": ["Is the invitation letter clear?"]},
            },
        ),
        uow=uow_factory(),
        clock=clock,
    )
    update_meeting(
        UpdateMeeting(
            meeting.stored_id,
            materials=(("Kutsukirje", "https://hel.example/kirje.pdf"),),
            translations={"sv": {"material": ["Kallelsebrevet"]}, "en": {"material": ["The letter"]}},
        ),
        uow=uow_factory(),
        clock=clock,
    )
    idea = raise_idea(
        RaiseIdea(
            meeting.stored_id,
            "Iltavastaanotot",
            "Työssäkäyvät eivät pääse päivällä.",
            translations={
                "sv": {"title": "Kvällsmottagningar", "text": "De som arbetar kan inte komma på dagen."},
                "en": {"title": "Evening appointments"},
            },
        ),
        uow=uow_factory(),
        clock=clock,
    )
    return World(panel.stored_id, meeting.stored_id, idea.id)


def decline(uow_factory: Callable[[], UnitOfWork], clock: FixedClock, world: World) -> None:
    clock.advance(minutes=5)
    move_idea(
        MoveIdea(
            world.idea_id,
            "declined",
            note="Iltavastaanottoja ei voida järjestää tänä vuonna.",
            translations={
                "sv": {"note": "Kvällsmottagningar kan inte ordnas i år."},
                "en": {"note": "Evening appointments cannot be arranged this year."},
            },
        ),
        uow=uow_factory(),
        clock=clock,
    )


def summarise(uow_factory: Callable[[], UnitOfWork], clock: FixedClock, world: World) -> None:
    draft_summary(
        DraftSummary(
            world.meeting_id,
            "Raati kävi kutsukirjeen läpi.",
            next_steps=("Terveysasemat korjaa kirjeen.",),
            translations={
                "sv": {"text": "Rådet gick igenom kallelsebrevet.", "next_steps": ["Hälsostationerna rättar brevet."]},
                "en": {"text": "The panel went through the letter."},
            },
        ),
        uow=uow_factory(),
        clock=clock,
    )


def payloads(uow_factory: Callable[[], UnitOfWork], kind: str) -> dict[str, dict[str, Any]]:
    """The payloads of this kind by recipient email."""
    with uow_factory() as uow:
        return {m.email: m.payload for m in uow.outbox.list() if m.kind == kind}
