"""``raati wish decline`` and ``raati wish list --status declined`` in-process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.harness import Raati, Run


def ok(run: Run) -> Any:
    assert run.code == 0, run.err
    return json.loads(run.out)


@pytest.fixture
def wish(raati: Raati) -> dict[str, Any]:
    ok(raati("panel", "create", "Raati", "--json"))
    karin = ok(raati("member", "add", "--panel", "Raati", "--name", "Karin", "--email", "karin@example.org",
                     "--language", "sv", "--json"))["id"]  # fmt: skip
    return dict(ok(raati("wish", "add", "Parkering", "--panel", "Raati", "--member", str(karin), "--json")))


def test_a_declined_wish_is_listed_as_declined_with_its_note_and_its_member_is_mailed(
    raati: Raati, wish: dict[str, Any]
) -> None:
    declined = ok(raati("wish", "decline", str(wish["id"]), "--note", "Raati ei voi vaikuttaa pysäköintiin.", "--json"))
    listed = ok(raati("wish", "list", "--panel", "Raati", "--status", "declined", "--json"))
    said = raati("wish", "decline", str(wish["id"]), "--note", "Uudestaan")

    assert (declined["status"], declined["decline_note"], declined["queued_notifications"]) == (
        "declined", "Raati ei voi vaikuttaa pysäköintiin.", 1)  # fmt: skip
    assert [w["id"] for w in listed] == [wish["id"]]
    rows = json.loads(raati("outbox", "list", "--json").out)
    assert [(r["kind"], r["language"]) for r in rows] == [("topic_wish_declined", "sv")]
    assert said.code == 2
    assert "raati: error: wish:" in said.err
    assert "only an open wish" in said.err


@pytest.mark.parametrize("note", [None, "", "   "])
def test_a_decline_without_a_note_exits_2_naming_the_note(raati: Raati, wish: dict[str, Any], note: str | None) -> None:
    args = ["wish", "decline", str(wish["id"])] + ([] if note is None else ["--note", note])

    run = raati(*args)

    assert run.code == 2, (run.out, run.err)
    assert "raati: error: note:" in run.err
    assert "Traceback" not in run.err
    assert ok(raati("wish", "list", "--panel", "Raati", "--status", "declined", "--json")) == []
    assert json.loads(raati("outbox", "list", "--json").out) == []
