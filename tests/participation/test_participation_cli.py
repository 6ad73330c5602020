"""``raati panel rules``, ``raati member welcome``, ``raati wish`` and ``raati meeting attendance`` in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from application.commands import ScheduleMeeting
from application.meetings.changes import schedule_meeting
from persistence.engine import make_engine, make_session_factory
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.cli.harness import Raati, Run
from tests.conftest import FixedClock


def ok(run: Run) -> Any:
    assert run.code == 0, run.err
    return json.loads(run.out)


def bad(run: Run, field: str) -> str:
    assert run.code == 2, (run.out, run.err)
    assert f"raati: error: {field}:" in run.err
    assert "Traceback" not in run.err
    return run.err


@pytest.fixture
def panel(raati: Raati) -> dict[str, Any]:
    panel = ok(raati("panel", "create", "Raati", "--json"))
    ok(raati("service", "add", "Omaolo", "--panel", "Raati", "--json"))
    panel["aino"] = ok(raati("member", "add", "--panel", "Raati", "--name", "Aino", "--email", "aino@example.org",
                             "--json"))["id"]  # fmt: skip
    panel["karin"] = ok(raati("member", "add", "--panel", "Raati", "--name", "Karin", "--email", "karin@example.org",
                              "--language", "sv", "--json"))["id"]  # fmt: skip
    return panel


def rule_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "fi": "# Raadin omat säännöt\n- Kuuntelemme toisiamme.\n\nAloitamme ajallaan.\n",
        "sv": "Vi lyssnar på varandra.\nVi börjar i tid.\n",
        "en": "* We listen to each other.\nWe start on time.\n",
    }
    paths = {}
    for code, text in files.items():
        paths[code] = tmp_path / f"rules.{code}.txt"
        paths[code].write_text(text, encoding="utf-8")
    return paths


def test_rules_show_the_models_default_until_a_version_is_published(raati: Raati, panel: dict[str, Any]) -> None:
    shown = ok(raati("panel", "rules", "show", "--panel", "Raati", "--json"))
    text = raati("panel", "rules", "show", "--panel", "Raati", "--language", "sv")

    assert (shown["version"], shown["published"]) == (1, False)
    assert {code: len(rules) for code, rules in shown["rules"].items()} == {"fi": 12, "sv": 12, "en": 12}
    assert "not yet published" in text.out
    assert "12. De ansvariga berättar" in text.out


def test_coordinators_publish_rules_from_one_file_per_language(
    raati: Raati, panel: dict[str, Any], tmp_path: Path
) -> None:
    files = rule_files(tmp_path)

    published = ok(raati("panel", "rules", "set", "--panel", "Raati", "--fi", str(files["fi"]), "--sv",
                         str(files["sv"]), "--en", str(files["en"]), "--json"))  # fmt: skip
    again = ok(raati("panel", "rules", "set", "--panel", "Raati", "--default", "--json"))
    acks = ok(raati("panel", "rules", "acks", "--panel", "Raati", "--json"))

    assert (published["version"], published["published"]) == (1, True)
    assert published["rules"]["fi"] == ["Kuuntelemme toisiamme.", "Aloitamme ajallaan."]
    assert published["rules"]["en"] == ["We listen to each other.", "We start on time."]
    assert again["version"] == 2
    assert acks == {
        "panel": panel["id"],
        "version": 2,
        "acknowledged": [],
        "not_acknowledged": [{"member": panel["aino"], "name": "Aino"}, {"member": panel["karin"], "name": "Karin"}],
    }


def test_bad_rule_input_exits_2_naming_the_field(raati: Raati, panel: dict[str, Any], tmp_path: Path) -> None:
    files = rule_files(tmp_path)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Sääntö\n".encode("latin-1"))

    bad(raati("panel", "rules", "set", "--panel", "Raati", "--fi", str(files["fi"])), "sv")
    bad(raati("panel", "rules", "set", "--panel", "Raati", "--default", "--fi", str(files["fi"])), "default")
    bad(raati("panel", "rules", "set", "--panel", "Raati", "--fi", str(latin1), "--sv", str(files["sv"]),
              "--en", str(files["en"])), "fi")  # fmt: skip
    bad(raati("panel", "rules", "set", "--panel", "Raati", "--fi", str(files["fi"]), "--sv", str(files["sv"]),
              "--en", str(tmp_path / "missing.txt")), "en")  # fmt: skip
    bad(raati("panel", "rules", "show", "--panel", "Raati", "--language", "de"), "language")
    assert raati("panel", "rules", "show", "--panel", "Nope").code == 2
    assert ok(raati("panel", "rules", "show", "--panel", "Raati", "--json"))["published"] is False


def test_welcome_is_queued_once_per_member(raati: Raati, panel: dict[str, Any]) -> None:
    first = ok(raati("member", "welcome", "--panel", "Raati", "--member", str(panel["karin"]), "--json"))
    rest = ok(raati("member", "welcome", "--panel", "Raati", "--json"))

    rows = [r for r in json.loads(raati("outbox", "list", "--json").out) if r["kind"] == "welcome"]
    assert (first, rest) == ({"queued": 1}, {"queued": 1})
    assert sorted(r["language"] for r in rows) == ["fi", "sv"]
    bad(raati("member", "welcome", "--panel", "Raati", "--member", "99"), "member")


def test_wishes_are_added_listed_and_scheduled(raati: Raati, panel: dict[str, Any]) -> None:
    meeting = ok(raati("meeting", "schedule", "--panel", "Raati", "--at", "2030-03-01T17:00+02:00", "--service",
                       "Omaolo", "--task", "Omaolo instructions", "--json"))  # fmt: skip
    wish = ok(raati("wish", "add", "Ohjeet selkokielellä", "--panel", "Raati", "--member", str(panel["karin"]),
                    "--json"))  # fmt: skip
    ok(raati("wish", "add", "Yleinen aihe", "--panel", "Raati", "--json"))

    scheduled = ok(raati("wish", "schedule", str(wish["id"]), str(meeting["id"]), "--json"))
    open_ones = ok(raati("wish", "list", "--panel", "Raati", "--status", "open", "--json"))
    shown = ok(raati("meeting", "show", str(meeting["id"]), "--json"))

    assert (wish["member"], wish["status"], wish["text"]) == (panel["karin"], "open", "Ohjeet selkokielellä")
    assert (scheduled["status"], scheduled["meeting"], scheduled["queued_notifications"]) == (
        "scheduled", meeting["id"], 1)  # fmt: skip
    assert [w["text"] for w in open_ones] == ["Yleinen aihe"]
    assert shown["topic_wishes"] == [{"id": wish["id"], "member": panel["karin"], "text": "Ohjeet selkokielellä"}]
    assert shown["attendance"] == []
    kinds = [r["kind"] for r in json.loads(raati("outbox", "list", "--json").out)]
    assert kinds == ["topic_wish_scheduled"]
    bad(raati("wish", "add", "  ", "--panel", "Raati"), "text")
    bad(raati("wish", "list", "--panel", "Raati", "--status", "done"), "status")
    bad(raati("wish", "schedule", "99", str(meeting["id"])), "wish")
    bad(raati("wish", "schedule", str(wish["id"]), str(meeting["id"])), "meeting")


def test_attendance_is_recorded_and_shown(raati: Raati, panel: dict[str, Any], database_url: str) -> None:
    # A meeting that has already started: scheduled through the use case on a clock in the past.
    engine = make_engine(database_url)
    try:
        held = schedule_meeting(
            ScheduleMeeting(
                panel="Raati",
                starts_at=datetime(2025, 3, 20, 15, tzinfo=UTC),
                service="Omaolo",
                tasks=("Omaolo",),
                place="Itäkeskus",
            ),
            uow=SqlAlchemyUnitOfWork(make_session_factory(engine)),
            clock=FixedClock(datetime(2025, 3, 3, 9, tzinfo=UTC)),
        )
    finally:
        engine.dispose()
    meeting = str(held.id)

    recorded = ok(raati("meeting", "attendance", meeting, "--present", f"{panel['aino']}, {panel['karin']}", "--json"))
    replaced = ok(raati("meeting", "attendance", meeting, "--member", str(panel["karin"]), "--json"))
    shown = raati("meeting", "show", meeting)

    assert [m["name"] for m in recorded["present"]] == ["Aino", "Karin"]
    assert replaced["present"] == [{"id": panel["karin"], "name": "Karin"}]
    assert "attendance: 1 — Karin" in shown.out
    bad(raati("meeting", "attendance", meeting, "--present", "1,x"), "present")
    bad(raati("meeting", "attendance", meeting), "present")
    bad(raati("meeting", "attendance", meeting, "--member", "99"), "member")
    assert ok(raati("meeting", "show", meeting, "--json"))["attendance"] == [{"id": panel["karin"], "name": "Karin"}]
