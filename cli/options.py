"""Options shared by many commands, spelled once."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this staff user (email); default: the local operator."),
]
