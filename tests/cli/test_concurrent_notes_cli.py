"""Twenty ``raati idea note`` processes at once on the same idea (the fault drill): every one exits 0.

On PostgreSQL only, where the processes race (SQLite runs one writer at a time; the threaded test in
tests/integration/test_concurrent_notes.py covers both): twenty interpreters starting cost seconds of CPU.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.cli.harness import RAATI, Raati

WRITERS = 20


@pytest.mark.slow
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True, ids=["postgresql"]
)
def test_twenty_note_commands_at_once_all_land(raati: Raati, cli_env: dict[str, str]) -> None:
    for command in (
        ("panel", "create", "Raati"),
        ("service", "add", "Omaolo", "--panel", "Raati", "--owner", "omaolo@example.org"),
        ("member", "add", "--panel", "Raati", "--name", "Aino", "--email", "aino@example.org"),
    ):
        assert raati(*command).code == 0
    meeting = raati("meeting", "schedule", "--panel", "Raati", "--at", "2030-03-01T17:00+02:00", "--service",
                    "Omaolo", "--task", "Ohjeet", "--json")  # fmt: skip
    raised = raati("idea", "raise", "--meeting", str(json.loads(meeting.out)["id"]), "--title", "Idea", "--json")
    idea = str(json.loads(raised.out)["id"])

    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [str(RAATI), "idea", "note", idea, f"Tilanne {n}"],
            env=cli_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    elapsed = time.monotonic() - started

    assert [(p.returncode, e) for p, e in zip(processes, errors, strict=True) if p.returncode != 0] == []
    shown = json.loads(raati("idea", "show", idea, "--json").out)
    assert [e["seq"] for e in shown["timeline"]] == list(range(1, WRITERS + 2))
    assert sorted(e["text"] for e in shown["timeline"][1:]) == sorted(f"Tilanne {n}" for n in range(WRITERS))
    assert elapsed < 60, f"twenty notes took {elapsed:.1f} s"
