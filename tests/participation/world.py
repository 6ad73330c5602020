"""A small panel for the participation tests: members in fi, sv and en, a coordinator, a coming meeting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from application.commands import AddMember, AddService, AddUser, CreatePanel, ScheduleMeeting
from application.meetings.changes import schedule_meeting
from application.people.roster import add_member, add_service, add_user, create_panel
from domain.values import Role

COORDINATOR = "liisa@example.fi"


@dataclass(frozen=True)
class World:
    panel_id: int
    other_panel_id: int
    maija: int  # fi
    sven: int  # sv
    emma: int  # en
    stranger: int  # a member of the other panel
    meeting_id: int
    other_meeting_id: int


def build(uow: Callable[[], Any], clock: Any) -> World:
    def run(use_case: Callable[..., Any], cmd: object) -> Any:
        return use_case(cmd, uow=uow(), clock=clock)

    panel = run(create_panel, CreatePanel(name="Itä-Helsinki"))
    other = run(create_panel, CreatePanel(name="Länsi-Helsinki"))
    run(add_service, AddService(name="Terveysasemat", panel="Itä-Helsinki"))
    run(add_service, AddService(name="Suun terveys", panel="Länsi-Helsinki"))
    run(add_user, AddUser(email=COORDINATOR, role=Role.COORDINATOR, panel="Itä-Helsinki"))
    maija = run(add_member, AddMember(panel="Itä-Helsinki", name="Maija Meikäläinen", email="maija@example.fi"))
    sven = run(
        add_member, AddMember(panel="Itä-Helsinki", name="Sven Svensson", email="sven@example.fi", language="sv")
    )
    emma = run(add_member, AddMember(panel="Itä-Helsinki", name="Emma English", email="emma@example.fi", language="en"))
    stranger = run(add_member, AddMember(panel="Länsi-Helsinki", name="Ville Vieras", email="ville@example.fi"))
    starts = clock.now() + timedelta(days=20)
    meeting = run(
        schedule_meeting,
        ScheduleMeeting(
            panel="Itä-Helsinki",
            starts_at=starts,
            service="Terveysasemat",
            tasks=("Omaolon ohjeet asiakkaan silmin",),
            place="Itäkeskuksen terveys- ja hyvinvointikeskus",
        ),
    )
    other_meeting = run(
        schedule_meeting,
        ScheduleMeeting(panel="Länsi-Helsinki", starts_at=starts, service="Suun terveys", tasks=("Ajanvaraus",)),
    )
    return World(
        panel_id=panel.id,
        other_panel_id=other.id,
        maija=maija.id,
        sven=sven.id,
        emma=emma.id,
        stranger=stranger.id,
        meeting_id=meeting.id,
        other_meeting_id=other_meeting.id,
    )
