"""The ``raati`` entry point: assembles the command groups and maps errors to exit codes.

Exit 2 for bad input (the message names the field and the reason), exit 1 for
conflicts and operational failures; no tracebacks for user mistakes. A command's
module is imported only when that command is used, so ``raati --help`` starts at once.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from cli.output import err
from domain.errors import DomainError, VersionConflict

# What ``raati --help`` lists without importing it: name → ("module:attribute" of the command's function or the
# group's Typer app, the first paragraph of its help). Imported when the command runs or its own --help is asked
# for (tests/cli/test_help_is_light.py holds these lines to the real ones). The commands come before web and demo
# and the groups after them, the order ``raati --help`` has always had.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "mailsink": (
        "cli.mail:mailsink",
        "Run a local SMTP server that stores every message as an .eml file (RAATI_MAILSINK_DIR).",
    ),
    "simulate": (
        "cli.simulate:command",
        "Play a panel season on a virtual clock through the real use cases, then check the promises.",
    ),
    "serve": (
        "cli.serve:serve",
        "Run everything: web app, flows (schedules and event triggers), mail sink, Prefect server.",
    ),
    "deploy": (
        "cli.deploy:deploy",
        "Register every deployment (schedules, event triggers, concurrency) from the installed package.",
    ),
    "worker": (
        "cli.worker:worker",
        "Run flow runs of a work pool on this machine (needs PREFECT_API_URL; Ctrl-C or SIGTERM stops it).",
    ),
}
LAZY_GROUPS: dict[str, tuple[str, str]] = {
    "config": ("cli.config:app", "Raati's own settings: what they are and whether production accepts them."),
    "db": ("cli.db:app", "The database schema."),
    "panel": ("cli.people:panel_app", "Customer panels."),
    "service": ("cli.people:service_app", "Services taking part in a panel."),
    "member": ("cli.people:member_app", "Panel members (raatilaiset)."),
    "user": ("cli.people:user_app", "Staff: coordinators, service owners, managers."),
    "audit": ("cli.audit:app", "The audit trail of staff access: sign-ins, sign-outs, tokens, ended sessions."),
    "meeting": ("cli.meetings:app", "Panel meetings."),
    "idea": ("cli.ideas:app", "Ideas raised in meetings."),
    "privacy": ("cli.privacy:app", "The privacy guard: identity codes, phone numbers, emails and health details."),
    "wish": ("cli.wishes:app", "Topic wishes: topics members would like the panel to work on."),
    "survey": ("cli.surveys:app", "Evaluation surveys: one-time links to members, anonymous answers, the report."),
    "outbox": ("cli.outbox:app", "The notification outbox."),
    "mail": ("cli.mail:app", "Mail caught by the development mail sink."),
}


def _extend_people() -> None:
    from cli import data_rights, people, rules, sessions

    rules.register(panel_app=people.panel_app, member_app=people.member_app)
    data_rights.register(people.member_app)
    sessions.register(people.user_app)


def _extend_meetings() -> None:
    from cli import attendance, meetings

    attendance.register(meetings.app)


def _extend_outbox() -> None:
    from cli import delivery, outbox

    delivery.register(outbox.app)


# The commands other modules add to a module's groups (kept apart so that each file holds one concern).
EXTENSIONS: dict[str, Callable[[], None]] = {
    "cli.people": _extend_people,
    "cli.meetings": _extend_meetings,
    "cli.outbox": _extend_outbox,
}


@cache
def _module(name: str) -> ModuleType:
    """The module, imported, its groups extended: once per process, since each extension adds commands."""
    module = importlib.import_module(name)
    extend = EXTENSIONS.get(name)
    if extend is not None:
        extend()
    return module


def load(name: str) -> Any:  # a click.Command of Typer's vendored (private) click
    """The real command or group ``name`` of LAZY_COMMANDS or LAZY_GROUPS, built as Typer builds a registered one."""
    target, _ = LAZY_COMMANDS.get(name) or LAZY_GROUPS[name]
    module, attribute = target.split(":")
    found = getattr(_module(module), attribute)
    holder = typer.Typer(
        rich_markup_mode=app.rich_markup_mode,
        pretty_exceptions_short=app.pretty_exceptions_short,
        suggest_commands=app.suggest_commands,
    )
    if isinstance(found, typer.Typer):
        holder.add_typer(found, name=name)
    else:
        holder.command(name)(found)
    return typer.main.get_group(holder).commands[name]


class Deferred(TyperCommand):
    """A command as ``raati --help`` lists it: its name and help line. Used, it hands over to the real one."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        assert self.name is not None
        return load(self.name).make_context(info_name, args, parent=parent, **extra)


