"""``raati privacy check``: findings printed for people and programs, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app

TEXT = "Soita 040 123 4567 tai kirjoita aino@hel.fi. Tunnus 131052-308T. Hänellä on diabetes.\n"


def test_a_file_with_findings_lists_each_with_kind_span_text_and_severity_and_exits_1(raati, tmp_path):
    draft = tmp_path / "summary.txt"
    draft.write_text(TEXT, encoding="utf-8")
    run = raati("privacy", "check", str(draft), "--json")
    assert run.code == 1
    findings = json.loads(run.out)
    assert [(f["kind"], f["text"], f["severity"]) for f in findings] == [
        ("phone", "040 123 4567", "block"),
        ("email", "aino@hel.fi", "block"),
        ("identity_code", "131052-308T", "block"),
        ("health", "diabetes", "acknowledge"),
    ]
    assert all(TEXT[f["start"] : f["end"]] == f["text"] for f in findings)


def test_the_table_for_people_names_what_to_remove_and_what_to_acknowledge(raati, tmp_path):
    draft = tmp_path / "summary.txt"
    draft.write_text(TEXT, encoding="utf-8")
    run = raati("privacy", "check", str(draft))
    assert run.code == 1
    assert "identity_code" in run.out
    assert "040 123 4567" in run.out
    assert "4 finding(s): 3 to remove before sending, 1 health detail(s)" in run.out


def test_a_clean_text_from_stdin_exits_0():
    runner = CliRunner()
    result = runner.invoke(app, ["privacy", "check", "-", "--json"], input="Raati kokoontuu 12.3.2025 klo 17.")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    plain = runner.invoke(app, ["privacy", "check"], input="Terveysaseman ajanvaraus toimii.")
    assert plain.exit_code == 0
    assert "Clean" in plain.stdout


def test_a_missing_or_non_utf8_file_is_bad_input_exit_2(raati, tmp_path):
    missing = raati("privacy", "check", str(tmp_path / "nope.txt"))
    assert missing.code == 2
    assert "file:" in missing.err
    assert "does not exist" in missing.err
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Hänellä".encode("latin-1"))
    bad = raati("privacy", "check", str(latin))
    assert bad.code == 2
    assert "not UTF-8" in bad.err
