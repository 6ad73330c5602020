"""The season simulator: whole seasons on a virtual clock, mail over SMTP into a real sink, checks that hold.

Each season runs on its own SQLite file in ``tmp_path``; the checks are computed from the
database and the sink, so a test that breaks the database must see them fail.
"""

from __future__ import annotations

import email
import json
import os
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.sql import Executable

from application.simulation.checks import CheckResult, CheckRules, check_season
from application.simulation.facts import load_facts
from application.simulation.virtual_time import SeasonReport
from application.timezone import PANEL_TZ
from cli.simulate import dispatch_rules, run_simulation, sink_message_ids
from domain.schedule import days_before
from persistence.engine import make_engine, make_session_factory
from persistence.tables import OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.cli.harness import RAATI

pytestmark = pytest.mark.slow


def play(folder: Path, days: int, seed: int) -> SeasonReport:
    return run_simulation(days, seed, folder=folder)


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda seed: f"seed{seed}")
def season(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[SeasonReport, Path]:
    folder = tmp_path_factory.mktemp(f"season-{request.param}")
    return play(folder, 70, request.param), folder


def failing(checks: dict[str, CheckResult]) -> dict[str, list[str]]:
    return {name: check.problems for name, check in checks.items() if not check.passed}


def mail_by_message_id(folder: Path) -> dict[str, EmailMessage]:
    found = {}
    for path in sorted((folder / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found[str(message["Message-ID"]).strip("<>")] = message
    return found


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return " ".join(str(part.get_content()).split())


def test_every_promise_holds_for_the_season(season: tuple[SeasonReport, Path]) -> None:
    report, _ = season

    assert failing(report.checks) == {}
    assert report.passed
    assert report.checks["members_told"].counts["told"] > 100
    assert report.checks["nothing_sent_twice"].counts["sink"] == len(report.sent)


def test_what_was_sent_names_meetings_and_ideas_that_exist(season: tuple[SeasonReport, Path]) -> None:
    data = season[0].to_dict()
    idea_ids = {idea["id"] for idea in data["ideas"]}
    meeting_ids = {meeting["id"] for meeting in data["meetings"]}

    for entry in data["sent"]:
        named = entry["ideas"] if "ideas" in entry else [entry["idea"]] if entry["idea"] is not None else []
        assert set(named) <= idea_ids, entry
        assert entry["meeting"] is None or entry["meeting"] in meeting_ids, entry
        assert entry["message_id"]
        assert entry["to"]
    assert len({entry["message_id"] for entry in data["sent"]}) == len(data["sent"])


def test_a_late_meeting_is_flagged_and_its_coordinators_alerted(season: tuple[SeasonReport, Path]) -> None:
    report, _ = season
    data = report.to_dict()
    late = [m for m in report.meetings if m.late]
    alerts = {
        (e["meeting"], e["to"])
        for e in data["sent"]
        if e["kind"] in ("reminder", "escalation") and e.get("about") == "prebrief"
    }

    assert late, "every season has a meeting without a place and one scheduled with --allow-late"
    for meeting in late:
        assert {to for m, to in alerts if m == meeting.id} == {
            "koordinaattori@sim.raati.example.org",
            "varakoordinaattori@sim.raati.example.org",
        }
    refused = [a for a in report.actions if "refused" in a.text and "--allow-late" in a.text]
    allowed = [m for m in report.meetings if m.late_reason]
    assert refused
    assert allowed
    unready = [m for m in report.meetings if m.late and not m.late_reason]
    assert unready, "the meeting left without a place is flagged by the pre-brief flow"
    deadline = days_before(unready[0].starts_at, 3, PANEL_TZ)
    assert unready[0].prebrief_sent_at is not None
    assert unready[0].prebrief_sent_at > deadline


def test_a_declined_idea_reaches_the_members_with_its_reason(season: tuple[SeasonReport, Path]) -> None:
    report, folder = season
    mail = mail_by_message_id(folder)
    members = [m for m in report.to_dict()["members"] if m["receives_mail"]]
    week_before_end = report.end - timedelta(days=8)  # a digest member hears within a week
    declines = [
        (idea, event)
        for idea in report.ideas
        for event in idea["timeline"]
        if event["to_state"] == "declined" and event["from_state"] != "declined"
        if datetime.fromisoformat(event["at"]) < week_before_end
    ]
    assert declines

    for idea, decline in declines:
        told = [e for e in report.sent if (idea["id"], decline["seq"]) in e.changes]
        assert {e.recipient_id for e in told} >= {m["id"] for m in members}
        for sent in told:
            assert " ".join(decline["text"].split()) in plain_text(mail[sent.message_id])


def test_digest_members_get_digests_and_nothing_else_about_ideas(season: tuple[SeasonReport, Path]) -> None:
    report, _ = season
    digest_members = {m["id"] for m in report.to_dict()["members"] if m["delivery"] == "digest"}
    about_ideas = [e for e in report.sent if e.recipient_kind == "member" and e.kind in ("digest", "idea_update")]

    assert len(digest_members) == 3
    assert {e.recipient_id for e in about_ideas if e.kind == "digest"} == digest_members
    assert not [e for e in about_ideas if e.kind == "idea_update" and e.recipient_id in digest_members]
    assert all(e.at.astimezone(PANEL_TZ).weekday() == 0 for e in about_ideas if e.kind == "digest")


def test_the_same_seed_plays_the_same_season(tmp_path: Path) -> None:
    first = play(tmp_path / "first", 21, 7)
    second = play(tmp_path / "second", 21, 7)

    assert first.to_dict()["sent"] == second.to_dict()["sent"]
    assert [(a.at, a.text) for a in first.actions] == [(a.at, a.text) for a in second.actions]
    assert first.passed


def test_the_installed_command_prints_the_season_as_json(tmp_path: Path) -> None:
    env = {**os.environ, "RAATI_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [str(RAATI), "simulate", "--days", "30", "--seed", "1", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    assert data["passed"] is True
    assert {name for name, check in data["checks"].items() if check["passed"]} == set(data["checks"])
    assert {"prebriefs_on_time", "ideas_answered", "members_told", "nothing_sent_twice"} <= set(data["checks"])
    assert data["meetings"][0].keys() >= {"id", "starts_at", "late"}
    assert data["ideas"][0].keys() >= {"id", "state", "timeline"}
    assert data["ideas"][0]["timeline"][0].keys() == {
        "seq",
        "type",
        "from_state",
        "to_state",
        "actor",
        "text",
        "at",
        "translations",
    }
    assert {e["kind"] for e in data["sent"]} >= {"prebrief", "idea_update", "digest", "summary"}
    assert all(e.keys() >= {"at", "kind", "to", "meeting", "message_id"} for e in data["sent"])
    assert all(("idea" in e) != ("ideas" in e) for e in data["sent"])
    assert not (tmp_path / "data").exists(), "the simulation never touches the user's data folder"


def test_a_database_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    play(tmp_path, 1, 1)
    url = f"sqlite:///{tmp_path / 'simulation.sqlite3'}"

    done = subprocess.run(
        [str(RAATI), "simulate", "--days", "1", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 2
    assert "database_url" in done.stderr
    assert "empty database" in done.stderr


# --- The checks are honest: break what a season left behind and they say so ---------------


@pytest.fixture
def small_season(tmp_path: Path) -> tuple[SeasonReport, Path]:
    return play(tmp_path, 45, 1), tmp_path


def recheck(report: SeasonReport, folder: Path) -> dict[str, CheckResult]:
    engine = make_engine(f"sqlite:///{folder / 'simulation.sqlite3'}")
    try:
        sessions = make_session_factory(engine)
        rules = dispatch_rules()
        facts = load_facts(
            lambda: SqlAlchemyUnitOfWork(sessions),
            now=report.end,
            kinds_by_message_id={},
            sink_message_ids=sink_message_ids(folder / "mail"),
        )
        return check_season(facts, CheckRules(coalesce=rules.coalesce, digest=rules.digest))
    finally:
        engine.dispose()


def change_database(folder: Path, statement: Executable) -> int:
    engine = make_engine(f"sqlite:///{folder / 'simulation.sqlite3'}")
    try:
        with engine.begin() as connection:
            return int(connection.execute(statement).rowcount)  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def outbox_ids(folder: Path, kind: str, about: Callable[[dict[str, Any]], bool]) -> list[str]:
    engine = make_engine(f"sqlite:///{folder / 'simulation.sqlite3'}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(OutboxRow.id, OutboxRow.payload).where(OutboxRow.kind == kind))
            return [row_id for row_id, payload in rows if about(payload)]
    finally:
        engine.dispose()


def test_rechecking_an_untouched_season_passes(small_season: tuple[SeasonReport, Path]) -> None:
    report, folder = small_season

    assert failing(recheck(report, folder)) == {}


def test_a_member_notification_that_never_went_out_fails_the_checks(small_season: tuple[SeasonReport, Path]) -> None:
    report, folder = small_season
    victim = next(e for e in report.sent if e.kind == "idea_update" and len(e.changes) == 1)
    (idea_id, _seq) = victim.changes[0]

    deleted = change_database(folder, delete(OutboxRow).where(OutboxRow.sent_as == victim.message_id))
    checks = recheck(report, folder)

    assert deleted == 1
    assert set(failing(checks)) == {"members_told", "nothing_sent_twice"}
    assert any(
        f"member {victim.recipient_id} was not told of idea {idea_id}" in p for p in checks["members_told"].problems
    )
    assert any(victim.message_id in p and "not recorded sent" in p for p in checks["nothing_sent_twice"].problems)


def test_a_pre_brief_sent_after_the_three_day_line_fails_the_checks(small_season: tuple[SeasonReport, Path]) -> None:
    report, folder = small_season
    meeting = next(m for m in report.meetings if m.prebrief_sent_at is not None and not m.late)
    too_late = days_before(meeting.starts_at, 3, PANEL_TZ) + timedelta(hours=1)

    prebriefs = outbox_ids(folder, "prebrief", lambda payload: payload["meeting_id"] == meeting.id)
    changed = change_database(folder, update(OutboxRow).where(OutboxRow.id.in_(prebriefs)).values(sent_at=too_late))
    checks = recheck(report, folder)

    assert changed > 10
    assert set(failing(checks)) == {"prebriefs_on_time"}
    assert checks["prebriefs_on_time"].problems == [
        f"meeting {meeting.id}: pre-brief sent {too_late.astimezone(PANEL_TZ):%Y-%m-%d %H:%M}, after "
        f"{days_before(meeting.starts_at, 3, PANEL_TZ).astimezone(PANEL_TZ):%Y-%m-%d %H:%M}, not flagged late"
    ]


def test_a_reminder_that_never_went_out_fails_the_checks(small_season: tuple[SeasonReport, Path]) -> None:
    report, folder = small_season
    quiet_since = {i["id"]: datetime.fromisoformat(i["timeline"][-1]["at"]) for i in report.ideas if i["allowed_next"]}
    chased = [
        e.ideas[0]
        for e in report.sent
        if e.kind == "reminder" and e.about == "idea" and e.at > quiet_since.get(e.ideas[0], report.end)
    ]
    assert chased, "in 45 days some idea waits, still open, long enough to be chased"
    idea_id = chased[-1]
    chases = [
        row_id
        for kind in ("reminder", "escalation")
        for row_id in outbox_ids(folder, kind, lambda payload: payload["items"][0].get("idea_id") == idea_id)
    ]
    assert change_database(folder, delete(OutboxRow).where(OutboxRow.id.in_(chases))) == len(chases)
    checks = recheck(report, folder)

    assert "ideas_answered" in failing(checks)
    assert any(f"idea {idea_id} " in p and "no reminder" in p for p in checks["ideas_answered"].problems)