def _deferred(table: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {name: Deferred(name=name, help=line) for name, (_, line) in table.items()}


class RaatiGroup(TyperGroup):
    """The root command group: turns known errors into a message and an exit code.

    Doing it here (not around ``app()``) means Typer's test runner sees the same codes. It is also where production
    mode refuses unsafe settings (exit 2) before any command runs, except ``raati config check`` and ``--help``,
    and where the commands of LAZY_COMMANDS and LAZY_GROUPS join the ones defined in this file.
    """

    def __init__(self, *, commands: dict[str, Any] | None = None, **settings: Any) -> None:
        listed = {**_deferred(LAZY_COMMANDS), **(commands or {}), **_deferred(LAZY_GROUPS)}
        super().__init__(commands=listed, **settings)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[ARGS] = list(args)  # click hands the group's callback none of them: kept for the check below
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:  # Typer's vendored click.Context is private
        args = ctx.meta.get(ARGS, [])
        if args[:1] != ["config"] and not set(args) & set(ctx.help_option_names):
            _refuse_unsafe_settings()
        try:
            return super().invoke(ctx)
        except VersionConflict as error:
            _fail("conflict", str(error), 1)
        except DomainError as error:
            _fail("error", str(error), 2)
        except Exception as error:
            failure = _operational_failure(error)
            if failure is None:
                raise
            _fail(*failure)


def _operational_failure(error: Exception) -> tuple[str, str, int] | None:
    """The message and exit code for a failure outside the domain a person can act on; None for other errors."""
    # Imported here, not at the top, so that ``raati --help`` loads neither SQLAlchemy nor the migrations. Only a
    # command that has imported SQLAlchemy can raise its errors, or a schema check's, so the rest skip the import.
    from cli.extras import InstallProblem
    from flows.deployment_specs import DeploymentFileError
    from notifications.transport import SmtpConfigurationError

    if isinstance(error, InstallProblem):
        return "install", str(error), 1
    if isinstance(error, SmtpConfigurationError):
        return "smtp", str(error), 1
    if isinstance(error, DeploymentFileError):
        return "deployments", str(error), 1
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from persistence.migrate import SchemaOutOfDate

    if isinstance(error, SchemaOutOfDate):
        return "database", str(error), 1
    if isinstance(error, OperationalError):
        return "database", f"cannot use the database: {error.orig}", 1
    if isinstance(error, SQLAlchemyError):
        return "database", f"{type(error).__name__}: {error}", 1
    return None


ARGS = "raati.args"


def _refuse_unsafe_settings() -> None:
    import wiring
    from wiring.config_check import ConfigurationRefused

    try:
        wiring.require_production_ready()
    except ConfigurationRefused as refused:
        _fail("configuration", str(refused), 2)


def _fail(kind: str, message: str, code: int) -> NoReturn:
    err.print(f"raati: {kind}: {message}", markup=False)
    raise typer.Exit(code)


app = typer.Typer(
    name="raati",
    cls=RaatiGroup,
    help="Raati: customer panels, their meetings, and what became of every idea.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (each with its own connections).")] = 1,
) -> None:
    """Run the web app: staff pages (queue, ideas, dashboard), the API, members' signed-link pages."""
    import uvicorn

    from wiring.logs import configure_logging

    configure_logging()  # RAATI_LOG_FORMAT; uvicorn's own set-up and access log stay off (wiring/logs.py)
    quiet: dict[str, Any] = {"log_level": "warning", "log_config": None, "access_log": False}
    if workers > 1:  # worker processes import the app themselves (web/asgi.py); connections dealt in turn
        from web import balancer
        from web.metrics import multiprocess_dir, remove_multiprocess_dir
        from web.settings import WebSettings

        options = {"http": "web.asgi:NoDelayHttpToolsProtocol", **quiet}
        shared = multiprocess_dir(WebSettings().data_dir)  # one /metrics over every worker
        try:
            balancer.serve(host, port, workers=workers, uvicorn_options=options)
        finally:
            remove_multiprocess_dir(shared)
        return

    import wiring
    import wiring.metrics
    from cli import context
    from web.app import create_app

    app = create_app(
        uow_factory=context.uow,
        clock=context.clock(),
        signer=context.signer,
        readiness=wiring.readiness,
        outbox_stats=wiring.metrics.current_outbox_stats,
    )
    uvicorn.run(app, host=host, port=port, **quiet)


@app.command()
def demo() -> None:
    """Build the East Helsinki pilot panel and walk its ideas through every state."""
    from cli.demo import run_demo

    run_demo()


def run() -> None:
    app()


if __name__ == "__main__":
    run()
