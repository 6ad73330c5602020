"""The ``raati`` entry point: assembles the command groups and maps errors to exit codes.

Exit 2 for bad input (the message names the field and the reason), exit 1 for
conflicts and operational failures; no tracebacks for user mistakes.
"""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from cli import db, ideas, meetings, outbox, people
from cli.output import err
from domain.errors import DomainError, VersionConflict
from persistence.migrate import SchemaOutOfDate

app = typer.Typer(
    name="raati",
    help="Raati: customer panels, their meetings, and what became of every idea.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(people.panel_app, name="panel")
app.add_typer(people.service_app, name="service")
app.add_typer(people.member_app, name="member")
app.add_typer(people.user_app, name="user")
app.add_typer(meetings.app, name="meeting")
app.add_typer(ideas.app, name="idea")
app.add_typer(outbox.app, name="outbox")


@app.command()
def demo() -> None:
    """Build the East Helsinki pilot panel and walk its ideas through every state."""
    from cli.demo import run_demo

    run_demo()


def _fail(kind: str, message: str, code: int) -> None:
    err.print(f"raati: {kind}: {message}", markup=False)
    sys.exit(code)


def run() -> None:
    try:
        app()
    except VersionConflict as error:
        _fail("conflict", str(error), 1)
    except DomainError as error:
        _fail("error", str(error), 2)
    except SchemaOutOfDate as error:
        _fail("database", str(error), 1)
    except OperationalError as error:
        _fail("database", f"cannot use the database: {error.orig}", 1)
    except SQLAlchemyError as error:
        _fail("database", f"{type(error).__name__}: {error}", 1)
    except KeyboardInterrupt:
        _fail("interrupted", "stopped by the user", 130)


if __name__ == "__main__":
    run()
