"""The privacy guard on text that leaves Raati, through the real use cases on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging

import pytest

from application.commands import ApproveSummary, DraftSummary, MoveIdea, NoteIdea, RaiseIdea
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings.changes import approve_summary, draft_summary
from domain.errors import HealthDetailsNeedAcknowledgement, PermissionDenied, PrivacyBlocked
from domain.events import Aggregate
from domain.privacy_detectors import Kind

PHONE = "040 123 4567"


def _state(uow_factory, idea_id: int) -> tuple[str, int, int, int]:
    """What a refused change must leave as it was: state, version, events, outbox rows."""
    with uow_factory() as uow:
        idea = uow.ideas.get(idea_id)
        return (
            idea.state.value,
            idea.version,
            len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)),
            len(uow.outbox.list()),
        )


def _events(uow_factory, aggregate: Aggregate, ref: int):
    with uow_factory() as uow:
        return uow.events.for_aggregate(aggregate, ref)


def test_a_phone_number_in_a_move_note_blocks_the_move_and_nothing_is_written(world, uow_factory, clock, caplog):
    idea = world.raise_idea(uow_factory, clock, "Soittopyyntö verkosta")
    before = _state(uow_factory, idea)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PrivacyBlocked) as refused:
        move_idea(
            MoveIdea(idea_id=idea, to="declined", note=f"Soita minulle, numero {PHONE}."),
            uow=uow_factory(),
            clock=clock,
        )
    assert refused.value.field == "note"
    assert [f.kind for f in refused.value.findings] == [Kind.PHONE]
    assert "phone at 22-34" in str(refused.value)
    assert PHONE not in str(refused.value)
    assert PHONE not in caplog.text
    assert _state(uow_factory, idea) == before


def test_an_identity_code_or_email_in_an_idea_text_blocks_raising_it(world, uow_factory, clock):
    for text, kind in (("Asiakkaan tunnus 131052-308T jäi lomakkeelle.", Kind.IDENTITY_CODE),
                       ("Vastaukset osoitteeseen aino@example.org.", Kind.EMAIL)):  # fmt: skip
        with pytest.raises(PrivacyBlocked) as refused:
            raise_idea(RaiseIdea(meeting_id=world.meeting_id, title="Idea", text=text), uow=uow_factory(), clock=clock)
        assert refused.value.field == "text"
        assert [f.kind for f in refused.value.findings] == [kind]
    with pytest.raises(PrivacyBlocked, match="title: "):
        raise_idea(RaiseIdea(meeting_id=world.meeting_id, title=f"Soita {PHONE}"), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        assert uow.ideas.list(panel_id=world.panel_id) == []


def test_health_details_in_a_note_need_a_coordinators_acknowledgement(world, uow_factory, clock):
    idea = world.raise_idea(uow_factory, clock, "Kuljetukset hoitoon")
    note = "Jäsen kertoi, että dialyysissä käynti vaatii kuljetuksen kolmesti viikossa."
    before = _state(uow_factory, idea)
    with pytest.raises(HealthDetailsNeedAcknowledgement) as refused:
        note_idea(NoteIdea(idea_id=idea, text=note), uow=uow_factory(), clock=clock)
    assert refused.value.field == "note"
    assert "dialyysi" not in str(refused.value)
    assert _state(uow_factory, idea) == before

    view = note_idea(NoteIdea(idea_id=idea, text=note, acknowledge_health=True), uow=uow_factory(), clock=clock)
    assert view.version == before[1] + 2
    noted, acknowledged = _events(uow_factory, Aggregate.IDEA, idea)[-2:]
    assert (noted.type, noted.text) == ("noted", note)
    assert acknowledged.type == "privacy_acknowledged"
    assert acknowledged.actor == "operator"
    assert acknowledged.text is None
    assert acknowledged.data["kinds"] == ["health"]
    assert acknowledged.data["fields"] == {
        "note": [{"kind": "health", "start": note.index("dialyysissä"), "end": note.index("dialyysissä") + 11}]
    }
    assert "dialyysi" not in json.dumps(dict(acknowledged.data))
    assert _state(uow_factory, idea)[3] == before[3] + len(world.members)  # the note went to every member


def test_a_service_owner_cannot_acknowledge_health_details(world, uow_factory, clock):
    idea = world.raise_idea(uow_factory, clock, "Ohjeet kuviksi")
    move_idea(MoveIdea(idea_id=idea, to="sent_to_service", service=str(world.service_id)), uow=uow_factory(),
              clock=clock)  # fmt: skip
    before = _state(uow_factory, idea)
    for acknowledge in (False, True):
        error = PermissionDenied if acknowledge else HealthDetailsNeedAcknowledgement
        with pytest.raises(error):
            move_idea(
                MoveIdea(idea_id=idea, to="in_progress", note="Insuliinin ohjeet päivitetään.",
                         actor=world.owner_email, acknowledge_health=acknowledge),
                uow=uow_factory(),
                clock=clock,
            )  # fmt: skip
    assert _state(uow_factory, idea) == before
    moved = move_idea(MoveIdea(idea_id=idea, to="in_progress", note="Ohjeet päivitetään.", actor=world.owner_email),
                      uow=uow_factory(), clock=clock)  # fmt: skip
    assert moved.state == "in_progress"


def test_a_summary_with_a_phone_number_cannot_be_drafted_then_the_edited_one_is_approved(world, uow_factory, clock):
    with pytest.raises(PrivacyBlocked) as refused:
        draft_summary(DraftSummary(meeting_id=world.meeting_id, text=f"Kiitos! Lisätietoja {PHONE}."),
                      uow=uow_factory(), clock=clock)  # fmt: skip
    assert refused.value.field == "summary"
    with pytest.raises(PrivacyBlocked, match=r"next_steps\[0\]"):
        draft_summary(DraftSummary(meeting_id=world.meeting_id, text="Kiitos!", next_steps=("Kysy: a@b.fi",)),
                      uow=uow_factory(), clock=clock)  # fmt: skip
    with uow_factory() as uow:
        assert uow.meetings.get(world.meeting_id).summary == ""
    assert [e.type for e in _events(uow_factory, Aggregate.MEETING, world.meeting_id)] == ["scheduled"]

    draft_summary(DraftSummary(meeting_id=world.meeting_id, text="Kiitos! Lisätietoja terveysaseman neuvonnasta."),
                  uow=uow_factory(), clock=clock)  # fmt: skip
    clock.advance(days=31)
    approved = approve_summary(ApproveSummary(meeting_id=world.meeting_id), uow=uow_factory(), clock=clock)
    assert approved.summary_approved_at == clock.now()


def test_health_details_in_a_summary_are_approved_only_with_acknowledgement_which_is_recorded(
    world, uow_factory, clock
):
    text = "Raati keskusteli kuljetuksista. Yksi jäsen kertoi leikkauksestaan ja sen jälkeisestä kotiutuksesta."
    draft_summary(DraftSummary(meeting_id=world.meeting_id, text=text), uow=uow_factory(), clock=clock)
    clock.advance(days=31)
    with pytest.raises(HealthDetailsNeedAcknowledgement, match="summary: contains health details"):
        approve_summary(ApproveSummary(meeting_id=world.meeting_id), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        assert uow.meetings.get(world.meeting_id).summary_approved_at is None
    approve_summary(ApproveSummary(meeting_id=world.meeting_id, acknowledge_health=True), uow=uow_factory(),
                    clock=clock)  # fmt: skip
    events = _events(uow_factory, Aggregate.MEETING, world.meeting_id)
    assert [e.type for e in events[-2:]] == ["summary_approved", "privacy_acknowledged"]
    assert events[-1].seq == events[-2].seq + 1
    assert events[-1].data["fields"] == {
        "summary": [{"kind": "health", "start": text.index("leikkauk"), "end": text.index(" ja sen")}]
    }
    assert "leikkau" not in json.dumps(dict(events[-1].data))
    with uow_factory() as uow:
        assert uow.meetings.get(world.meeting_id).summary_approved_at == clock.now()


def test_acknowledging_a_clean_text_records_nothing(world, uow_factory, clock):
    idea = world.raise_idea(uow_factory, clock, "Selkeämmät ohjeet")
    view = note_idea(NoteIdea(idea_id=idea, text="Ohjeet ovat työn alla.", acknowledge_health=True),
                     uow=uow_factory(), clock=clock)  # fmt: skip
    assert [e.type for e in view.timeline] == ["raised", "noted"]
