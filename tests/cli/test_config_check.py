"""Production mode from the operator's side: the installed ``raati`` refuses unsafe settings (exit 2, every problem
listed, no traceback), ``raati config check`` shows every setting with secrets masked, and development is as before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.harness import RAATI, Run

pytestmark = pytest.mark.slow  # the installed command in a subprocess

SESSION_SECRET = "session-secret-for-tests-" + "s" * 24
SECRET_KEY = "link-signing-key-for-tests-" + "k" * 24
DB_PASSWORD = "db-password-never-shown"
UNSAFE = [
    "RAATI_DATABASE_URL",
    "RAATI_SECRET_KEY",
    "RAATI_SESSION_SECRET",
    "RAATI_BASE_URL",
    "RAATI_SMTP_TLS",
    "RAATI_SMTP_SENDER",
    "RAATI_MAIL_DOMAIN",
]
Command = Callable[..., Run]


def production(tmp_path: Path) -> dict[str, str]:
    """Settings production accepts: explicit database, long keys, https, TLS to the relay, real addresses."""
    return {
        "RAATI_ENV": "production",
        "RAATI_DATABASE_URL": f"sqlite:///{tmp_path / 'raati.db'}",
        "RAATI_SECRET_KEY": SECRET_KEY,
        "RAATI_SESSION_SECRET": SESSION_SECRET,
        "RAATI_BASE_URL": "https://raati.example.fi",
        "RAATI_SMTP_HOST": "smtp.example.fi",
        "RAATI_SMTP_PORT": "587",
        "RAATI_SMTP_TLS": "starttls",
        "RAATI_SMTP_USERNAME": "raati",
        "RAATI_SMTP_PASSWORD": "smtp-password-never-shown",
        "RAATI_SMTP_SENDER": "Raati <raati@example.fi>",
        "RAATI_MAIL_DOMAIN": "raati.example.fi",
    }


@pytest.fixture
def raati_with(tmp_path: Path) -> Command:
    """``raati_with(env, *args)``: the installed command in an empty folder with only the RAATI_* settings given."""
    assert RAATI.exists(), f"the raati script is not installed at {RAATI}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("RAATI_")}
    base["COLUMNS"] = "200"  # a wide table, so a value is not folded across lines

    def run(env: dict[str, str], *args: str) -> Run:
        done = subprocess.run(
            [str(RAATI), *args],
            env={**base, **env},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def test_production_with_the_embedded_defaults_refuses_every_command_listing_every_problem(
    raati_with: Command, tmp_path: Path
) -> None:
    for args in (["outbox", "status"], ["outbox", "dispatch"], ["web", "--port", "1"], ["db", "upgrade"]):
        run = raati_with({"RAATI_ENV": "production"}, *args)
        assert run.code == 2, (args, run)
        assert "Traceback" not in run.err
        assert "will not start in production: 7 problems" in run.err
        for name in UNSAFE:
            assert f"  {name}: " in run.err
    assert not (tmp_path / "data").exists()  # nothing made: no empty SQLite file, no generated key


def test_help_and_config_check_still_run_in_a_refused_production(raati_with: Command) -> None:
    assert raati_with({"RAATI_ENV": "production"}, "outbox", "dispatch", "--help").code == 0
    run = raati_with({"RAATI_ENV": "production"}, "config", "check")
    assert run.code == 1
    assert "Raati will not start in production:" in run.out
    for name in UNSAFE:
        assert f"  {name}: " in run.out


def test_short_keys_are_refused_with_their_length_and_never_printed(raati_with: Command, tmp_path: Path) -> None:
    env = {**production(tmp_path), "RAATI_SESSION_SECRET": "tooshort-session", "RAATI_SECRET_KEY": "tooshort-key"}
    run = raati_with(env, "outbox", "status")
    assert run.code == 2
    assert "RAATI_SESSION_SECRET: is 16 bytes long: it must be at least 32 bytes" in run.err
    assert "RAATI_SECRET_KEY: is 12 bytes long" in run.err
    assert "tooshort" not in run.err + run.out


def test_good_production_settings_pass_and_the_commands_run(raati_with: Command, tmp_path: Path) -> None:
    env = production(tmp_path)
    check = raati_with(env, "config", "check")
    assert check.code == 0, check
    assert "No problems." in check.out
    assert "RAATI_SMTP_TLS" in check.out
    assert "starttls" in check.out
    upgraded = raati_with(env, "db", "upgrade")
    assert upgraded.code == 0, upgraded
    assert (tmp_path / "raati.db").exists()


def test_json_masks_every_secret_and_the_database_password(raati_with: Command, tmp_path: Path) -> None:
    env = {**production(tmp_path), "RAATI_DATABASE_URL": f"postgresql://raati:{DB_PASSWORD}@db.example.fi/raati"}
    run = raati_with(env, "config", "check", "--json")
    assert run.code == 0, run
    for secret in (SECRET_KEY, SESSION_SECRET, DB_PASSWORD, env["RAATI_SMTP_PASSWORD"]):
        assert secret not in run.out
    report = json.loads(run.out)
    assert report["environment"] == "production"
    assert report["problems"] == []
    settings = {s["name"]: s for s in report["settings"]}
    assert settings["RAATI_DATABASE_URL"]["value"] == "postgresql://raati:***@db.example.fi/raati"
    assert settings["RAATI_DATABASE_URL"]["source"] == "environment"
    assert settings["RAATI_SECRET_KEY"] == {
        "name": "RAATI_SECRET_KEY",
        "value": f"•••• (set, {len(SECRET_KEY)} bytes)",
        "source": "environment",
        "secret": True,
        "group": "Mail",
    }
    assert settings["RAATI_SMTP_PASSWORD"]["secret"] is True
    assert settings["RAATI_BATCH_SIZE"] == {
        "name": "RAATI_BATCH_SIZE",
        "value": "200",
        "source": "default",
        "secret": False,
        "group": "Mail",
    }


def test_development_is_unchanged_and_shows_what_production_would_refuse(raati_with: Command, tmp_path: Path) -> None:
    status = raati_with({}, "outbox", "status")
    assert status.code == 0, status  # the embedded default database, made and migrated as ever
    assert (tmp_path / "data" / "raati.sqlite3").exists()

    run = raati_with({}, "config", "check", "--json")
    assert run.code == 0
    report = json.loads(run.out)
    assert report["environment"] == "development"
    assert report["refused"] is False
    assert [p["setting"] for p in report["problems"]] == UNSAFE
    settings = {s["name"]: s for s in report["settings"]}
    assert settings["RAATI_SESSION_SECRET"]["source"] == "generated"
    assert settings["RAATI_DATABASE_URL"]["source"] == "default"

    table = raati_with({}, "config", "check")
    assert table.code == 0
    assert "Would be refused in production (RAATI_ENV=production):" in table.out


def test_an_unknown_environment_is_refused_by_name(raati_with: Command) -> None:
    run = raati_with({"RAATI_ENV": "prod"}, "outbox", "status")
    assert run.code == 2
    assert "RAATI_ENV: is 'prod': it must be development or production" in run.err
    check = raati_with({"RAATI_ENV": "prod"}, "config", "check")
    assert check.code == 1


def test_the_web_app_factory_refuses_unsafe_production_settings(tmp_path: Path) -> None:
    """What ``raati web --workers N`` and ``uvicorn --factory web.asgi:create`` start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAATI_")}
    done = subprocess.run(
        [sys.executable, "-c", "from web.asgi import create; create()"],
        env={**env, "RAATI_ENV": "production", "PYTHONPATH": str(Path(__file__).parents[2])},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    for name in UNSAFE:
        assert f"  {name}: " in done.stderr
