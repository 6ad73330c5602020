"""The command line in-process: outputs, JSON shapes, and exit codes for bad input and conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.harness import Raati, Run


def ok(run: Run) -> dict:
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture
def panel(raati: Raati) -> dict:
    panel = ok(raati("panel", "create", "Raati", "--json"))
    ok(raati("service", "add", "Omaolo", "--panel", "Raati", "--owner", "omaolo@example.org", "--json"))
    ok(raati("service", "add", "Toimintaterapia", "--panel", "Raati", "--owner", "ot@example.org", "--json"))
    ok(raati("member", "add", "--panel", "Raati", "--name", "Aino", "--email", "aino@example.org", "--json"))
    ok(raati("member", "add", "--panel", "Raati", "--name", "Karin", "--email", "karin@example.org",
             "--language", "sv", "--json"))  # fmt: skip
    meeting = ok(raati("meeting", "schedule", "--panel", "Raati", "--at", "2030-03-01T17:00+02:00",
                       "--service", "Omaolo", "--task", "Omaolo instructions", "--json"))  # fmt: skip
    panel["meeting"] = meeting["id"]
    return panel


def raise_idea(raati: Raati, panel: dict, *extra: str) -> dict:
    return ok(raati("idea", "raise", "--meeting", str(panel["meeting"]), "--title", "Idea", *extra, "--json"))


def test_idea_json_has_the_contract_fields(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel, "--text", "Longer text")
    assert {"id", "title", "state", "version", "panel", "service", "meeting", "timeline"} <= idea.keys()
    assert idea["panel"] == panel["id"]
    assert idea["service"] is None
    assert idea["meeting"] == panel["meeting"]
    assert set(idea["timeline"][0]) == {"seq", "type", "from_state", "to_state", "actor", "text", "at", "translations"}


def test_service_owner_moves_own_idea_and_members_are_queued(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel, "--service", "Omaolo")
    sent = ok(raati("idea", "move", str(idea["id"]), "sent_to_service", "--json"))
    assert sent["queued_notifications"] == 3  # two members and the owner
    moved = ok(raati("idea", "move", str(idea["id"]), "in_progress", "--as", "omaolo@example.org",
                     "--expected-version", "2", "--json"))  # fmt: skip
    assert moved["state"] == "in_progress"
    assert moved["timeline"][-1]["actor"] == "omaolo@example.org"
    kinds = [r["kind"] for r in json.loads(raati("outbox", "list", "--json").out)]
    assert kinds.count("idea_sent_to_service") == 1
    assert kinds.count("idea_update") == 4


def test_another_services_owner_is_refused_and_nothing_changes(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel, "--service", "Omaolo")
    ok(raati("idea", "move", str(idea["id"]), "sent_to_service", "--json"))
    refused = raati("idea", "move", str(idea["id"]), "in_progress", "--as", "ot@example.org")
    assert refused.code == 2
    assert "own service" in refused.err
    assert ok(raati("idea", "show", str(idea["id"]), "--json"))["version"] == 2


def test_stale_expected_version_is_a_conflict_with_exit_1(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel, "--service", "Omaolo")
    ok(raati("idea", "move", str(idea["id"]), "sent_to_service", "--json"))
    stale = raati("idea", "move", str(idea["id"]), "declined", "--note", "x", "--expected-version", "1")
    assert stale.code == 1
    assert "expected_version" in stale.err
    assert "version 2" in stale.err


def test_note_on_an_open_idea_is_told_to_members(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel)
    noted = raati("idea", "note", str(idea["id"]), "We are looking at this.")
    assert noted.code == 0, noted.err
    assert "Queued 2 notification(s)" in noted.out
    shown = ok(raati("idea", "show", str(idea["id"]), "--json"))
    assert shown["timeline"][-1]["type"] == "noted"
    assert shown["timeline"][-1]["text"] == "We are looking at this."


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("member", "add", "--panel", "Raati", "--name", "X", "--email", "x@"), "email"),
        (("member", "add", "--panel", "Raati", "--name", "X", "--email", "x@example.org", "--language", "de"),
         "language"),
        (("member", "add", "--panel", "Nope", "--name", "X", "--email", "x@example.org"), "panel"),
        (("panel", "create", "Other", "--lead-days", "2"), "lead-days"),
        (("panel", "create", "raati"), "name"),
        (("meeting", "schedule", "--panel", "Raati", "--at", "next friday", "--service", "Omaolo",
          "--task", "x"), "at"),
        (("meeting", "schedule", "--panel", "Raati", "--at", "2030-01-01T10:00", "--service", "Nope",
          "--task", "x"), "service"),
        (("idea", "raise", "--meeting", "999", "--title", "x"), "meeting"),
        (("idea", "move", "999", "declined", "--note", "x"), "idea"),
        (("idea", "list", "--state", "flying"), "state"),
        (("outbox", "list", "--status", "lost"), "status"),
        (("user", "add", "c@example.org", "--role", "coordinator"), "panel"),
        (("user", "add", "s@example.org", "--role", "service_owner", "--panel", "Raati"), "service"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_field(raati: Raati, panel: dict, args: tuple[str, ...], field: str) -> None:
    result = raati(*args)
    assert result.code == 2, result.out
    assert result.err.startswith("raati: error: ")
    assert f"{field}:" in result.err or f"'{field}'" in result.err or f"--{field}" in result.err
    assert "Traceback" not in result.err


def test_unknown_state_lists_the_states(raati: Raati, panel: dict) -> None:
    idea = raise_idea(raati, panel)
    result = raati("idea", "move", str(idea["id"]), "flying")
    assert result.code == 2
    assert "sent_to_service" in result.err
    assert "declined" in result.err


def test_import_with_skip_invalid_takes_the_good_rows(raati: Raati, panel: dict, tmp_path: Path) -> None:
    csv_file = tmp_path / "m.csv"
    csv_file.write_text("name,email\nBo,bo@example.org\nBad,bad\nCyd,cyd@example.org\n", encoding="utf-8")
    result = ok(raati("member", "import", str(csv_file), "--panel", "Raati", "--skip-invalid", "--json"))
    assert [m["email"] for m in result["imported"]] == ["bo@example.org", "cyd@example.org"]
    assert result["skipped"] == [{"line": 3, "field": "email", "reason": "'bad' is not a valid email address"}]


def test_import_refuses_a_file_without_the_columns(raati: Raati, panel: dict, tmp_path: Path) -> None:
    csv_file = tmp_path / "m.csv"
    csv_file.write_text("nimi;sähköposti\nBo;bo@example.org\n", encoding="utf-8")
    result = raati("member", "import", str(csv_file), "--panel", "Raati")
    assert result.code == 2
    assert "file:" in result.err
    assert "name,email" in result.err
    missing = raati("member", "import", str(tmp_path / "none.csv"), "--panel", "Raati")
    assert missing.code == 2
    assert "does not exist" in missing.err


def test_duplicate_member_email_is_refused(raati: Raati, panel: dict) -> None:
    result = raati("member", "add", "--panel", "Raati", "--name", "Aino 2", "--email", "AINO@example.org")
    assert result.code == 2
    assert "email" in result.err


def test_lists_filter_ideas_by_state_and_service(raati: Raati, panel: dict) -> None:
    first = raise_idea(raati, panel, "--service", "Omaolo")
    raise_idea(raati, panel, "--service", "Toimintaterapia")
    ok(raati("idea", "move", str(first["id"]), "sent_to_service", "--json"))
    listed = json.loads(raati("idea", "list", "--state", "sent_to_service", "--json").out)
    assert [i["id"] for i in listed] == [first["id"]]
    by_service = json.loads(raati("idea", "list", "--service", "Toimintaterapia", "--json").out)
    assert len(by_service) == 1
    assert by_service[0]["service_name"] == "Toimintaterapia"
    assert "timeline" not in by_service[0]


def test_db_upgrade_reports_the_revision(raati: Raati) -> None:
    result = raati("db", "upgrade")
    assert result.code == 0, result.err
    assert "already at revision" in result.out


def test_coordinator_of_one_panel_cannot_touch_another(raati: Raati, panel: dict) -> None:
    ok(raati("panel", "create", "Toinen", "--json"))
    ok(raati("user", "add", "koord@example.org", "--role", "coordinator", "--panel", "Toinen", "--json"))
    idea = raise_idea(raati, panel)
    refused = raati("idea", "move", str(idea["id"]), "declined", "--note", "x", "--as", "koord@example.org")
    assert refused.code == 2
    assert "permission" in refused.err
    granted = ok(raati("user", "add", "koord@example.org", "--role", "coordinator", "--panel", "Raati", "--json"))
    assert granted["panels"] == sorted([panel["id"], panel["id"] + 1])
    moved = raati("idea", "move", str(idea["id"]), "declined", "--note", "x", "--as", "koord@example.org")
    assert moved.code == 0, moved.err
