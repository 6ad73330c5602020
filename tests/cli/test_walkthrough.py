"""The README's walkthrough, run as a new user would: the installed ``raati`` script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.harness import Raati


def test_new_user_walkthrough_with_the_installed_script(raati_script: Raati, tmp_path: Path) -> None:
    run = raati_script
    created = run("panel", "create", "Kallion asiakasraati", "--json")
    assert created.code == 0, created.err
    panel = json.loads(created.out)
    assert panel["name"] == "Kallion asiakasraati"
    assert panel["lead_days"] == 7

    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text(
        "name,email,language\nAino Virtanen,aino@example.org,fi\nBo Ek,not-an-email,sv\nCyd,cyd@example.org,de\n",
        encoding="utf-8",
    )
    rejected = run("member", "import", str(bad_csv), "--panel", "Kallion asiakasraati")
    assert rejected.code == 2
    assert "line 3: email" in rejected.err
    assert "line 4: language" in rejected.err
    assert "Traceback" not in rejected.err
    assert json.loads(run("member", "list", "--panel", str(panel["id"]), "--json").out) == []

    good_csv = tmp_path / "members.csv"
    good_csv.write_text(
        "name,email,language\nAino Virtanen,aino@example.org,fi\nBo Ek,bo@example.org,sv\n"
        "Cyd Smith,cyd@example.org,en\n",
        encoding="utf-8",
    )
    imported = run("member", "import", str(good_csv), "--panel", "Kallion asiakasraati")
    assert imported.code == 0, imported.err
    assert "Imported 3 member(s)" in imported.out

    service = run("service", "add", "Omaolo", "--panel", str(panel["id"]), "--owner", "owner@example.org", "--json")
    assert service.code == 0, service.err
    assert json.loads(service.out)["owners"] == ["owner@example.org"]

    meeting = run(
        "meeting", "schedule", "--panel", str(panel["id"]), "--at", "2030-02-05T17:00",
        "--service", "Omaolo", "--task", "Omaolo instructions", "--json",
    )  # fmt: skip
    assert meeting.code == 0, meeting.err
    meeting_id = json.loads(meeting.out)["id"]
    assert json.loads(meeting.out)["starts_at"] == "2030-02-05T17:00:00+02:00"

    raised = run("idea", "raise", "--meeting", str(meeting_id), "--title", "Pictures in the guide", "--json")
    assert raised.code == 0, raised.err
    idea = json.loads(raised.out)
    assert (idea["state"], idea["version"]) == ("raised", 1)

    illegal = run("idea", "move", str(idea["id"]), "implemented", "--note", "done")
    assert illegal.code == 2
    assert "allowed next states: declined, sent_to_service" in illegal.err
    assert "Traceback" not in illegal.err

    no_reason = run("idea", "move", str(idea["id"]), "declined")
    assert no_reason.code == 2
    assert "note" in no_reason.err
    assert "reason" in no_reason.err

    declined = run("idea", "move", str(idea["id"]), "declined", "--note", "Not in our hands.", "--json")
    assert declined.code == 0, declined.err
    body = json.loads(declined.out)
    assert body["state"] == "declined"
    assert body["version"] == 2
    assert body["queued_notifications"] == 3
    assert [(e["seq"], e["type"], e["from_state"], e["to_state"]) for e in body["timeline"]] == [
        (1, "raised", None, "raised"),
        (2, "moved", "raised", "declined"),
    ]
    assert body["timeline"][1]["text"] == "Not in our hands."
    assert body["timeline"][1]["actor"] == "operator"

    shown = run("idea", "show", str(idea["id"]))
    assert shown.code == 0
    assert "Not in our hands." in shown.out

    rows = json.loads(run("outbox", "list", "--json").out)
    assert sorted(r["email"] for r in rows) == ["aino@example.org", "bo@example.org", "cyd@example.org"]
    assert {r["language"] for r in rows} == {"fi", "sv", "en"}
    assert all(r["status"] == "pending" and r["idea"] == idea["id"] for r in rows)
    assert all(r["payload"]["text"] == "Not in our hands." for r in rows)
