"""Meetings: every field comes back as it was saved, in the order they start; finished ones drop out of the loop."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound
from domain.meetings import DevelopmentTask, Material, Meeting, MeetingStatus, TaskCategory, TaskKind
from tests.contract.conftest import AT, add_meeting, add_panel, add_service


def test_a_meeting_comes_back_with_every_field_and_its_tasks_in_order(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    service_id = add_service(uow, panel_id)
    meeting = Meeting(
        id=None,
        panel_id=panel_id,
        starts_at=AT + timedelta(days=21),
        leading_service_id=service_id,
        tasks=[
            DevelopmentTask("Is the recall letter clear?"),
            DevelopmentTask("The new leaflet", TaskKind.MATERIAL, TaskCategory.COMMUNICATIONS),
        ],
        place="Kirjaston kokoushuone",
        title="Kevään kokous",
        ends_at=AT + timedelta(days=21, hours=2),
        online_url="https://meet.example.fi/raati",
        agenda=["Tervetuloa", "Ideat"],
        materials=[Material("Esite", "https://example.fi/esite.pdf")],
    )
    with uow:
        meeting_id = uow.meetings.add(meeting).id
        uow.commit()
    assert meeting_id is not None

    with uow:
        assert uow.meetings.get(meeting_id) == replace(meeting, id=meeting_id)
        with pytest.raises(NotFound):
            uow.meetings.get(meeting_id + 1)


def test_saving_a_meeting_keeps_its_changes(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    meeting_id = add_meeting(uow, panel_id, add_service(uow, panel_id))

    with uow:
        meeting = uow.meetings.get(meeting_id)
        meeting.status = MeetingStatus.HELD
        meeting.late, meeting.late_reason = True, "The room was not booked in time."
        meeting.prebrief_sent_at = AT + timedelta(days=14)
        meeting.summary, meeting.next_steps = "We talked about letters.", ["Rewrite the letter"]
        meeting.summary_approved_at, meeting.summary_approved_by = AT + timedelta(days=22), "coord@example.fi"
        meeting.summary_sent_at = AT + timedelta(days=23)
        uow.meetings.save(meeting)
        uow.commit()

    with uow:
        assert uow.meetings.get(meeting_id) == meeting
        with pytest.raises(NotFound):
            uow.meetings.save(replace(meeting, id=meeting_id + 1))


def test_meetings_come_in_the_order_they_start_and_closed_loops_leave_the_unfinished(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    other_panel = add_panel(uow, "Toinen raati")
    service_id = add_service(uow, panel_id)
    later = add_meeting(uow, panel_id, service_id, days=40)
    sooner = add_meeting(uow, panel_id, service_id, days=10)
    summarised = add_meeting(uow, panel_id, service_id, days=5)
    cancelled = add_meeting(uow, panel_id, service_id, days=20)
    elsewhere = add_meeting(uow, other_panel, add_service(uow, other_panel), days=1)
    with uow:
        for meeting_id, status in ((summarised, MeetingStatus.SUMMARY_SENT), (cancelled, MeetingStatus.CANCELLED)):
            meeting = uow.meetings.get(meeting_id)
            meeting.status = status
            uow.meetings.save(meeting)
        uow.commit()

    with uow:
        assert [m.id for m in uow.meetings.for_panel(panel_id)] == [summarised, sooner, cancelled, later]
        assert [m.id for m in uow.meetings.unfinished()] == [elsewhere, sooner, later]
