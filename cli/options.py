"""Options shared by many commands, spelled once."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for programs.")]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this staff user (email); default: the local operator."),
]
AcknowledgeHealthOption = Annotated[
    bool,
    typer.Option(
        "--acknowledge-health",
        help="As a coordinator, let the health details the privacy guard found go out to the members (recorded).",
    ),
]
