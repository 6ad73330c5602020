"""``raati --help`` imports no database, web or flow library (issue 17, item 7), and the command line whose modules
are imported when used (cli/main.py's LAZY_COMMANDS, LAZY_GROUPS) is, command for command, the one that imported
them all up front: the same names, options, arguments, help texts and ``--help`` pages.

How long ``raati --help`` takes is measured by bench/cli_startup.py, not here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from typer.testing import CliRunner

from flows.deployment_specs import DeploymentFileError
from notifications.transport import SmtpConfigurationError
from persistence.migrate import SchemaOutOfDate
from tests.cli.harness import RAATI

pytestmark = pytest.mark.slow  # fresh interpreters in subprocesses

ROOT = Path(__file__).resolve().parents[2]
# Top-level packages that take hundreds of milliseconds to import, and Raati's own packages that bring them in.
HEAVY = {
    "sqlalchemy",
    "alembic",
    "prefect",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "pydantic_settings",
    "jinja2",
    "aiosmtplib",
    "persistence",
    "wiring",
    "application",
    "web",
    "flows",
}


def imported_modules(args: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``raati ARGS`` in a fresh interpreter: the run and every module it had imported when it exited."""
    # sys.modules at exit rather than -X importtime: importtime does not log a module imported by importlib.
    listing = tmp_path / "modules.json"
    code = (
        "import atexit, json, sys; "
        f"atexit.register(lambda: open({str(listing)!r}, 'w').write(json.dumps(sorted(sys.modules)))); "
        f"sys.argv = ['raati', *{args!r}]; from cli.main import run; run()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listing.exists(), done.stderr[-2000:]
    return done, set(json.loads(listing.read_text()))


@pytest.mark.parametrize("args", [["--help"], []], ids=["--help", "bare"])
def test_help_imports_no_database_web_or_flow_library(args: list[str], tmp_path: Path) -> None:
    done, modules = imported_modules(args, tmp_path)
    assert "Usage: raati" in done.stdout, done.stderr[-2000:]
    assert "survey" in done.stdout
    assert "Evaluation surveys" in done.stdout
    assert {"typer", "cli.main"} <= modules  # the import log was read
    heavy = sorted(name for name in modules if name.split(".")[0] in HEAVY)
    assert heavy == [], f"raati {' '.join(args)} imported {heavy}"


def test_a_group_imports_its_own_module_when_used(tmp_path: Path) -> None:
    done, modules = imported_modules(["survey", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "add-statement" in done.stdout
    assert "cli.surveys" in modules
    assert "cli.meetings" not in modules
    assert "cli.people" not in modules


def test_a_database_that_does_not_answer_is_exit_1_naming_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RAATI_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/raati",  # nothing listens on port 1
        "RAATI_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [str(RAATI), "survey", "list"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert done.stderr.startswith("raati: database: cannot use the database:"), done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def failing_app(error: Exception) -> typer.Typer:
    """The root group with one command that raises ``error``: how cli/main.py reports it."""
    from cli.main import RaatiGroup

    probe = typer.Typer(cls=RaatiGroup, add_completion=False, pretty_exceptions_enable=False)

    @probe.callback()  # a group, not a lone command: RaatiGroup is the one that runs
    def root() -> None:
        pass

    @probe.command()
    def fail() -> None:
        raise error

    return probe


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (SmtpConfigurationError("Check RAATI_SMTP_TLS."), "raati: smtp: Check RAATI_SMTP_TLS."),
        (DeploymentFileError(Path("prefect.yaml"), "is missing"), "raati: deployments: prefect.yaml: is missing"),
        (SchemaOutOfDate("0001", "0019"), "raati: database: database schema is at revision 0001, the code needs 0019"),
        (
            OperationalError("SELECT 1", {}, ConnectionError("refused")),
            "raati: database: cannot use the database: refused",
        ),
        (SQLAlchemyError("no such table"), "raati: database: SQLAlchemyError: no such table"),
    ],
    ids=["smtp", "deployments", "schema", "database-down", "database"],
)
def test_an_operational_failure_is_exit_1_with_its_message(error: Exception, says: str) -> None:
    result = CliRunner().invoke(failing_app(error), ["fail"])
    assert result.exit_code == 1
    assert result.stderr.startswith(says)


def test_any_other_error_is_left_as_it_is() -> None:
    result = CliRunner().invoke(failing_app(KeyError("bug")), ["fail"])
    assert isinstance(result.exception, KeyError)


def eager_app() -> typer.Typer:
    """The command line as cli/main.py assembled it before its modules were imported on use: all of them at once."""
    from cli import (
        audit,
        config,
        data_rights,
        db,
        delivery,
        deploy,
        ideas,
        mail,
        meetings,
        outbox,
        people,
        serve,
        sessions,
        simulate,
        worker,
    )
    from cli.attendance import register as register_attendance
    from cli.main import app, demo, web
    from cli.privacy import app as privacy_app
    from cli.rules import register as register_rules
    from cli.surveys import app as survey_app
    from cli.wishes import app as wish_app

    eager = typer.Typer(
        name="raati", help=app.info.help, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
    )
    eager.command("mailsink")(mail.mailsink)
    eager.command("simulate")(simulate.command)
    eager.command("serve")(serve.serve)
    eager.command("deploy")(deploy.deploy)
    eager.command("worker")(worker.worker)
    eager.command()(web)
    eager.command()(demo)
    eager.add_typer(config.app, name="config")
    eager.add_typer(db.app, name="db")
    eager.add_typer(people.panel_app, name="panel")
    eager.add_typer(people.service_app, name="service")
    eager.add_typer(people.member_app, name="member")
    register_rules(panel_app=people.panel_app, member_app=people.member_app)
    data_rights.register(people.member_app)
    eager.add_typer(people.user_app, name="user")
    sessions.register(people.user_app)
    eager.add_typer(audit.app, name="audit")
    eager.add_typer(meetings.app, name="meeting")
    register_attendance(meetings.app)
    eager.add_typer(ideas.app, name="idea")
    eager.add_typer(privacy_app, name="privacy")
    eager.add_typer(wish_app, name="wish")
    eager.add_typer(survey_app, name="survey")
    eager.add_typer(outbox.app, name="outbox")
    delivery.register(outbox.app)
    eager.add_typer(mail.app, name="mail")
    return eager


def plain(value: Any) -> Any:
    """A value as JSON can hold it and two processes can compare (no memory addresses)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))


def attributes(thing: Any) -> dict[str, Any]:
    """A command's or a parameter's public attributes: names, help, flags, defaults, types."""
    shown = {key: plain(value) for key, value in vars(thing).items() if not key.startswith("_")}
    descriptor = shown.pop("type_descriptor", None)
    if descriptor is not None:  # Typer's wrapper of the annotation: the annotation is what counts
        shown["annotation"] = plain(thing.type_descriptor.annotation)
    for key in ("callback", "params", "commands"):  # the callback is Typer's wrapper, built anew for each command
        shown.pop(key, None)
    return shown


def describe(command: Any, ctx: Any, path: tuple[str, ...], pages: dict[str, list[str]]) -> dict[str, Any]:
    """A command as click knows it (names, params, help), its sub-commands resolved the way a run resolves them."""
    info = attributes(command)
    info["params"] = [{"class": type(param).__name__, **attributes(param)} for param in command.params]
    if hasattr(command, "commands"):
        pages[" ".join(path)] = list(path[1:])
        info["commands"] = {}
        for name in command.list_commands(ctx):
            listed = command.get_command(ctx, name)
            # As a run does: the listed command makes the context, and the context holds the command that runs.
            sub = listed.make_context(name, [], parent=ctx, resilient_parsing=True)
            info["commands"][name] = describe(sub.command, sub, (*path, name), pages)
    return info


def dump(which: str) -> None:
    """Print the command tree and every group's ``--help`` page of the lazy (cli.main) or the eager command line."""
    if which == "eager":
        app = eager_app()
    else:
        from cli.main import app
    root = typer.main.get_command(app)
    pages: dict[str, list[str]] = {}
    tree = describe(root, root.make_context("raati", [], resilient_parsing=True), ("raati",), pages)
    runner = CliRunner()
    helps = {path: runner.invoke(app, [*args, "--help"], prog_name="raati").output for path, args in pages.items()}
    print(json.dumps({"tree": tree, "help": helps}, default=repr, sort_keys=True))


def dumped(which: str) -> dict[str, Any]:
    code = f"from tests.cli.test_help_is_light import dump; dump({which!r})"
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    described: dict[str, Any] = json.loads(done.stdout)
    return described


def test_the_lazy_command_line_is_the_eager_one() -> None:
    lazy, eager = dumped("lazy"), dumped("eager")
    # A command added to cli/main.py's tables and not to eager_app above (or the other way round) shows up here.
    assert lazy["help"].keys() == eager["help"].keys()
    assert len(lazy["help"]) > 15  # every group was walked
    for path, page in eager["help"].items():
        assert "Usage: " in page, path
        assert lazy["help"][path] == page, f"`{path} --help` differs"
    assert lazy["tree"] == eager["tree"]
