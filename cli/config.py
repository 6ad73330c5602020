"""``raati config check``: every setting with its value (secrets masked) and where it came from, then the problems
production (``RAATI_ENV=production``) refuses to start with. Exit 1 when this environment would refuse."""

from __future__ import annotations

from itertools import groupby

import typer
from rich.table import Table
from rich.text import Text

from cli.options import JsonOption
from cli.output import out, print_json
from wiring.config_check import Report, Setting, inspect_settings

app = typer.Typer(help="Raati's own settings: what they are and whether production accepts them.", no_args_is_help=True)


@app.command("check")
def check(json_output: JsonOption = False) -> None:
    """Show every RAATI_* setting, its value and source (environment, default or generated), and the problems.

    In production the problems are what stops Raati from starting (exit 1). In development they are shown as what
    production would refuse, and the exit code is 0 unless a value is not valid in any environment.
    With --json: {"environment", "refused", "settings": [{"name", "value", "source", "secret"}],
    "problems": [{"setting", "reason"}]}; a secret's value is only "••••" and its length in bytes.
    """
    report = inspect_settings()
    if json_output:
        print_json(_as_json(report))
    else:
        _print(report)
    if report.refused:
        raise typer.Exit(1)


def _as_json(report: Report) -> dict[str, object]:
    return {
        "environment": report.environment,
        "refused": report.refused,
        "settings": [
            {"name": s.name, "value": s.value, "source": s.source, "secret": s.secret, "group": s.group}
            for s in report.settings
        ],
        "problems": [{"setting": p.setting, "reason": p.reason} for p in report.problems],
    }


def _print(report: Report) -> None:
    out.print(Text(f"Environment: {report.environment} (RAATI_ENV)"))
    for group, settings in groupby(report.settings, key=lambda s: s.group):
        out.print(_table(group, list(settings)))
    if not report.problems:
        out.print(Text("No problems."))
        return
    if report.production:
        heading = "Raati will not start in production:"
    elif report.refused:
        heading = "Problems (a value here is not valid in any environment; the rest production would refuse):"
    else:
        heading = "Would be refused in production (RAATI_ENV=production):"
    out.print(Text(heading))
    for problem in report.problems:
        out.print(Text(f"  {problem.setting}: {problem.reason}"))


def _table(group: str, settings: list[Setting]) -> Table:
    grid = Table(title=group, title_justify="left")
    for column in ("Setting", "Value", "Source"):
        grid.add_column(column, overflow="fold")
    for setting in settings:
        # Text, not markup: a value such as a role map's JSON may hold square brackets.
        value = Text(setting.value) if setting.value is not None else Text("not set", style="dim")
        grid.add_row(Text(setting.name), value, Text(setting.source))
    return grid
