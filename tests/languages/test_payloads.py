"""Notification payloads carry the translations (under the payload's own field names), the panel's contact for
members, and the reader's greeting name (notifications.kinds is the contract)."""

from __future__ import annotations

import pytest

from application.commands import ApproveSummary, CreatePanel, MoveIdea
from application.ideas.changes import move_idea
from application.meetings.changes import approve_summary
from application.meetings.follow_up import summary_payload
from application.meetings.prebriefs import prebrief_payload, send_due_prebriefs
from application.people.roster import create_panel
from notifications import kinds
from notifications.policy import panel_fields
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.languages import world as w

EXPECTED_CONTACT = {"name": w.CONTACT["name"], "email": w.CONTACT["email"], "phone": w.CONTACT["phone"]}


@pytest.fixture
def fake():
    uow, clock = FakeUnitOfWork(), FixedClock()
    return (lambda: uow), clock


def test_an_idea_update_carries_translations_contact_and_greeting_name(fake) -> None:
    uow_factory, clock = fake
    world = w.build(uow_factory, clock)
    w.decline(uow_factory, clock, world)

    by_reader = w.payloads(uow_factory, kinds.IDEA_UPDATE)

    bengt = by_reader["bengt@example.org"]
    assert bengt["translations"] == {
        "sv": {
            "panel_name": w.PANEL_SV,
            "idea_title": "Kvällsmottagningar",
            "idea_text": "De som arbetar kan inte komma på dagen.",
            "text": "Kvällsmottagningar kan inte ordnas i år.",
        },
        "en": {
            "panel_name": w.PANEL_EN,
            "idea_title": "Evening appointments",
            "text": "Evening appointments cannot be arranged this year.",
        },
    }
    assert bengt["panel_contact"] == EXPECTED_CONTACT
    assert (bengt["recipient_name"], bengt["greeting_name"]) == ("Bengt Bybo", "Bengan")
    assert by_reader["aino@example.org"]["greeting_name"] == "Aino"
    assert set(bengt) <= set(kinds.IdeaUpdatePayload.__required_keys__ | kinds.IdeaUpdatePayload.__optional_keys__)


def test_staff_mail_has_no_member_contact_and_greets_by_the_saved_name(fake) -> None:
    uow_factory, clock = fake
    world = w.build(uow_factory, clock)
    clock.advance(minutes=5)
    move_idea(MoveIdea(world.idea_id, "sent_to_service", service=w.SERVICE), uow=uow_factory(), clock=clock)

    owner = w.payloads(uow_factory, kinds.IDEA_SENT_TO_SERVICE)["omistaja@hel.example"]
    assert "panel_contact" not in owner
    assert "greeting_name" not in owner  # the owner has no greeting name: only members' are derived
    assert owner["translations"]["sv"]["idea_title"] == "Kvällsmottagningar"


def test_a_prebrief_carries_the_meeting_tasks_and_materials_in_each_language(fake) -> None:
    uow_factory, clock = fake
    world = w.build(uow_factory, clock)
    with uow_factory() as uow:
        meeting = uow.meetings.get(world.meeting_id)
        panel = uow.panels.by_id(world.panel_id)
        payload = prebrief_payload(meeting, panel, uow=uow, coordinators=[])

    assert payload["translations"] == {
        "sv": {
            "panel_name": w.PANEL_SV,
            "meeting_title": "Tidsbokning",
            "place": "Östra centrums bibliotek",
            "agenda": ["Välkommen", "Kallelsebrevet"],
        },
        "en": {"panel_name": w.PANEL_EN, "meeting_title": "Booking appointments"},
    }
    assert [t.get("translations") for t in payload["tasks"]] == [
        {"sv": {"title": "Är kallelsebrevet tydligt?"}, "en": {"title": "Is the invitation letter clear?"}},
        {"sv": {"title": "Vad borde man berätta om tidsbokningen?"}},
    ]
    assert payload["materials"][0]["translations"] == {"sv": {"title": "Kallelsebrevet"}, "en": {"title": "The letter"}}
    assert payload["panel_contact"] == EXPECTED_CONTACT


def test_the_queued_prebrief_greets_each_member(fake) -> None:
    uow_factory, clock = fake
    w.build(uow_factory, clock)
    clock.advance(days=15)
    send_due_prebriefs(uow_factory=uow_factory, clock=clock)

    by_reader = w.payloads(uow_factory, kinds.PREBRIEF)

    assert {email: p["greeting_name"] for email, p in by_reader.items()} == {
        "aino@example.org": "Aino",
        "bengt@example.org": "Bengan",
        "chris@example.org": "Chris",
    }


def test_a_summary_carries_the_discussion_next_steps_and_idea_titles_translated(fake) -> None:
    uow_factory, clock = fake
    world = w.build(uow_factory, clock)
    clock.advance(days=22)
    w.summarise(uow_factory, clock, world)
    approve_summary(ApproveSummary(world.meeting_id), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        meeting = uow.meetings.get(world.meeting_id)
        payload = summary_payload(meeting, uow.panels.by_id(world.panel_id), uow=uow)

    assert payload["translations"]["sv"] == {
        "panel_name": w.PANEL_SV,
        "meeting_title": "Tidsbokning",
        "discussion": "Rådet gick igenom kallelsebrevet.",
        "next_steps": ["Hälsostationerna rättar brevet."],
    }
    assert payload["translations"]["en"]["discussion"] == "The panel went through the letter."
    assert "next_steps" not in payload["translations"]["en"]
    assert payload["ideas"][0]["translations"] == {
        "sv": {"title": "Kvällsmottagningar"},
        "en": {"title": "Evening appointments"},
    }
    assert payload["panel_contact"] == EXPECTED_CONTACT


def test_a_panel_without_translations_or_contact_adds_neither(fake) -> None:
    uow_factory, clock = fake
    panel = create_panel(CreatePanel("Pelkkä raati"), uow=uow_factory(), clock=clock)

    assert panel_fields(panel) == {"panel_id": panel.id, "panel_name": "Pelkkä raati"}
