"""``raati meeting reschedule`` and ``raati meeting cancel`` in-process, on the test database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.cli.harness import Raati, Run


def ok(run: Run) -> Any:
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture
def meeting(raati: Raati) -> int:
    ok(raati("panel", "create", "Raati", "--json"))
    ok(raati("service", "add", "Omaolo", "--panel", "Raati", "--json"))
    for name, address in (("Aino", "aino@example.org"), ("Karin", "karin@example.org")):
        ok(raati("member", "add", "--panel", "Raati", "--name", name, "--email", address, "--json"))
    scheduled = ok(raati("meeting", "schedule", "--panel", "Raati", "--at", "2030-03-01T17:00+02:00",
                         "--service", "Omaolo", "--task", "Ohjeet", "--place", "Kirjasto", "--json"))  # fmt: skip
    return int(scheduled["id"])


def test_a_move_before_the_prebrief_changes_the_time_and_mails_nobody(raati: Raati, meeting: int) -> None:
    moved = ok(raati("meeting", "reschedule", str(meeting), "--at", "2030-03-08T18:00", "--json"))

    assert moved["starts_at"] == "2030-03-08T18:00:00+02:00"
    assert moved["ends_at"] == "2030-03-08T20:00:00+02:00"
    assert (moved["queued_notifications"], moved["calendar_sequence"]) == (0, 1)  # the calendar feeds move it
    assert json.loads(raati("outbox", "list", "--json").out) == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--at", "2020-01-01T10:00"), "at"),
        (("--at", "next friday"), "at"),
        (("--at", "2030-03-08T18:00", "--ends-at", "2030-03-08T17:00"), "ends_at"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_changes_nothing(
    raati: Raati, meeting: int, args: tuple[str, ...], field: str
) -> None:
    run = raati("meeting", "reschedule", str(meeting), *args)

    assert run.code == 2, (run.out, run.err)
    assert f"raati: error: {field}:" in run.err
    assert "Traceback" not in run.err
    assert ok(raati("meeting", "show", str(meeting), "--json"))["starts_at"] == "2030-03-01T17:00:00+02:00"


def test_a_move_inside_the_three_day_line_needs_allow_late(raati: Raati, meeting: int) -> None:
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()

    refused = raati("meeting", "reschedule", str(meeting), "--at", soon)
    moved = ok(raati("meeting", "reschedule", str(meeting), "--at", soon, "--allow-late", "Sali vapautui", "--json"))

    assert refused.code == 2
    assert "raati: error: at:" in refused.err
    assert "--allow-late" in refused.err
    assert (moved["late"], moved["late_reason"]) == (True, "Sali vapautui")


def test_a_cancellation_mails_every_member_and_cannot_be_repeated(raati: Raati, meeting: int) -> None:
    missing = raati("meeting", "cancel", str(meeting))
    cancelled = ok(raati("meeting", "cancel", str(meeting), "--reason", "Tila ei ole käytössä.", "--json"))
    again = raati("meeting", "cancel", str(meeting), "--reason", "Uudestaan")

    assert missing.code == 2
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "Tila ei ole käytössä.")
    assert (cancelled["queued_notifications"], cancelled["calendar_sequence"]) == (2, 1)
    rows = json.loads(raati("outbox", "list", "--json").out)
    assert sorted(r["kind"] for r in rows) == ["meeting_cancelled", "meeting_cancelled"]
    assert again.code == 2
    assert "raati: error: meeting: was cancelled" in again.err
