"""--acknowledge-health and blocked identifiers on raati idea raise|move|note and raati meeting summary|approve."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from application.commands import ScheduleMeeting
from application.meetings.changes import schedule_meeting
from tests.cli.harness import Raati, Run
from tests.conftest import FixedClock


def ok(run: Run) -> dict:
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture
def meeting(raati: Raati, uow_factory) -> int:
    ok(raati("panel", "create", "Raati", "--json"))
    ok(raati("service", "add", "Omaolo", "--panel", "Raati", "--owner", "omaolo@example.org", "--json"))
    ok(raati("user", "add", "koordinaattori@example.org", "--role", "coordinator", "--panel", "Raati", "--json"))
    ok(raati("member", "add", "--panel", "Raati", "--name", "Aino", "--email", "aino@example.org", "--json"))
    # The summary is approved after the meeting: schedule it on a clock a month back.
    past = FixedClock(datetime.now(UTC) - timedelta(days=30))
    held = schedule_meeting(
        ScheduleMeeting(panel="Raati", starts_at=past.now() + timedelta(days=7), service="Omaolo", tasks=("Ohjeet",)),
        uow=uow_factory(),
        clock=past,
    )
    assert held.id is not None
    return held.id


def test_a_phone_number_in_a_note_exits_2_with_kind_and_position_and_nothing_changes(raati: Raati, meeting: int):
    idea = ok(raati("idea", "raise", "--meeting", str(meeting), "--title", "Kuvat ohjeisiin", "--json"))
    run = raati("idea", "note", str(idea["id"]), "Soita 040 123 4567", "--json")
    assert run.code == 2
    assert "note: remove personal identifiers" in run.err
    assert "phone at 6-18" in run.err
    assert "040" not in run.err
    assert ok(raati("idea", "show", str(idea["id"]), "--json"))["version"] == 1
    raised = raati("idea", "raise", "--meeting", str(meeting), "--title", "Idea", "--text", "Tunnus 131052-308T")
    assert raised.code == 2
    assert "identity_code at 7-18" in raised.err


def test_health_details_go_out_only_with_acknowledge_health_from_a_coordinator(raati: Raati, meeting: int):
    idea = ok(raati("idea", "raise", "--meeting", str(meeting), "--title", "Kuljetukset", "--json"))
    note = "Jäsen käy dialyysissä kolmesti viikossa."
    refused = raati("idea", "move", str(idea["id"]), "declined", "--note", note)
    assert refused.code == 2
    assert "--acknowledge-health" in refused.err
    moved = ok(raati("idea", "move", str(idea["id"]), "declined", "--note", note, "--acknowledge-health",
                     "--as", "koordinaattori@example.org", "--json"))  # fmt: skip
    assert moved["state"] == "declined"
    assert [e["type"] for e in moved["timeline"]][-2:] == ["moved", "privacy_acknowledged"]
    assert moved["timeline"][-1]["text"] is None


def test_a_summary_stopped_for_a_phone_number_is_edited_and_approved_with_acknowledgement(raati: Raati, meeting: int):
    stopped = raati("meeting", "summary", str(meeting), "--text", "Kysymykset: 09 310 12345.")
    assert stopped.code == 2
    assert "summary: remove personal identifiers" in stopped.err
    drafted = raati("meeting", "summary", str(meeting), "--text", "Yksi jäsen kertoi syövästään.")
    assert drafted.code == 0
    assert "approving needs --acknowledge-health" in drafted.out
    refused = raati("meeting", "approve", str(meeting))
    assert refused.code == 2
    assert "summary: contains health details (health at 18-28)" in refused.err
    approved = ok(raati("meeting", "approve", str(meeting), "--acknowledge-health", "--json"))
    assert approved["summary_approved_at"] is not None
