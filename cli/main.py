"""The ``raati`` entry point: assembles the command groups and maps errors to exit codes.

Exit 2 for bad input (the message names the field and the reason), exit 1 for
conflicts and operational failures; no tracebacks for user mistakes.
"""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from typer.core import TyperGroup

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
)
from cli.attendance import register as register_attendance
from cli.output import err
from cli.privacy import app as privacy_app
from cli.rules import register as register_rules
from cli.surveys import app as survey_app
from cli.wishes import app as wish_app
from domain.errors import DomainError, VersionConflict
from flows.deployment_specs import DeploymentFileError
from notifications.transport import SmtpConfigurationError
from persistence.migrate import SchemaOutOfDate


class RaatiGroup(TyperGroup):
    """The root command group: turns known errors into a message and an exit code.

    Doing it here (not around ``app()``) means Typer's test runner sees the same codes. It is also where production
    mode refuses unsafe settings (exit 2) before any command runs, except ``raati config check`` and ``--help``.
    """

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
        except SmtpConfigurationError as error:
            _fail("smtp", str(error), 1)
        except SchemaOutOfDate as error:
            _fail("database", str(error), 1)
        except DeploymentFileError as error:
            _fail("deployments", str(error), 1)
        except OperationalError as error:
            _fail("database", f"cannot use the database: {error.orig}", 1)
        except SQLAlchemyError as error:
            _fail("database", f"{type(error).__name__}: {error}", 1)


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
app.add_typer(config.app, name="config")
app.add_typer(db.app, name="db")
app.add_typer(people.panel_app, name="panel")
app.add_typer(people.service_app, name="service")
app.add_typer(people.member_app, name="member")
register_rules(panel_app=people.panel_app, member_app=people.member_app)
data_rights.register(people.member_app)
app.add_typer(people.user_app, name="user")
sessions.register(people.user_app)
app.add_typer(audit.app, name="audit")
app.add_typer(meetings.app, name="meeting")
register_attendance(meetings.app)
app.add_typer(ideas.app, name="idea")
app.add_typer(privacy_app, name="privacy")
app.add_typer(wish_app, name="wish")
app.add_typer(survey_app, name="survey")
app.add_typer(outbox.app, name="outbox")
delivery.register(outbox.app)
app.add_typer(mail.app, name="mail")
app.command("mailsink")(mail.mailsink)
app.command("simulate")(simulate.command)
app.command("serve")(serve.serve)
app.command("deploy")(deploy.deploy)


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
