"""``raati privacy check``: run the privacy guard on a text before it goes out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.options import JsonOption
from cli.output import print_json, say, table
from domain.errors import InvalidValue
from domain.privacy_detectors import Severity, check_text

app = typer.Typer(help="The privacy guard: identity codes, phone numbers, emails and health details.",
                  no_args_is_help=True)  # fmt: skip


@app.command("check")
def check(
    file: Annotated[str, typer.Argument(metavar="[FILE|-]", help="A UTF-8 text file; - or nothing reads stdin.")] = "-",
    as_json: JsonOption = False,
) -> None:
    """Print what the privacy guard finds in a text: kind, start, end, text, severity.

    Exit codes: 0 the text is clean; 1 there are findings (identifiers, severity block, must be removed before
    the text is sent; health details, severity acknowledge, need a coordinator's --acknowledge-health);
    2 bad input (a missing or unreadable file, text that is not UTF-8). Offsets count characters from 0,
    the end is exclusive. With --json: a list of findings (an empty list when clean).
    """
    text = _read(file)
    findings = check_text(text)
    if as_json:
        print_json([f.to_dict() for f in findings])
    elif findings:
        table(
            None,
            ["kind", "start", "end", "text", "severity"],
            [[f.kind.value, f.start, f.end, f.text, f.severity.value] for f in findings],
        )
        blocking = sum(1 for f in findings if f.severity is Severity.BLOCK)
        say(f"{len(findings)} finding(s): {blocking} to remove before sending, "
            f"{len(findings) - blocking} health detail(s) for a coordinator to acknowledge.")  # fmt: skip
    else:
        say("Clean: no identity codes, phone numbers, email addresses or health details found.")
    if findings:
        raise typer.Exit(1)


def _read(file: str) -> str:
    try:
        if file == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        return Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidValue("file", f"{file} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidValue("file", f"{'stdin' if file == '-' else file} is not UTF-8 text") from None
    except OSError as error:
        raise InvalidValue("file", f"cannot read {file}: {error.strerror}") from None
