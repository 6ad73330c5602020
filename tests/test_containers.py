"""The Dockerfile and compose.yaml, read without Docker: the image is the installed wheel run by an unprivileged
user with a health check, compose runs the pieces the README names, and every ``raati …`` and ``prefect …``
command either file runs exists here, with every option it passes."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from tests.test_packaging import shipped_names

ROOT = Path(__file__).resolve().parent.parent
PREFECT = Path(sys.executable).parent / "prefect"


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile()
    last_from = max(i for i, (instruction, _) in enumerate(instructions) if instruction == "FROM")
    return instructions[last_from:]


COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]


def shell_commands(argv: list[str] | str) -> list[list[str]]:
    """The commands a Dockerfile/compose command runs: an exec list, or each part of a ``sh -c`` line."""
    if isinstance(argv, str):
        lines = [argv]
    elif argv[:2] == ["sh", "-c"]:
        lines = [argv[2]]
    else:
        return [argv]
    return [shlex.split(part) for line in lines for part in re.split(r"&&|\|\||;", line) if part.strip()]


def exec_form(arguments: str) -> list[str]:
    """``CMD ["a", "b"]`` → ``["a", "b"]``; ``HEALTHCHECK --interval=… CMD [...]`` → the command."""
    return list(json.loads(arguments[arguments.index("[") :]))


def every_command() -> list[list[str]]:
    commands = []
    for instruction, arguments in dockerfile():
        if instruction in ("CMD", "HEALTHCHECK", "ENTRYPOINT"):
            commands += shell_commands(exec_form(arguments))
        elif instruction == "RUN":
            commands += shell_commands(arguments)
    for service in SERVICES.values():
        for key in ("command", "entrypoint"):
            if service.get(key):
                commands += shell_commands(service[key])
    return [c for c in commands if c and c[0] in ("raati", "prefect")]


def subcommand_and_options(command: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """``raati deploy --pool raati`` → (``("deploy",)``, ``["--pool"]``)."""
    path = []
    for word in command[1:]:
        if word.startswith("-"):
            break
        path.append(word)
    options = [word.split("=")[0] for word in command[1:] if word.startswith("--")]
    return tuple(path), options


@cache
def raati_help(path: tuple[str, ...]) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    return result.exit_code, result.stdout


@cache
def prefect_help(path: tuple[str, ...]) -> tuple[int, str]:
    env = {**os.environ, "COLUMNS": "200", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run(
        [str(PREFECT), *path, "--help"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    return done.returncode, done.stdout


COMMANDS = every_command()


def test_the_files_run_raati_and_prefect_commands_for_every_part() -> None:
    runs = {" ".join(subcommand_and_options(c)[0]) for c in COMMANDS if c[0] == "raati"}
    assert {"web", "db upgrade", "deploy", "worker"} <= runs
    assert {" ".join(subcommand_and_options(c)[0]) for c in COMMANDS if c[0] == "prefect"} == {"server start"}


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
def test_each_command_and_option_exists_in_the_installed_clis(command: list[str]) -> None:
    path, options = subcommand_and_options(command)
    code, help_text = (raati_help if command[0] == "raati" else prefect_help)(path)

    assert code == 0, f"{command[0]} {' '.join(path)} --help exited {code}"
    for option in options:
        assert re.search(rf"{re.escape(option)}\b", help_text), f"{' '.join(command)}: no {option} in its --help"


def test_the_image_installs_the_wheel_and_runs_as_an_unprivileged_user_with_a_health_check() -> None:
    assert {arguments.split()[0] for instruction, arguments in dockerfile() if instruction == "FROM"} == {
        "python:3.11-slim"
    }
    final = final_stage()
    runs = " ".join(arguments for instruction, arguments in final if instruction == "RUN")
    assert re.search(r'wheel="\$\(ls /tmp/dist/raati-\*\.whl\)" && pip install "\$\{wheel\}\[server,sso\]"', runs)
    # prefect last: it and prefect-client share files (the Makefile does the same).
    assert re.search(r"pip install --force-reinstall --no-deps \"prefect==", runs)
    [user] = [arguments for instruction, arguments in final if instruction == "USER"]
    assert user not in ("root", "0")
    assert f"--create-home {user}" in runs
    [check] = [arguments for instruction, arguments in final if instruction == "HEALTHCHECK"]
    assert "http://127.0.0.1:8000/healthz" in " ".join(exec_form(check))
    [cmd] = [arguments for instruction, arguments in final if instruction == "CMD"]
    assert exec_form(cmd)[:2] == ["raati", "web"]


def test_the_image_is_built_from_every_package_the_wheel_ships() -> None:
    copied = {
        arguments.split()[0]
        for instruction, arguments in dockerfile()
        if instruction == "COPY" and not arguments.startswith("--from")
    }
    assert shipped_names() <= copied
    assert {"pyproject.toml", "README.md", "prefect.yaml"} <= set(
        next(a for i, a in dockerfile() if i == "COPY" and "pyproject.toml" in a).split()[:-1]
    )


def runs(service: dict[str, Any]) -> list[list[str]]:
    return shell_commands(service["command"]) if service.get("command") else []


def test_compose_runs_postgresql_prefect_two_workers_the_web_app_and_a_mail_catcher() -> None:
    assert SERVICES["db"]["image"].startswith("postgres:")
    workers = [name for name, s in SERVICES.items() if any(c[:2] == ["raati", "worker"] for c in runs(s))]
    assert len(workers) >= 2
    [setup] = [s for s in SERVICES.values() if ["raati", "db", "upgrade"] in runs(s)]
    [deploy] = [c for c in runs(setup) if c[:2] == ["raati", "deploy"]]
    pool = deploy[deploy.index("--pool") + 1]
    for name in workers:
        command = runs(SERVICES[name])[0]
        assert command[command.index("--pool") + 1] == pool, name
        assert SERVICES[name]["depends_on"]["setup"]["condition"] == "service_completed_successfully"
        assert SERVICES[name]["stop_signal"] == "SIGINT"  # a worker stops taking runs at once on SIGINT (README)
    assert setup["restart"] == "no"
    assert any(c[:2] == ["raati", "web"] for s in SERVICES.values() for c in runs(s))
    assert any("mailpit" in s.get("image", "") for s in SERVICES.values())
    [server] = [s for s in SERVICES.values() if any(c[:3] == ["prefect", "server", "start"] for c in runs(s))]
    assert server["environment"]["PREFECT_SERVER_DATABASE_CONNECTION_URL"].startswith("postgresql+asyncpg://")


def test_every_raati_container_reaches_the_same_prefect_server_and_database_with_one_signing_key() -> None:
    port = next(c for s in SERVICES.values() for c in runs(s) if c[:3] == ["prefect", "server", "start"])
    for name, service in SERVICES.items():
        if not any(c[0] == "raati" for c in runs(service)):
            continue
        env = service["environment"]
        assert env["PREFECT_API_URL"] == f"http://prefect:{port[port.index('--port') + 1]}/api", name
        assert env["RAATI_DATABASE_URL"].startswith("postgresql+psycopg://"), name
        # Links signed by a worker's mail must open in the web app: the key comes from outside, never generated.
        assert env["RAATI_SECRET_KEY"].startswith("${RAATI_SECRET_KEY:?"), name
        assert service.get("build") == ".", name
