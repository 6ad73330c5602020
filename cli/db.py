"""``raati db``: schema migrations."""

from __future__ import annotations

import typer

from cli import context
from cli.output import say
from persistence.migrate import upgrade as run_upgrade

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Upgrade the database schema to the newest revision."""
    before, after = run_upgrade(context.engine())
    if before == after:
        say(f"Database schema already at revision {after}.")
    else:
        say(f"Database schema upgraded from {before or 'empty'} to {after}.")
