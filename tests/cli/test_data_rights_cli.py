"""``raati member export`` and ``raati member erase``: output, files, confirmation and exit codes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import context
from cli import data_rights as data_rights_cli
from cli.main import app
from tests.cli.harness import Raati

NAME, EMAIL = "Aino Asukas", "aino@example.org"


@pytest.fixture
def member(raati: Raati) -> str:
    assert raati("panel", "create", "Kaaren asiakasraati").code == 0
    added = raati("member", "add", "--panel", "Kaaren asiakasraati", "--name", NAME, "--email", EMAIL, "--json")
    assert added.code == 0, added.err
    return str(json.loads(added.out)["id"])


def test_export_prints_the_members_data_as_json(raati: Raati, member: str) -> None:
    run = raati("member", "export", member)

    assert run.code == 0, run.err
    document = json.loads(run.out)
    assert (document["member"]["name"], document["member"]["email"]) == (NAME, EMAIL)
    assert [e["type"] for e in document["events"]] == ["added"]


def test_export_to_a_file_readable_only_by_its_owner(raati: Raati, member: str, tmp_path: Path) -> None:
    target = tmp_path / "aino.json"

    run = raati("member", "export", member, "--output", str(target))

    assert run.code == 0, run.err
    assert run.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["member"]["email"] == EMAIL
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_to_a_missing_folder_names_output_and_writes_nothing(raati: Raati, member: str, tmp_path: Path) -> None:
    run = raati("member", "export", member, "--output", str(tmp_path / "missing" / "aino.json"))

    assert run.code == 2
    assert "output" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "missing").exists()


def test_erase_without_yes_and_without_a_terminal_refuses_and_names_yes(raati: Raati, member: str) -> None:
    run = raati("member", "erase", member)

    assert run.code == 2
    assert "--yes" in run.err
    assert json.loads(raati("member", "export", member).out)["member"]["name"] == NAME


def test_erase_with_yes_anonymises_and_a_second_run_changes_nothing(raati: Raati, member: str) -> None:
    run = raati("member", "erase", member, "--yes")

    assert run.code == 0, run.err
    assert run.out.startswith(f"Erased member {member}:")
    assert NAME not in run.out
    listed = raati("member", "list", "--panel", "Kaaren asiakasraati", "--json")
    [row] = json.loads(listed.out)
    assert (row["name"], row["email"]) == (f"former member #{member}", f"member-{member}@erased.invalid")

    again = raati("member", "erase", member, "--yes", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["already_erased"] is True


def test_erasing_an_unknown_member_exits_2(raati: Raati, member: str) -> None:
    run = raati("member", "erase", "999", "--yes")

    assert run.code == 2
    assert "member" in run.err


@pytest.mark.parametrize(("answer", "code", "erased"), [("n\n", 1, False), ("y\n", 0, True)])
def test_at_a_terminal_erase_asks_first(
    raati: Raati, member: str, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, answer, code, erased
) -> None:
    monkeypatch.setattr(data_rights_cli, "_interactive", lambda: True)
    context.reset()

    run = CliRunner().invoke(app, ["member", "erase", member], input=answer, env=cli_env, catch_exceptions=False)

    assert run.exit_code == code
    assert NAME in run.stdout  # the question says whom it is about
    name = json.loads(raati("member", "export", member).out)["member"]["name"]
    assert (name != NAME) is erased
