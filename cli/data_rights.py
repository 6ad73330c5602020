"""``raati member export|erase``: a member's data rights (GDPR) at the command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from application.data_rights import MemberRequest, erase_member, export_member
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import err, print_json, say
from domain.errors import InvalidValue
from wiring import data_rights_uow

MemberArgument = Annotated[int, typer.Argument(help="The member id.")]


def register(member_app: typer.Typer) -> None:
    member_app.command("export")(member_export)
    member_app.command("erase")(member_erase)


def member_export(
    member: MemberArgument,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON to this file (default: standard output).")
    ] = None,
    actor: AsOption = None,
) -> None:
    """Everything Raati holds about a member, as JSON (the right of access)."""
    document = export_member(MemberRequest(member_id=member, actor=actor), uow=data_rights_uow(), clock=context.clock())
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    _write_private(output, text)
    err.print(f"Wrote member {member}'s data to {output}.", markup=False)


def _write_private(path: Path, text: str) -> None:
    """Readable by the owner only (it is personal data); all or nothing (a temporary file, then a rename)."""
    if path.is_dir():
        raise InvalidValue("output", f"{path} is a directory; give a file name")
    if not path.parent.is_dir():
        raise InvalidValue("output", f"folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InvalidValue("output", f"cannot write {path}: {error.strerror}") from None


def _interactive() -> bool:
    return sys.stdin.isatty()


def member_erase(
    member: MemberArgument,
    yes: Annotated[
        bool, typer.Option("--yes", help="Erase without asking (for scripts); it cannot be undone.")
    ] = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Anonymise a member everywhere (the right to erasure): ideas and events stay, as a former member's."""
    if not yes:
        if not _interactive():
            raise InvalidValue("--yes", f"erasing member {member} cannot be undone; confirm with --yes (no terminal)")
        with context.uow() as uow:
            about = uow.members.get(member)
        question = f"Erase member {member} ({about.name}) for good? Name and address are replaced everywhere"
        if not typer.confirm(question, default=False):
            say("Nothing erased.")
            raise typer.Exit(1)
    done = erase_member(MemberRequest(member_id=member, actor=actor), uow=data_rights_uow(), clock=context.clock())
    if as_json:
        print_json(done)
        return
    if not done.old_copies_cleared:
        say(
            "The database's write-ahead log still holds pages from before the erasure (a reader kept it busy); "
            "the next checkpoint clears them."
        )
    counts = done.counts
    if done.already_erased:
        pending, sent = counts.get("unsent_mail_deleted", 0), counts.get("sent_mail_stripped", 0)
        when = done.erased_at.isoformat()
        say(f"Member {member} was already erased ({when}); leftover mail: {pending} deleted, {sent} stripped.")
        return
    say(
        f"Erased member {member}: {counts['unsent_mail_deleted']} unsent emails deleted, "
        f"{counts['sent_mail_stripped']} sent emails stripped of body and address, "
        f"{counts['rows_scrubbed']} other rows scrubbed, {counts['events_redacted']} events redacted."
    )
